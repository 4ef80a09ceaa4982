#include "krasip/cases/audit/audit_log.hpp"

#include <algorithm>
#include <string>

#include "krasip/crypto/encoding.hpp"
#include "krasip/crypto/keyed_hash.hpp"
#include "krasip/cases/common/thai_time.hpp"

namespace krasip::cases {

namespace {
std::string num(std::optional<std::int64_t> v) { return v ? std::to_string(*v) : std::string("-"); }
}  // namespace

AuditLog::AuditLog(const crypto::SecureBytes& pepper)
    : key_(crypto::derive_subkey(pepper, "krasip/audit-chain/v1")) {}

storage::Blob AuditLog::hash_of(const storage::AuditRow& r) const {
  const std::string at = std::to_string(r.at);
  const std::string actor = num(r.actor_user_id);
  const std::string case_id = num(r.case_id);
  const std::string id = std::to_string(r.id);
  if (r.form == 2) {
    // Schema 21: the agency's sequence number joins what the hash covers, so
    // the number an auditor quotes cannot be moved; the tag keeps the forms
    // apart. Absent sealed details are hashed as empty parts.
    const std::string seq = std::to_string(r.seq);
    const std::string envelope = num(r.detail_envelope_id);
    return crypto::keyed_hash(
        key_, {r.prev_hash, crypto::as_bytes(std::string_view("v2")), crypto::as_bytes(seq),
               crypto::as_bytes(id), crypto::as_bytes(at), crypto::as_bytes(actor),
               crypto::as_bytes(r.action), crypto::as_bytes(case_id), crypto::as_bytes(r.detail),
               crypto::as_bytes(envelope), r.detail_nonce, r.detail_ciphertext});
  }
  if (!r.detail_envelope_id) {
    return crypto::keyed_hash(key_, {r.prev_hash, crypto::as_bytes(id), crypto::as_bytes(at),
                                     crypto::as_bytes(actor), crypto::as_bytes(r.action),
                                     crypto::as_bytes(case_id), crypto::as_bytes(r.detail)});
  }
  // Three more parts; the length prefixes keep the two forms apart.
  const std::string envelope = std::to_string(*r.detail_envelope_id);
  return crypto::keyed_hash(
      key_, {r.prev_hash, crypto::as_bytes(id), crypto::as_bytes(at), crypto::as_bytes(actor),
             crypto::as_bytes(r.action), crypto::as_bytes(case_id), crypto::as_bytes(r.detail),
             crypto::as_bytes(envelope), r.detail_nonce, r.detail_ciphertext});
}

// Agency 1's chain starts from 32 zero bytes, as the one chain did before
// schema 10 (so it still verifies); every other agency's from a hash of its
// id, so an agency's entries moved wholesale into another's do not verify.
storage::Blob AuditLog::genesis(std::int64_t agency_id) const {
  if (agency_id == 1) return storage::Blob(32, 0);
  const std::string id = std::to_string(agency_id);
  return crypto::keyed_hash(key_, {crypto::as_bytes(std::string_view("genesis")), crypto::as_bytes(id)});
}

void AuditLog::append(storage::Database& db, const AuditEvent& e) const {
  const std::int64_t agency_id = storage::audit_store::agency_of(
      db, e.case_id, e.actor_user_id, e.agency ? e.agency->id() : 1);
  const auto prev = storage::audit_store::last(db, agency_id);
  storage::AuditRow row;
  row.id = storage::audit_store::fresh_id(db);
  row.seq = prev ? prev->seq + 1 : 1;
  row.form = 2;
  row.at = e.at;
  row.actor_user_id = e.actor_user_id;
  row.action = e.action;
  row.case_id = e.case_id;
  row.detail = e.detail;
  row.detail_envelope_id = e.detail_envelope_id;
  row.detail_nonce = e.detail_nonce;
  row.detail_ciphertext = e.detail_ciphertext;
  row.prev_hash = prev ? prev->hash : genesis(agency_id);
  row.hash = hash_of(row);
  storage::audit_store::append(db, row, agency_id);
}

bool AuditLog::Verification::all_published_match() const {
  return std::all_of(published.begin(), published.end(),
                     [](const PublishedResult& r) { return r.check == HeadCheck::matches; });
}

AuditLog::Verification AuditLog::verify(storage::Database& db, AgencyScope agency,
                                        std::span<const PublishedHead> published) const {
  Verification v;
  for (const auto& p : published) v.published.push_back({p, HeadCheck::unverified});
  storage::Blob expected_prev = genesis(agency.id());
  // Each entry names the hash of the one before it in this chain, so a
  // removal breaks the chain there; the agency's numbers run 1, 2, 3, ...
  // without a gap (schema 21; before it, the ids, which only increase).
  std::int64_t last_id = 0;
  std::int64_t last_seq = 0;
  std::optional<ChainHead> month_end;
  int month_key = -1;
  storage::audit_store::for_each(db, agency.id(), [&](const storage::AuditRow& row) {
    ++v.entries;
    // A prev_hash not the last one's means a removed entry; a hash mismatch an edited one.
    const bool in_order = row.seq == row.id ? row.id > last_id : row.seq == last_seq + 1;
    if (!in_order || (row.form == 1 && row.id <= last_id) || row.prev_hash != expected_prev ||
        row.hash != hash_of(row)) {
      v.intact = false;
      v.first_broken_id = row.seq;
      return false;
    }
    const std::string hex = crypto::to_hex(row.hash);
    // A head published before schema 21 names the entry by its id, which
    // entries of that time keep; since then, by the agency's number.
    for (auto& r : v.published) {
      if (r.head.id == row.seq || (row.form == 1 && r.head.id == row.id)) {
        r.check = r.head.hash_hex == hex ? HeadCheck::matches : HeadCheck::differs;
      }
    }
    const auto date = bangkok_date(row.at);
    const int key = date.year * 12 + date.month;
    if (month_end && key != month_key) v.month_ends.push_back(*month_end);
    month_key = key;
    month_end = ChainHead{row.seq, row.at, hex};
    expected_prev = row.hash;
    if (row.form == 1) last_id = row.id;
    last_seq = row.seq;
    return true;
  });
  if (month_end) v.month_ends.push_back(*month_end);
  // An empty chain's head is its genesis (zeros for agency 1, as before).
  v.head_hash_hex = crypto::to_hex(expected_prev);
  v.head_id = last_seq;
  // Heads past the end of an intact chain were cut off; past a break,
  // nothing can be said of them.
  for (auto& r : v.published) {
    if (r.check == HeadCheck::unverified && v.intact && r.head.id > v.head_id) r.check = HeadCheck::missing;
  }
  return v;
}

}  // namespace krasip::cases
