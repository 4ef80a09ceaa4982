#include "krasip/cases/common/case_records.hpp"

#include "krasip/cases/common/case_crypto.hpp"
#include "krasip/crypto/encoding.hpp"
#include "krasip/storage/case_store.hpp"
#include "krasip/storage/database.hpp"
#include "krasip/storage/triage_store.hpp"

namespace krasip::cases {

std::vector<crypto::Reader> investigator_readers(storage::Database& db, std::int64_t case_id) {
  std::vector<crypto::Reader> out;
  for (auto& r : storage::case_store::complaint_readers(db, case_id)) {
    if (r.kind == "reporter") continue;
    out.push_back({r.id, std::move(r.public_key)});
  }
  return out;
}

SealedRecord seal_investigator_record(storage::Database& db, const storage::CaseRow& c,
                                      std::string_view prefix, std::string_view text,
                                      std::int64_t at) {
  const auto readers = investigator_readers(db, c.id);
  const std::string field = std::string(prefix) + crypto::to_hex(crypto::random_bytes(16));
  auto env = seal_case_record(c.uid, field, text, readers);
  SealedRecord out;
  out.envelope_id = storage::case_store::insert_envelope(db, c.id, env, at, c.reporter_key_id);
  out.nonce = std::move(env.nonce);
  out.ciphertext = std::move(env.ciphertext);
  return out;
}

std::optional<std::string> open_detail(const std::optional<storage::ReadableEnvelope>& sealed,
                                       const storage::CaseRow& c, const crypto::KeyPair& key) {
  if (!sealed) return std::nullopt;
  return open_case_record(*sealed, c.uid, key);
}

std::size_t seal_plaintext_details(storage::Database& db) {
  const auto pending = storage::triage_store::plaintext_details(db);
  std::optional<storage::CaseRow> c;
  for (const auto& d : pending) {
    if (!c || c->id != d.case_id) c = storage::case_store::find_by_id(db, d.case_id);
    if (!c) continue;  // cannot happen: foreign keys
    const bool reason = d.kind == storage::PlaintextDetail::Kind::exclusion_reason;
    // Stamped with the day only: the sealing time says nothing useful.
    const auto sealed = seal_investigator_record(db, *c, reason ? "exclusion:" : "event:", d.text,
                                                 c->received_at);
    storage::triage_store::replace_plaintext_detail(db, d, sealed.envelope_id);
  }
  return pending.size();
}

}  // namespace krasip::cases
