#include "krasip/cases/common/case_crypto.hpp"

#include "krasip/cases/common/reporter_keys.hpp"
#include "krasip/crypto/encoding.hpp"

namespace krasip::cases {

std::string associated_data(storage::BlobView case_uid, std::string_view field) {
  std::string ad = "krasip/v1|";
  ad += crypto::to_hex(case_uid);
  ad += '|';
  ad += field;
  return ad;
}

crypto::SecureBytes KeyOpener::open(crypto::ByteView stored) const {
  if (reporter_ != nullptr) return reporter_->open_data_key(stored);
  return crypto::open_data_key(stored, *pair_);
}

storage::EnvelopeRow seal_case_record(storage::BlobView case_uid, std::string field,
                                      std::string_view plaintext,
                                      std::span<const crypto::Reader> readers,
                                      std::span<const crypto::WrapReader> wrap_readers) {
  auto env = crypto::seal_envelope(crypto::as_bytes(plaintext), associated_data(case_uid, field),
                                   readers, wrap_readers);
  storage::EnvelopeRow row{std::move(field), std::move(env.nonce), std::move(env.ciphertext), {}};
  row.keys.reserve(env.keys.size());
  for (auto& k : env.keys) row.keys.push_back({k.reader_id, std::move(k.sealed)});
  return row;
}

std::string open_case_record(const storage::ReadableEnvelope& env, storage::BlobView case_uid,
                             KeyOpener reader) {
  const auto key = reader.open(env.sealed_key);
  const auto plain =
      crypto::decrypt_record(key, env.nonce, env.ciphertext, associated_data(case_uid, env.field));
  return {reinterpret_cast<const char*>(plain.data()), plain.size()};
}

}  // namespace krasip::cases
