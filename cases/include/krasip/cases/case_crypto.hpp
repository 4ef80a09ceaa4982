#pragma once
#include <span>
#include <string>
#include <string_view>

#include "krasip/crypto/envelope.hpp"
#include "krasip/storage/records.hpp"

namespace krasip::cases {

// "krasip/v1|<case uid hex>|<field>": what every case ciphertext is bound to,
// so a ciphertext moved to another case or field fails to open.
std::string associated_data(storage::BlobView case_uid, std::string_view field);

storage::EnvelopeRow seal_case_record(storage::BlobView case_uid, std::string field,
                                      std::string_view plaintext,
                                      std::span<const crypto::Reader> readers);

// Throws crypto::DecryptError if the key does not open it.
std::string open_case_record(const storage::ReadableEnvelope& env, storage::BlobView case_uid,
                             const crypto::KeyPair& reader);

}  // namespace krasip::cases
