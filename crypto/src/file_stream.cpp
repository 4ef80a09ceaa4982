#include "krasip/crypto/file_stream.hpp"

#include <sodium.h>

#include <new>
#include <stdexcept>

#include "krasip/crypto/sodium_init.hpp"

namespace krasip::crypto {

static_assert(kStreamHeaderBytes == crypto_secretstream_xchacha20poly1305_HEADERBYTES);
static_assert(kStreamChunkOverhead == crypto_secretstream_xchacha20poly1305_ABYTES);
static_assert(kStreamKeyBytes == crypto_secretstream_xchacha20poly1305_KEYBYTES);
static_assert(kStreamKeyBytes == crypto_kdf_KEYBYTES);

namespace {

crypto_secretstream_xchacha20poly1305_state* new_state() {
  ensure_sodium();
  auto* st = static_cast<crypto_secretstream_xchacha20poly1305_state*>(
      sodium_malloc(sizeof(crypto_secretstream_xchacha20poly1305_state)));
  if (st == nullptr) throw std::bad_alloc();
  return st;
}

const unsigned char* ad_ptr(std::string_view ad) {
  return reinterpret_cast<const unsigned char*>(ad.data());
}

}  // namespace

SecureBytes derive_subkey(const SecureBytes& data_key, std::uint64_t subkey_id,
                          std::string_view context) {
  ensure_sodium();
  if (data_key.size() != crypto_kdf_KEYBYTES) throw std::invalid_argument("data key must be 32 bytes");
  if (context.size() != crypto_kdf_CONTEXTBYTES) {
    throw std::invalid_argument("kdf context must be 8 characters");
  }
  char ctx[crypto_kdf_CONTEXTBYTES];
  for (std::size_t i = 0; i < sizeof ctx; ++i) ctx[i] = context[i];
  SecureBytes out(32);
  if (crypto_kdf_derive_from_key(out.data(), out.size(), subkey_id, ctx, data_key.data()) != 0) {
    throw std::runtime_error("crypto_kdf_derive_from_key failed");
  }
  return out;
}

StreamEncryptor::StreamEncryptor(const SecureBytes& key) {
  if (key.size() != kStreamKeyBytes) throw std::invalid_argument("stream key must be 32 bytes");
  state_ = new_state();
  crypto_secretstream_xchacha20poly1305_init_push(state_, header_.data(), key.data());
}

StreamEncryptor::~StreamEncryptor() {
  if (state_ != nullptr) sodium_free(state_);  // zeroes the state
}

void StreamEncryptor::push(ByteView plain, std::string_view associated_data, bool final,
                           Bytes& out) {
  if (finished_) throw std::logic_error("stream already finished");
  out.resize(plain.size() + kStreamChunkOverhead);
  unsigned long long len = 0;
  const unsigned char tag = final ? crypto_secretstream_xchacha20poly1305_TAG_FINAL
                                  : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
  if (crypto_secretstream_xchacha20poly1305_push(state_, out.data(), &len, plain.data(),
                                                 plain.size(), ad_ptr(associated_data),
                                                 associated_data.size(), tag) != 0) {
    throw std::runtime_error("secretstream push failed");
  }
  out.resize(len);
  finished_ = final;
}

StreamDecryptor::StreamDecryptor(const SecureBytes& key, ByteView header) {
  if (key.size() != kStreamKeyBytes || header.size() != kStreamHeaderBytes) throw DecryptError();
  state_ = new_state();
  if (crypto_secretstream_xchacha20poly1305_init_pull(state_, header.data(), key.data()) != 0) {
    sodium_free(state_);
    state_ = nullptr;
    throw DecryptError();
  }
}

StreamDecryptor::~StreamDecryptor() {
  if (state_ != nullptr) sodium_free(state_);
}

std::size_t StreamDecryptor::pull(ByteView cipher, std::string_view associated_data,
                                  std::uint8_t* out) {
  if (finished_ || cipher.size() < kStreamChunkOverhead) throw DecryptError();
  unsigned char scratch = 0;
  unsigned long long len = 0;
  unsigned char tag = 0;
  if (crypto_secretstream_xchacha20poly1305_pull(
          state_, cipher.size() == kStreamChunkOverhead ? &scratch : out, &len, &tag,
          cipher.data(), cipher.size(), ad_ptr(associated_data), associated_data.size()) != 0) {
    throw DecryptError();
  }
  if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL) {
    finished_ = true;
  } else if (tag != crypto_secretstream_xchacha20poly1305_TAG_MESSAGE) {
    throw DecryptError();  // we never write PUSH or REKEY tags
  }
  return static_cast<std::size_t>(len);
}

}  // namespace krasip::crypto
