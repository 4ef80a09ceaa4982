#include "krasip/crypto/key_pair.hpp"

#include <sodium.h>

#include <stdexcept>

#include "krasip/crypto/sodium_init.hpp"

namespace krasip::crypto {

static_assert(crypto_box_PUBLICKEYBYTES == kPublicKeyBytes);
static_assert(crypto_box_SECRETKEYBYTES == kSecretKeyBytes);

KeyPair KeyPair::generate() {
  ensure_sodium();
  KeyPair kp{Bytes(crypto_box_PUBLICKEYBYTES), SecureBytes(crypto_box_SECRETKEYBYTES)};
  crypto_box_keypair(kp.public_key.data(), kp.secret_key.data());
  return kp;
}

KeyPair KeyPair::from_seed(const SecureBytes& seed) {
  ensure_sodium();
  if (seed.size() != crypto_box_SEEDBYTES) throw std::invalid_argument("seed must be 32 bytes");
  KeyPair kp{Bytes(crypto_box_PUBLICKEYBYTES), SecureBytes(crypto_box_SECRETKEYBYTES)};
  crypto_box_seed_keypair(kp.public_key.data(), kp.secret_key.data(), seed.data());
  return kp;
}

KeyPair KeyPair::from_secret(const SecureBytes& secret_key) {
  ensure_sodium();
  if (secret_key.size() != crypto_box_SECRETKEYBYTES) {
    throw std::invalid_argument("secret key must be 32 bytes");
  }
  KeyPair kp{Bytes(crypto_box_PUBLICKEYBYTES), secret_key};
  crypto_scalarmult_base(kp.public_key.data(), kp.secret_key.data());
  return kp;
}

}  // namespace krasip::crypto
