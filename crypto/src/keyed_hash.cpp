#include "krasip/crypto/keyed_hash.hpp"

#include <sodium.h>

#include <stdexcept>

#include "krasip/crypto/sodium_init.hpp"

namespace krasip::crypto {

Bytes keyed_hash(const SecureBytes& key, std::initializer_list<ByteView> parts) {
  ensure_sodium();
  if (key.size() < crypto_generichash_KEYBYTES_MIN || key.size() > crypto_generichash_KEYBYTES_MAX) {
    throw std::invalid_argument("keyed_hash: bad key size");
  }
  crypto_generichash_state st;
  crypto_generichash_init(&st, key.data(), key.size(), 32);
  for (const auto& p : parts) {
    unsigned char len[8];
    for (int i = 0; i < 8; ++i) len[i] = static_cast<unsigned char>(static_cast<std::uint64_t>(p.size()) >> (8 * i));
    crypto_generichash_update(&st, len, sizeof len);
    crypto_generichash_update(&st, p.data(), p.size());
  }
  Bytes out(32);
  crypto_generichash_final(&st, out.data(), out.size());
  return out;
}

Bytes public_hash(std::initializer_list<ByteView> parts) {
  ensure_sodium();
  crypto_generichash_state st;
  crypto_generichash_init(&st, nullptr, 0, 32);
  for (const auto& p : parts) crypto_generichash_update(&st, p.data(), p.size());
  Bytes out(32);
  crypto_generichash_final(&st, out.data(), out.size());
  return out;
}

SecureBytes derive_subkey(const SecureBytes& master, std::string_view purpose) {
  ensure_sodium();
  SecureBytes out(32);
  crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(purpose.data()),
                     purpose.size(), master.data(), master.size());
  return out;
}

}  // namespace krasip::crypto
