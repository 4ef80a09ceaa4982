#pragma once
#include <cstdint>
#include <string>

#include "krasip/cases/accounts/session_store.hpp"
#include "krasip/cases/audit/audit_log.hpp"
#include "krasip/cases/reporter/escalation_service.hpp"
#include "krasip/storage/records.hpp"

namespace krasip::storage {
class Database;
}

namespace krasip::cases {

// A recipient of an oversight channel decides a reporter's request to move
// a case out of it (issue 20, item 7; docs/security.md, "The reporter can
// escalate"). Anyone who holds the tracking code can ask, the staff member
// who wrote it on a counter slip included; only the channel can let the
// case go. Both calls run in the caller's write transaction: a
// confirmation's step-up (LoginService::consume_step_up) is used up in the
// same one.
class EscalationDecisions {
 public:
  explicit EscalationDecisions(const AuditLog& audit) : audit_(audit) {}

  // Applies the plan sealed at the request: keys only to accounts that are
  // still active recipients (identity keys: custodians) of the new channel
  // and not excluded, under the key they have now; what was written to the
  // case since the request (the reporter's slot shows which) sealed by the
  // confirming account to the new recipients; then exactly the move an
  // escalation out of an ordinary channel makes. Throws CaseError: not_found
  // (the one answer, for a case `s` cannot read), invalid_transition (no
  // request waiting, or it lapsed), forbidden (not a recipient who may
  // decide; the account that recorded the complaint for the citizen).
  EscalationResult confirm(storage::Database& db, const Session& s, const std::string& case_number,
                           std::int64_t now) const;
  // The case stays; the plan is deleted. No step-up: it changes no reader.
  void decline(storage::Database& db, const Session& s, const std::string& case_number,
               std::int64_t now) const;

 private:
  const AuditLog& audit_;
};

// Whether `s` may confirm a request on this case: a current recipient of
// its channel who can open it (they were given it to read), and not the
// account that recorded the complaint for the citizen (it may have kept
// the code, and so asked itself).
bool may_confirm_escalation(storage::Database& db, const Session& s, const storage::CaseRow& row);

}  // namespace krasip::cases
