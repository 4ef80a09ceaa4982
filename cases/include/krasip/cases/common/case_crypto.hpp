#pragma once
#include <span>
#include <string>
#include <string_view>

#include "krasip/crypto/envelope.hpp"
#include "krasip/storage/records.hpp"

namespace krasip::cases {

class ReporterKeys;

// Whoever is reading: an investigator's key pair, or the reporter's keys.
// Implicit on purpose, so callers pass either one.
class KeyOpener {
 public:
  KeyOpener(const crypto::KeyPair& pair) : pair_(&pair) {}        // NOLINT(google-explicit-constructor)
  KeyOpener(const ReporterKeys& reporter) : reporter_(&reporter) {}  // NOLINT(google-explicit-constructor)
  // The data key from this reader's slot; throws crypto::DecryptError.
  crypto::SecureBytes open(crypto::ByteView stored) const;

 private:
  const crypto::KeyPair* pair_ = nullptr;
  const ReporterKeys* reporter_ = nullptr;
};

// "krasip/v1|<case uid hex>|<field>": what every case ciphertext is bound to,
// so a ciphertext moved to another case or field fails to open.
std::string associated_data(storage::BlobView case_uid, std::string_view field);

// `wrap_readers`: readers with a symmetric key (the reporter, see ReporterKeys).
storage::EnvelopeRow seal_case_record(storage::BlobView case_uid, std::string field,
                                      std::string_view plaintext,
                                      std::span<const crypto::Reader> readers,
                                      std::span<const crypto::WrapReader> wrap_readers = {});

// Throws crypto::DecryptError if the key does not open it.
std::string open_case_record(const storage::ReadableEnvelope& env, storage::BlobView case_uid,
                             KeyOpener reader);

}  // namespace krasip::cases
