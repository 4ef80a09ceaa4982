#pragma once
// What a reporter's move to another channel does, shared by the move made
// at once (EscalationService) and the one a recipient of an oversight
// channel confirms (EscalationDecisions). Private to the reporter room.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "krasip/cases/audit/audit_log.hpp"
#include "krasip/cases/reporter/escalation_service.hpp"
#include "krasip/crypto/envelope.hpp"
#include "krasip/crypto/secure_bytes.hpp"
#include "krasip/storage/records.hpp"

namespace krasip::cases::escalation_steps {

struct Member {
  std::int64_t user_id;
  crypto::Reader reader;
};

// The readers a case gets in channel `to`: its active recipients less
// whoever is excluded from the case, and its custodians among them.
struct NewReaders {
  std::vector<Member> recipients;
  std::vector<Member> custodians;
};
NewReaders new_readers(storage::Database& db, std::int64_t case_id, std::int64_t to_channel_id);

bool holds(const std::vector<Member>& members, std::int64_t key_id);
void seal_to(storage::Database& db, std::int64_t envelope_id, const crypto::SecureBytes& data_key,
             const std::vector<Member>& to);

// After the new readers hold their keys: every other investigator key to
// the case goes (identity keys unless in `identity_keep`), the case and its
// counts move, the identity is marked withheld when the reporter kept it
// back, and what the old channel had under way (a proposed outcome, open
// identity requests) ends.
void finish_move(storage::Database& db, const storage::CaseRow& row, std::int64_t to_channel_id,
                 const std::vector<Member>& recipients, const std::vector<Member>& identity_keep,
                 IdentityMove identity, std::int64_t at);

// The 'escalated' history entry (detail sealed to the case's readers now,
// the recovery key and the reporter's slot) and the audit entry, whose
// detail is sealed to the case's investigator-side readers.
void record_move(storage::Database& db, const AuditLog& audit, const storage::CaseRow& row,
                 const EscalationDetail& detail, const std::vector<Member>& recipients,
                 std::span<const crypto::WrapReader> reporter_wrap, std::span<const crypto::Reader> reporter_sealed,
                 std::optional<std::int64_t> actor, const std::string& action, std::int64_t at);

}  // namespace krasip::cases::escalation_steps
