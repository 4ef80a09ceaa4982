#include "krasip/cases/case_crypto.hpp"

#include "krasip/crypto/encoding.hpp"

namespace krasip::cases {

std::string associated_data(storage::BlobView case_uid, std::string_view field) {
  std::string ad = "krasip/v1|";
  ad += crypto::to_hex(case_uid);
  ad += '|';
  ad += field;
  return ad;
}

storage::EnvelopeRow seal_case_record(storage::BlobView case_uid, std::string field,
                                      std::string_view plaintext,
                                      std::span<const crypto::Reader> readers) {
  auto env = crypto::seal_envelope(crypto::as_bytes(plaintext), associated_data(case_uid, field),
                                   readers);
  storage::EnvelopeRow row{std::move(field), std::move(env.nonce), std::move(env.ciphertext), {}};
  row.keys.reserve(env.keys.size());
  for (auto& k : env.keys) row.keys.push_back({k.reader_id, std::move(k.sealed)});
  return row;
}

std::string open_case_record(const storage::ReadableEnvelope& env, storage::BlobView case_uid,
                             const crypto::KeyPair& reader) {
  const auto key = crypto::open_data_key(env.sealed_key, reader);
  const auto plain =
      crypto::decrypt_record(key, env.nonce, env.ciphertext, associated_data(case_uid, env.field));
  return {reinterpret_cast<const char*>(plain.data()), plain.size()};
}

}  // namespace krasip::cases
