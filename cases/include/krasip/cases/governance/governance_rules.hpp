#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "krasip/storage/proposal_store.hpp"
#include "krasip/storage/user_store.hpp"

namespace krasip::storage {
class Database;
}

namespace krasip::cases {

// The clock of governance (issue 20; docs/security.md "Inside the agency").
inline constexpr std::int64_t kDaySeconds = 86400;
// Where no one can approve, a change waits this long in public, open to veto.
inline constexpr std::int64_t kPublicWaitDays = 14;
// A proposal no approver decides lapses after this long.
inline constexpr std::int64_t kApprovalDays = 30;
// A removed reader's suspended keys, and a disabled account's keys, are
// kept this long for the approvers to restore; then deleted.
inline constexpr std::int64_t kGraceDays = 30;
// An account created, re-enrolled or given a role this recently is not a
// "second person": otherwise an administrator would make their own approver.
inline constexpr std::int64_t kNewPowerDays = 30;

// Whether the account has held its key and its roles long enough to approve.
bool established(const storage::UserRow& u, std::int64_t now);

// What a proposal touches: its agency, the channels in scope (one for a
// channel change; those the account is a member of for an account change;
// every channel of the agency for its mail settings), and whether any of
// them is overseen by a supervising agency.
struct ProposalScope {
  std::int64_t agency_id = 0;
  std::vector<std::int64_t> channel_ids;
  bool oversight = false;
  std::vector<std::string> subjects;  // usernames the change is about: they do not decide it
};
ProposalScope scope_of(storage::Database& db, const storage::ProposalRow& p);

// May `u` approve (or refuse) the proposal: never its proposer or a person
// it is about, never an account new to its powers; for an oversight scope
// an administrator of an agency above, otherwise a custodian of a channel
// in scope or an administrator of the agency.
bool may_approve(storage::Database& db, const storage::ProposalRow& p, const ProposalScope& scope,
                 const storage::UserRow& u, std::int64_t now);
// Whether anyone at all may approve it now (else it takes the public wait).
bool anyone_may_approve(storage::Database& db, const storage::ProposalRow& p, const ProposalScope& scope,
                        std::int64_t now);
// May `u` veto it during its public wait: a recipient of a channel in scope
// or an administrator of an agency above; never its proposer.
bool may_veto(storage::Database& db, const storage::ProposalRow& p, const ProposalScope& scope,
              const storage::UserRow& u);

// How a person is named in what an agency publishes: by role, never by
// name (operator, parent_administrator, administrator, custodian, recipient).
std::string public_role(storage::Database& db, const std::optional<storage::UserRow>& u, std::int64_t agency_id);

// Whether an account holds a key to a case of the agency that is not
// closed (a reader of open cases: disabling or re-enrolling it is a proposal).
bool reads_open_cases(storage::Database& db, const storage::UserRow& u);

}  // namespace krasip::cases
