#include "krasip/crypto/encoding.hpp"

#include <sodium.h>

#include "krasip/crypto/sodium_init.hpp"

namespace krasip::crypto {

std::string to_base64(ByteView data) {
  ensure_sodium();
  const auto variant = sodium_base64_VARIANT_ORIGINAL;
  std::string out(sodium_base64_ENCODED_LEN(data.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), data.data(), data.size(), variant);
  out.resize(out.size() - 1);  // drop the terminating NUL
  return out;
}

std::optional<Bytes> from_base64(std::string_view text) {
  ensure_sodium();
  Bytes out(text.size() * 3 / 4 + 3);
  std::size_t len = 0;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &len, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0) {
    return std::nullopt;
  }
  out.resize(len);
  return out;
}

std::string to_hex(ByteView data) {
  std::string out(data.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), data.data(), data.size());
  out.pop_back();
  return out;
}

Bytes random_bytes(std::size_t n) {
  ensure_sodium();
  Bytes out(n);
  if (n != 0) randombytes_buf(out.data(), n);
  return out;
}

}  // namespace krasip::crypto
