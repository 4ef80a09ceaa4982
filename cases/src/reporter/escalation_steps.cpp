#include "escalation_steps.hpp"

#include <algorithm>

#include "krasip/cases/common/case_crypto.hpp"
#include "krasip/cases/common/case_records.hpp"
#include "krasip/crypto/encoding.hpp"
#include "krasip/storage/case_escalation.hpp"
#include "krasip/storage/case_store.hpp"
#include "krasip/storage/channel_store.hpp"
#include "krasip/storage/departure_store.hpp"
#include "krasip/storage/key_store.hpp"
#include "krasip/storage/triage_store.hpp"
#include "krasip/storage/two_person_store.hpp"

namespace krasip::cases::escalation_steps {

NewReaders new_readers(storage::Database& db, std::int64_t case_id, std::int64_t to_channel_id) {
  NewReaders out;
  const auto members = storage::channel_store::members(db, to_channel_id);
  for (const auto& m : members) {
    if (!m.active || m.role != "recipient") continue;
    if (storage::triage_store::is_excluded(db, case_id, m.user_id)) continue;
    out.recipients.push_back({m.user_id, {m.key_id, m.public_key}});
  }
  for (const auto& m : members) {
    if (m.role == "custodian" && holds(out.recipients, m.key_id)) {
      out.custodians.push_back({m.user_id, {m.key_id, m.public_key}});
    }
  }
  return out;
}

bool holds(const std::vector<Member>& members, std::int64_t key_id) {
  return std::any_of(members.begin(), members.end(), [&](const Member& m) { return m.reader.id == key_id; });
}

void seal_to(storage::Database& db, std::int64_t envelope_id, const crypto::SecureBytes& data_key,
             const std::vector<Member>& to) {
  for (const auto& m : to) {
    storage::triage_store::add_sealed_key(db, envelope_id, m.reader.id,
                                          crypto::seal_data_key(data_key, m.reader.public_key));
  }
}

void finish_move(storage::Database& db, const storage::CaseRow& row, std::int64_t to_channel_id,
                 const std::vector<Member>& recipients, const std::vector<Member>& identity_keep,
                 IdentityMove identity, std::int64_t at) {
  // Old readers lose every key to the case; the recovery key and the
  // reporter's slots stay (only investigator keys are listed).
  for (const auto key_id : storage::case_store::investigator_key_holders(db, row.id, false)) {
    if (!holds(recipients, key_id)) storage::case_store::drop_reader_keys(db, row.id, key_id, false);
  }
  for (const auto key_id : storage::case_store::investigator_key_holders(db, row.id, true)) {
    if (!holds(identity_keep, key_id)) storage::case_store::drop_reader_keys(db, row.id, key_id, true);
  }
  // Keys the old channel's removed readers still had suspended go too: a
  // restore of theirs there must not reach a case that left (issue 20).
  storage::departure_store::drop_case(db, row.id);
  const bool clear_assignee =
      row.assignee_id && std::none_of(recipients.begin(), recipients.end(),
                                      [&](const Member& m) { return m.user_id == *row.assignee_id; });
  storage::case_store::set_channel(db, row.id, to_channel_id, at, clear_assignee);
  // Kept back: no grant may give it out afterwards (triage grant_case).
  storage::case_store::set_identity_withheld(db, row.id, identity == IdentityMove::not_moved);
  // What the old channel had under way ends with its access: a rejection
  // it proposed (the draft was sealed to its readers only, so the new ones
  // could neither read nor confirm it) and every identity request, asked
  // or approved under the old channel's rules.
  storage::two_person_store::drop_pending_outcome(db, row.id);
  storage::two_person_store::revoke_open_requests(db, row.id);
}

void record_move(storage::Database& db, const AuditLog& audit, const storage::CaseRow& row,
                 const EscalationDetail& detail, const std::vector<Member>& recipients,
                 std::span<const crypto::WrapReader> reporter_wrap, std::span<const crypto::Reader> reporter_sealed,
                 std::optional<std::int64_t> actor, const std::string& action, std::int64_t at) {
  // The reporter's timeline and the console's history: sealed to the new
  // readers, the recovery key and the reporter.
  std::vector<crypto::Reader> readers;
  for (const auto& m : recipients) readers.push_back(m.reader);
  if (const auto r = storage::key_store::recovery_key(db, row.agency_id)) {
    readers.push_back({r->id, r->public_key});
  }
  readers.insert(readers.end(), reporter_sealed.begin(), reporter_sealed.end());
  const auto env = seal_case_record(row.uid, "event:" + crypto::to_hex(crypto::random_bytes(16)),
                                    escalation_detail_json(detail), readers, reporter_wrap);
  storage::CaseEventRow event{at, "escalated", std::nullopt, actor, std::nullopt, true};
  event.detail_envelope_id = storage::case_store::insert_envelope(db, row.id, env, at, row.reporter_key_id);
  storage::triage_store::add_event(db, row.id, event);

  // Audited like every case action; the detail sealed to the case's
  // investigator-side readers, which are now the new channel's.
  AuditEvent e{at, actor, action, row.id, ""};
  auto sealed = seal_investigator_record(
      db, row, "audit:",
      "from=" + detail.from + " to=" + detail.to + " identity=" + detail.identity + " reason=" + detail.reason, at);
  e.detail_envelope_id = sealed.envelope_id;
  e.detail_nonce = std::move(sealed.nonce);
  e.detail_ciphertext = std::move(sealed.ciphertext);
  audit.append(db, e);
}

}  // namespace krasip::cases::escalation_steps
