#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "krasip/crypto/bytes.hpp"
#include "krasip/crypto/secure_bytes.hpp"

struct crypto_secretstream_xchacha20poly1305_state;

namespace krasip::crypto {

// Files (evidence attachments) are encrypted with
// crypto_secretstream_xchacha20poly1305 as they stream in, in chunks of
// kFileChunkBytes plaintext. Each chunk carries a 17-byte tag; the last one
// is marked FINAL, so a truncated or extended file fails to open.
inline constexpr std::size_t kFileChunkBytes = 64 * 1024;
inline constexpr std::size_t kStreamHeaderBytes = 24;  // ..._HEADERBYTES
inline constexpr std::size_t kStreamChunkOverhead = 17;  // ..._ABYTES
inline constexpr std::size_t kStreamKeyBytes = 32;

// One data key, several primitives: derives an independent subkey with
// crypto_kdf (BLAKE2b) so that no key ever serves two primitives. `context`
// must be exactly 8 characters.
SecureBytes derive_subkey(const SecureBytes& data_key, std::uint64_t subkey_id,
                          std::string_view context);

// The encrypting half. The state lives in sodium_malloc'd memory and is
// zeroed when the object ends.
class StreamEncryptor {
 public:
  explicit StreamEncryptor(const SecureBytes& key);
  StreamEncryptor(const StreamEncryptor&) = delete;
  StreamEncryptor& operator=(const StreamEncryptor&) = delete;
  ~StreamEncryptor();

  // The header the decryptor needs (public; store it before the chunks).
  const std::array<std::uint8_t, kStreamHeaderBytes>& header() const { return header_; }

  // Encrypts one chunk into `out` (resized to plain.size() + overhead). The
  // associated data is authenticated with the chunk. After a final chunk,
  // further pushes throw.
  void push(ByteView plain, std::string_view associated_data, bool final, Bytes& out);
  bool finished() const { return finished_; }

 private:
  crypto_secretstream_xchacha20poly1305_state* state_ = nullptr;
  std::array<std::uint8_t, kStreamHeaderBytes> header_{};
  bool finished_ = false;
};

class StreamDecryptor {
 public:
  // Throws DecryptError on a malformed header.
  StreamDecryptor(const SecureBytes& key, ByteView header);
  StreamDecryptor(const StreamDecryptor&) = delete;
  StreamDecryptor& operator=(const StreamDecryptor&) = delete;
  ~StreamDecryptor();

  // Decrypts one chunk into `out`, which must hold cipher.size() - overhead
  // bytes; returns the plaintext length. Throws DecryptError on a wrong key,
  // tampering, mismatched associated data or a chunk after the final one.
  std::size_t pull(ByteView cipher, std::string_view associated_data, std::uint8_t* out);
  // True once the FINAL chunk was read: anything less is a truncated file.
  bool finished() const { return finished_; }

 private:
  crypto_secretstream_xchacha20poly1305_state* state_ = nullptr;
  bool finished_ = false;
};

}  // namespace krasip::crypto
