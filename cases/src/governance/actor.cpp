#include "krasip/cases/governance/actor.hpp"

#include "krasip/cases/accounts/session_store.hpp"

namespace krasip::cases {

Actor Actor::of(const Session& s) { return {s.user_id, s.agency_id, s.username}; }

}  // namespace krasip::cases
