#include "krasip/crypto/password_wrap.hpp"

#include <sodium.h>

#include <stdexcept>

#include "krasip/crypto/sodium_init.hpp"

namespace krasip::crypto {

namespace {
constexpr std::size_t kKeyBytes = crypto_aead_xchacha20poly1305_ietf_KEYBYTES;

SecureBytes derive(std::string_view password, ByteView salt, const PwhashLimits& limits) {
  SecureBytes key(kKeyBytes);
  if (salt.size() != crypto_pwhash_SALTBYTES) throw DecryptError();
  if (crypto_pwhash(key.data(), key.size(), password.data(), password.size(), salt.data(),
                    limits.opslimit, limits.memlimit, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw std::runtime_error("Argon2id ran out of memory");
  }
  return key;
}
}  // namespace

PwhashLimits PwhashLimits::moderate() {
  return {crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE};
}
PwhashLimits PwhashLimits::interactive() {
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

WrappedKey wrap_secret_key(const SecureBytes& secret_key, std::string_view password,
                           std::string_view associated_data, PwhashLimits limits) {
  ensure_sodium();
  WrappedKey w{Bytes(crypto_pwhash_SALTBYTES), Bytes(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES),
               Bytes(secret_key.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES), limits};
  randombytes_buf(w.salt.data(), w.salt.size());
  randombytes_buf(w.nonce.data(), w.nonce.size());
  const SecureBytes key = derive(password, w.salt, limits);
  unsigned long long len = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      w.ciphertext.data(), &len, secret_key.data(), secret_key.size(),
      reinterpret_cast<const unsigned char*>(associated_data.data()), associated_data.size(),
      nullptr, w.nonce.data(), key.data());
  w.ciphertext.resize(len);
  return w;
}

SecureBytes unwrap_secret_key(const WrappedKey& wrapped, std::string_view password,
                              std::string_view associated_data) {
  ensure_sodium();
  if (wrapped.ciphertext.size() < crypto_aead_xchacha20poly1305_ietf_ABYTES ||
      wrapped.nonce.size() != crypto_aead_xchacha20poly1305_ietf_NPUBBYTES) {
    throw DecryptError();
  }
  const SecureBytes key = derive(password, wrapped.salt, wrapped.limits);
  SecureBytes out(wrapped.ciphertext.size() - crypto_aead_xchacha20poly1305_ietf_ABYTES);
  unsigned long long len = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          out.data(), &len, nullptr, wrapped.ciphertext.data(), wrapped.ciphertext.size(),
          reinterpret_cast<const unsigned char*>(associated_data.data()), associated_data.size(),
          wrapped.nonce.data(), key.data()) != 0) {
    throw DecryptError();
  }
  return out;
}

}  // namespace krasip::crypto
