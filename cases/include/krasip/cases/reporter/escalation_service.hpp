#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "krasip/cases/common/server_secrets.hpp"
#include "krasip/cases/audit/audit_log.hpp"
#include "krasip/cases/common/clock.hpp"
#include "krasip/storage/channel_store.hpp"
#include "krasip/storage/write_queue.hpp"

namespace krasip::storage {
class Database;
}

namespace krasip::cases {

// The reporter moves their case to another channel of the agency (issue
// 10, item 4; docs/security.md "Inside the agency"): "the people handling
// my complaint are involved". Their own keys open the data keys of every
// envelope they hold a slot in (the complaint, messages both ways, files,
// earlier escalations), which are re-sealed to the new channel's active
// recipients who are not excluded from the case. Every other investigator
// key to the case is deleted, so the old channel's recipients are left
// with the case as if it had never been issued to them. The recovery key
// keeps its slot everywhere. Records sealed to investigators only (notes,
// exclusion reasons, history and audit details) cannot be re-sealed by the
// reporter: the recovery key (krasipd recovery grant --case) can.

// Bounds of the reason, in code points: required (not blank), short.
inline constexpr std::size_t kEscalationReasonMax = 500;

// What became of the identity envelope.
enum class IdentityMove {
  none,         // the reporter stayed anonymous
  moved,        // re-sealed to the new channel's custodians, as asked
  not_moved,    // not asked: only the recovery key keeps it, and no grant
                // gives it out afterwards (cases.identity_withheld)
  not_movable,  // asked, but the case was filed before the reporter's
                // identity slot existed: only the recovery key (and new
                // custodians who already held it) keep it
};
std::string_view identity_move_name(IdentityMove m);

struct EscalationRequest {
  std::string tracking_code;
  std::string channel;  // the slug of the channel to move to
  std::string reason;
  bool move_identity = false;
};

struct EscalationResult {
  storage::ChannelRow from;
  storage::ChannelRow to;
  IdentityMove identity = IdentityMove::none;
  std::int64_t at = 0;  // the Bangkok day, like every reporter-side time
};

// The escalation as its sealed history detail tells it (case_events kind
// "escalated", detail sealed to the new readers and the reporter).
struct EscalationDetail {
  std::string from;  // channel slugs
  std::string to;
  std::string reason;
  std::string identity;  // identity_move_name
};
std::string escalation_detail_json(const EscalationDetail& d);
// Throws std::exception on a detail that is not one.
EscalationDetail parse_escalation_detail(std::string_view json);
// The detail as the console's case history shows it, channel names in Thai
// then English: "staff → executives (Staff → Executives) — reason · identity: moved".
std::string describe_escalation(storage::Database& db, std::int64_t agency_id, std::string_view json);

class EscalationService {
 public:
  EscalationService(const ServerSecrets& secrets, storage::WriteQueue& writer, const AuditLog& audit,
                    Clock clock)
      : secrets_(secrets), writer_(writer), audit_(audit), clock_(std::move(clock)) {}

  // One write transaction. Throws CaseError: malformed_code, unknown_code,
  // invalid_field/missing_field/field_too_long (reason), invalid_field
  // (channel: unknown, the case's own, or no one there may receive it).
  EscalationResult escalate(const EscalationRequest& request);

 private:
  const ServerSecrets& secrets_;
  storage::WriteQueue& writer_;
  const AuditLog& audit_;
  Clock clock_;
};

}  // namespace krasip::cases
