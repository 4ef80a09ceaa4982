#include "krasip/crypto/recovery_key.hpp"

#include <sodium.h>

#include "krasip/crypto/sodium_init.hpp"

namespace krasip::crypto {

namespace {
constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr std::size_t kKeyBytes = 32;
constexpr std::size_t kKeyChars = 52;  // ceil(256 / 5)

int symbol_value(char c) {
  if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  if (c == 'I' || c == 'L') c = '1';
  if (c == 'O') c = '0';
  const auto pos = kAlphabet.find(c);
  return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

// 10 bits of BLAKE2b over the key: two symbols catch a mistyped character.
std::string check_symbols(const std::uint8_t* key) {
  unsigned char h[16];
  crypto_generichash(h, sizeof h, key, kKeyBytes, nullptr, 0);
  const unsigned v = (static_cast<unsigned>(h[0]) << 2) | (h[1] >> 6);
  return {kAlphabet[(v >> 5) & 31], kAlphabet[v & 31]};
}
}  // namespace

std::string encode_recovery_key(const SecureBytes& secret_key) {
  ensure_sodium();
  std::string raw;
  raw.reserve(kKeyChars + 2);
  unsigned buffer = 0;
  int bits = 0;
  for (std::size_t i = 0; i < secret_key.size(); ++i) {
    buffer = (buffer << 8) | secret_key.data()[i];
    bits += 8;
    while (bits >= 5) {
      raw.push_back(kAlphabet[(buffer >> (bits - 5)) & 31]);
      bits -= 5;
    }
  }
  if (bits > 0) raw.push_back(kAlphabet[(buffer << (5 - bits)) & 31]);
  raw += check_symbols(secret_key.data());
  std::string out;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (i != 0 && i % 4 == 0) out.push_back('-');
    out.push_back(raw[i]);
  }
  sodium_memzero(raw.data(), raw.size());
  return out;
}

std::optional<SecureBytes> decode_recovery_key(std::string_view text) {
  ensure_sodium();
  SecureBytes key(kKeyBytes);
  std::size_t symbols = 0;
  std::size_t out = 0;
  unsigned buffer = 0;
  int bits = 0;
  int check[2] = {-1, -1};
  for (char c : text) {
    if (c == '-' || c == ' ' || c == '\n' || c == '\t' || c == '\r') continue;
    const int v = symbol_value(c);
    if (v < 0) return std::nullopt;
    if (symbols < kKeyChars) {
      buffer = (buffer << 5) | static_cast<unsigned>(v);
      bits += 5;
      if (bits >= 8) {
        if (out < kKeyBytes) key.data()[out++] = static_cast<std::uint8_t>(buffer >> (bits - 8));
        bits -= 8;
      }
    } else if (symbols < kKeyChars + 2) {
      check[symbols - kKeyChars] = v;
    } else {
      return std::nullopt;
    }
    ++symbols;
  }
  if (symbols != kKeyChars + 2 || out != kKeyBytes) return std::nullopt;
  // The last key symbol carries 4 padding bits; they must be zero, so that
  // one key has exactly one spelling.
  if ((buffer & ((1u << bits) - 1)) != 0) return std::nullopt;
  const std::string expected = check_symbols(key.data());
  if (kAlphabet[check[0]] != expected[0] || kAlphabet[check[1]] != expected[1]) {
    return std::nullopt;
  }
  return key;
}

}  // namespace krasip::crypto
