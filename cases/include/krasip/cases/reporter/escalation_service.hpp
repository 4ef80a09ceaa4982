#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "krasip/cases/common/server_secrets.hpp"
#include "krasip/cases/audit/audit_log.hpp"
#include "krasip/cases/common/clock.hpp"
#include "krasip/cases/intake/intake_service.hpp"
#include "krasip/cases/common/case_crypto.hpp"
#include "krasip/cases/reporter/reporter_access.hpp"
#include "krasip/storage/channel_store.hpp"
#include "krasip/storage/escalation_store.hpp"
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
  IdentityMove identity = IdentityMove::none;  // as it is, or will be once confirmed
  std::int64_t at = 0;  // the Bangkok day, like every reporter-side time
  // Out of an oversight channel (issue 20, item 7): nothing moved yet; a
  // recipient of that channel confirms or declines before expires_at.
  bool pending = false;
  std::int64_t expires_at = 0;
};

// A request's state as of `now`: a pending one past its expiry is lapsed,
// whether or not a write has marked it so yet; and the day it was decided
// (its expiry, for a lapsed one).
std::string_view escalation_state(const storage::EscalationRequestRow& r, std::int64_t now);
std::optional<std::int64_t> escalation_decided_at(const storage::EscalationRequestRow& r, std::int64_t now);

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

// A request to move the case out of an oversight channel, as one side
// reads it (its detail opened with their key; empty when they hold none).
struct EscalationRequestView {
  std::int64_t id = 0;
  std::string state;  // pending, confirmed, declined, lapsed (escalation_state)
  std::int64_t requested_at = 0;
  std::int64_t expires_at = 0;
  std::optional<std::int64_t> decided_at;
  std::string decided_by;  // a username, for investigators only
  storage::ChannelRow from;
  storage::ChannelRow to;
  std::string reason;
  std::string identity;  // identity_move_name, should it be confirmed
};
// Every request of the case, oldest first, opened with `reader`'s slot.
std::vector<EscalationRequestView> escalation_requests(storage::Database& db, const storage::CaseRow& row,
                                                       std::int64_t reader_key_id, KeyOpener reader,
                                                       std::int64_t now);

class EscalationService {
 public:
  EscalationService(const ServerSecrets& secrets, storage::WriteQueue& writer, const AuditLog& audit,
                    Clock clock)
      : secrets_(secrets), writer_(writer), audit_(audit), clock_(std::move(clock)) {}

  // One write transaction. Throws CaseError: malformed_code, unknown_code,
  // invalid_field/missing_field/field_too_long (reason), invalid_field
  // (channel: unknown, the case's own, or no one there may receive it),
  // escalation_pending (a request waits for the oversight channel).
  // Out of an oversight channel (storage::channel_store::is_oversight_channel)
  // nothing moves: the new readers' keys are sealed into a plan that a
  // recipient of that channel applies (EscalationDecisions) or that lapses.
  EscalationResult escalate(const EscalationRequest& request);

 private:
  std::int64_t request_move(storage::Database& db, const ReporterCase& opened, const EscalationDetail& detail,
                            const storage::ChannelRow& from, const storage::ChannelRow& to, bool move_identity,
                            std::int64_t day);
  const ServerSecrets& secrets_;
  storage::WriteQueue& writer_;
  const AuditLog& audit_;
  Clock clock_;
};

}  // namespace krasip::cases
