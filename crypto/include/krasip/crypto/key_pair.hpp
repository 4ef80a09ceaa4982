#pragma once
#include "krasip/crypto/bytes.hpp"
#include "krasip/crypto/secure_bytes.hpp"

namespace krasip::crypto {

// X25519 key pair for crypto_box_seal; the secret half never leaves
// sodium_malloc'd memory.
struct KeyPair {
  Bytes public_key;
  SecureBytes secret_key;

  static KeyPair generate();
  // Deterministic: the same 32-byte seed always yields the same pair.
  static KeyPair from_seed(const SecureBytes& seed);
  // Rebuilds the pair from a secret key alone (public = scalarmult_base).
  static KeyPair from_secret(const SecureBytes& secret_key);
};

inline constexpr std::size_t kPublicKeyBytes = 32;
inline constexpr std::size_t kSecretKeyBytes = 32;

}  // namespace krasip::crypto
