#pragma once
// Internal to the triage room: the rules triage_service.cpp and
// two_person.cpp share. Not a public header.
#include <cstdint>
#include <optional>
#include <string>

#include "krasip/cases/accounts/session_store.hpp"
#include "krasip/cases/audit/audit_log.hpp"
#include "krasip/storage/records.hpp"
#include "krasip/storage/triage_store.hpp"
#include "krasip/storage/user_store.hpp"

namespace krasip::storage {
class Database;
}  // namespace krasip::storage

namespace krasip::cases::triage_rules {

bool transition_allowed(const std::string& from, const std::string& to);
// An event whose detail is sealed to the case's investigator-side readers.
void add_sealed_event(storage::Database& db, const storage::CaseRow& c, storage::CaseEventRow e,
                      const std::string& detail);
// An audit entry about a case, its detail sealed like any case record.
void append_audit(const AuditLog& audit, storage::Database& db, const storage::CaseRow& c, AuditEvent e,
                  const std::string& detail);
struct CaseRoles {
  bool custodian = false;
  bool admin = false;
};
CaseRoles roles_in_case(storage::Database& db, std::int64_t user_id, const storage::CaseRow& c);
// An account that may take part in a case: of the case's agency or of one
// above it (issue 11). Another agency's account is nullopt, the answer for
// a name never used.
std::optional<storage::UserRow> case_account(storage::Database& db, const storage::CaseRow& c,
                                             const std::string& username);
bool is_case_custodian(storage::Database& db, std::int64_t user_id, const storage::CaseRow& c);
// A reason of 10 to 500 characters.
std::string checked_reason(const std::string& reason);
// Whether moving the case to `to` ends it without a substantiated finding
// (issue 20, item 4: no quiet burial): rejected, unsubstantiated, referred
// other than through the referral route, and closed from anything but
// substantiated or a referral recorded through that route. Such a move
// needs the outcome message to the reporter and, where the channel asks,
// a second recipient's confirmation.
bool ends_without_finding(storage::Database& db, const storage::CaseRow& row, const std::string& to);
// A note or (to_reporter) a message, sealed to the case's readers.
void seal_post(storage::Database& db, const AuditLog& audit, const Session& s, const storage::CaseRow& row,
               const std::string& text, bool to_reporter, std::int64_t now);

}  // namespace krasip::cases::triage_rules
