#include "krasip/crypto/envelope.hpp"

#include <sodium.h>

#include <algorithm>
#include <stdexcept>

#include "krasip/crypto/sodium_init.hpp"

namespace krasip::crypto {

namespace {
constexpr std::size_t kKeyBytes = crypto_aead_xchacha20poly1305_ietf_KEYBYTES;
constexpr std::size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kTagBytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;
// Binds a wrapped key to its purpose, so no other ciphertext under the same
// key can be passed off as one.
constexpr std::string_view kWrapAssociatedData = "krasip/v1|data-key-wrap";
static_assert(kSealedKeyBytes == kKeyBytes + crypto_box_SEALBYTES);
static_assert(kWrappedKeyBytes == kNonceBytes + kKeyBytes + kTagBytes);
}  // namespace

Bytes seal_secret(const SecureBytes& secret, ByteView public_key) {
  ensure_sodium();
  if (public_key.size() != crypto_box_PUBLICKEYBYTES) {
    throw std::invalid_argument("public key must be 32 bytes");
  }
  Bytes sealed(secret.size() + crypto_box_SEALBYTES);
  if (crypto_box_seal(sealed.data(), secret.data(), secret.size(), public_key.data()) != 0) {
    throw std::runtime_error("crypto_box_seal failed");
  }
  return sealed;
}

SecureBytes open_sealed_secret(ByteView sealed, const KeyPair& reader) {
  ensure_sodium();
  if (sealed.size() <= crypto_box_SEALBYTES) throw DecryptError();
  SecureBytes out(sealed.size() - crypto_box_SEALBYTES);
  if (crypto_box_seal_open(out.data(), sealed.data(), sealed.size(), reader.public_key.data(),
                           reader.secret_key.data()) != 0) {
    throw DecryptError();
  }
  return out;
}

Bytes seal_data_key(const SecureBytes& data_key, ByteView reader_public_key) {
  ensure_sodium();
  if (reader_public_key.size() != crypto_box_PUBLICKEYBYTES) {
    throw std::invalid_argument("reader public key must be 32 bytes");
  }
  Bytes sealed(data_key.size() + crypto_box_SEALBYTES);
  if (crypto_box_seal(sealed.data(), data_key.data(), data_key.size(), reader_public_key.data()) !=
      0) {
    throw std::runtime_error("crypto_box_seal failed");
  }
  return sealed;
}

SecureBytes open_data_key(ByteView sealed, const KeyPair& reader) {
  ensure_sodium();
  if (sealed.size() != kKeyBytes + crypto_box_SEALBYTES) throw DecryptError();
  SecureBytes key(kKeyBytes);
  if (crypto_box_seal_open(key.data(), sealed.data(), sealed.size(), reader.public_key.data(),
                           reader.secret_key.data()) != 0) {
    throw DecryptError();
  }
  return key;
}

Bytes wrap_data_key(const SecureBytes& data_key, const SecureBytes& wrap_key) {
  ensure_sodium();
  if (data_key.size() != kKeyBytes || wrap_key.size() != kKeyBytes) {
    throw std::invalid_argument("key wrap needs 32-byte keys");
  }
  Bytes out(kWrappedKeyBytes);
  randombytes_buf(out.data(), kNonceBytes);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      out.data() + kNonceBytes, &written, data_key.data(), data_key.size(),
      reinterpret_cast<const unsigned char*>(kWrapAssociatedData.data()),
      kWrapAssociatedData.size(), nullptr, out.data(), wrap_key.data());
  return out;
}

SecureBytes unwrap_data_key(ByteView wrapped, const SecureBytes& wrap_key) {
  ensure_sodium();
  if (wrapped.size() != kWrappedKeyBytes || wrap_key.size() != kKeyBytes) throw DecryptError();
  SecureBytes key(kKeyBytes);
  unsigned long long written = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          key.data(), &written, nullptr, wrapped.data() + kNonceBytes,
          wrapped.size() - kNonceBytes,
          reinterpret_cast<const unsigned char*>(kWrapAssociatedData.data()),
          kWrapAssociatedData.size(), wrapped.data(), wrap_key.data()) != 0) {
    throw DecryptError();
  }
  return key;
}

Envelope seal_envelope(ByteView plaintext, std::string_view associated_data,
                       std::span<const Reader> readers, std::span<const WrapReader> wrap_readers) {
  ensure_sodium();
  if (readers.empty() && wrap_readers.empty()) {
    throw std::invalid_argument("an envelope needs at least one reader");
  }
  const SecureBytes data_key = SecureBytes::random(kKeyBytes);
  Envelope env;
  env.nonce.resize(kNonceBytes);
  randombytes_buf(env.nonce.data(), env.nonce.size());
  env.ciphertext.resize(plaintext.size() + kTagBytes);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      env.ciphertext.data(), &written, plaintext.data(), plaintext.size(),
      reinterpret_cast<const unsigned char*>(associated_data.data()), associated_data.size(),
      nullptr, env.nonce.data(), data_key.data());
  env.ciphertext.resize(written);
  env.keys = seal_data_key_to(data_key, readers, wrap_readers);
  return env;
}

std::vector<SealedKey> seal_data_key_to(const SecureBytes& data_key,
                                        std::span<const Reader> readers,
                                        std::span<const WrapReader> wrap_readers) {
  std::vector<SealedKey> keys;
  keys.reserve(readers.size() + wrap_readers.size());
  for (const auto& r : readers) keys.push_back({r.id, seal_data_key(data_key, r.public_key)});
  for (const auto& r : wrap_readers) keys.push_back({r.id, wrap_data_key(data_key, *r.wrap_key)});
  return keys;
}

SealedRecord encrypt_record(const SecureBytes& key, ByteView plaintext,
                            std::string_view associated_data) {
  ensure_sodium();
  if (key.size() != kKeyBytes) throw std::invalid_argument("record key must be 32 bytes");
  SealedRecord out;
  out.nonce.resize(kNonceBytes);
  randombytes_buf(out.nonce.data(), out.nonce.size());
  out.ciphertext.resize(plaintext.size() + kTagBytes);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      out.ciphertext.data(), &written, plaintext.data(), plaintext.size(),
      reinterpret_cast<const unsigned char*>(associated_data.data()), associated_data.size(),
      nullptr, out.nonce.data(), key.data());
  out.ciphertext.resize(written);
  return out;
}

SecureBytes decrypt_record(const SecureBytes& data_key, ByteView nonce, ByteView ciphertext,
                           std::string_view associated_data) {
  ensure_sodium();
  if (data_key.size() != kKeyBytes || nonce.size() != kNonceBytes ||
      ciphertext.size() < kTagBytes) {
    throw DecryptError();
  }
  SecureBytes plain(ciphertext.size() - kTagBytes);
  unsigned long long len = 0;
  // An empty record still needs a writable pointer for libsodium.
  unsigned char scratch = 0;
  unsigned char* out = plain.empty() ? &scratch : plain.data();
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          out, &len, nullptr, ciphertext.data(), ciphertext.size(),
          reinterpret_cast<const unsigned char*>(associated_data.data()), associated_data.size(),
          nonce.data(), data_key.data()) != 0) {
    throw DecryptError();
  }
  return plain;
}

SecureBytes open_envelope(const Envelope& envelope, std::string_view associated_data,
                          std::int64_t reader_id, const KeyPair& reader) {
  const auto it = std::find_if(envelope.keys.begin(), envelope.keys.end(),
                               [&](const SealedKey& k) { return k.reader_id == reader_id; });
  if (it == envelope.keys.end()) throw DecryptError();
  const SecureBytes data_key = open_data_key(it->sealed, reader);
  return decrypt_record(data_key, envelope.nonce, envelope.ciphertext, associated_data);
}

}  // namespace krasip::crypto
