#pragma once
#include <cstdint>
#include <string_view>

#include "krasip/crypto/bytes.hpp"
#include "krasip/crypto/secure_bytes.hpp"

namespace krasip::crypto {

// Argon2id cost. MODERATE (3 passes, 256 MiB) is the default for accounts;
// tests may pass `interactive()` to stay quick. The limits are stored with
// each wrap so that raising them later does not lock anyone out.
struct PwhashLimits {
  std::uint64_t opslimit;
  std::size_t memlimit;
  static PwhashLimits moderate();
  static PwhashLimits interactive();
};

// An investigator's secret key encrypted under a key derived from their
// password (Argon2id), bound to their account by associated data. A wrong
// password fails authentication, so the wrap is also the password check.
struct WrappedKey {
  Bytes salt;
  Bytes nonce;
  Bytes ciphertext;
  PwhashLimits limits;
};

WrappedKey wrap_secret_key(const SecureBytes& secret_key, std::string_view password,
                           std::string_view associated_data, PwhashLimits limits);
// Throws DecryptError on a wrong password or mismatched associated data.
SecureBytes unwrap_secret_key(const WrappedKey& wrapped, std::string_view password,
                              std::string_view associated_data);

}  // namespace krasip::crypto
