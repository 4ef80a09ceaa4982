#pragma once
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "krasip/crypto/bytes.hpp"
#include "krasip/crypto/key_pair.hpp"
#include "krasip/crypto/secure_bytes.hpp"

namespace krasip::crypto {

// One public key allowed to read an envelope. The id is opaque here; the
// caller maps it to an investigator, a reporter or the recovery key.
struct Reader {
  std::int64_t id;
  Bytes public_key;
};

// A reader who holds a symmetric key rather than a key pair: the reporter,
// whose key is derived from the tracking code while a request carries it.
// Wrapping the data key for them costs no X25519 operation, where a sealed
// box costs two to make and one to open (about half of a status lookup's
// CPU before this). The key pair stays for what is written while the code
// is absent: investigators' replies are sealed to the reporter's public key.
struct WrapReader {
  std::int64_t id;
  const SecureBytes* wrap_key;  // 32 bytes
};

struct SealedKey {
  std::int64_t reader_id;
  Bytes sealed;  // crypto_box_seal of the data key to that reader, or its key wrap
};

// A record encrypted once under a fresh data key (XChaCha20-Poly1305-IETF),
// the data key sealed to each reader. The associated data (never stored in
// the envelope) binds the ciphertext to its case and field.
struct Envelope {
  Bytes nonce;
  Bytes ciphertext;
  std::vector<SealedKey> keys;
};

Envelope seal_envelope(ByteView plaintext, std::string_view associated_data,
                       std::span<const Reader> readers,
                       std::span<const WrapReader> wrap_readers = {});

// Opens the data key sealed to `reader` and decrypts. Throws DecryptError on
// a wrong key, tampering or mismatched associated data.
SecureBytes open_envelope(const Envelope& envelope, std::string_view associated_data,
                          std::int64_t reader_id, const KeyPair& reader);

// A small secret of any length sealed to one public key (crypto_box_seal),
// e.g. an account's TOTP secret sealed to the account's own key.
Bytes seal_secret(const SecureBytes& secret, ByteView public_key);
SecureBytes open_sealed_secret(ByteView sealed, const KeyPair& reader);

// Granting a new reader access: open the data key, seal it again.
SecureBytes open_data_key(ByteView sealed, const KeyPair& reader);
Bytes seal_data_key(const SecureBytes& data_key, ByteView reader_public_key);
// One data key for every reader: sealed to each key pair, wrapped under each
// symmetric key (what seal_envelope does, for a key made elsewhere, such as
// an evidence file's stream key).
std::vector<SealedKey> seal_data_key_to(const SecureBytes& data_key,
                                        std::span<const Reader> readers,
                                        std::span<const WrapReader> wrap_readers);

// The data key under a reader's symmetric key: nonce || XChaCha20-Poly1305
// ciphertext, kWrappedKeyBytes long, which tells it apart from a sealed box
// (kSealedKeyBytes) in the same column.
Bytes wrap_data_key(const SecureBytes& data_key, const SecureBytes& wrap_key);
SecureBytes unwrap_data_key(ByteView wrapped, const SecureBytes& wrap_key);
inline constexpr std::size_t kSealedKeyBytes = 32 + 48;   // key + crypto_box_SEALBYTES
inline constexpr std::size_t kWrappedKeyBytes = 24 + 32 + 16;  // nonce + key + tag

// One record under a key the caller holds (e.g. a subkey derived from a
// data key): XChaCha20-Poly1305-IETF with a fresh random nonce.
struct SealedRecord {
  Bytes nonce;
  Bytes ciphertext;
};
SealedRecord encrypt_record(const SecureBytes& key, ByteView plaintext,
                            std::string_view associated_data);
SecureBytes decrypt_record(const SecureBytes& data_key, ByteView nonce, ByteView ciphertext,
                           std::string_view associated_data);

}  // namespace krasip::crypto
