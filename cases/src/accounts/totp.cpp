#include "krasip/cases/accounts/totp.hpp"

#include <liboath/oath.h>

#include <cstdlib>
#include <stdexcept>

namespace krasip::cases {

namespace {
constexpr unsigned kStep = 30;
constexpr unsigned kDigits = 6;

void ensure_oath() {
  static const int rc = oath_init();
  if (rc != OATH_OK) throw std::runtime_error("liboath initialisation failed");
}

std::string percent_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_') {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}
}  // namespace

crypto::SecureBytes new_totp_secret() { return crypto::SecureBytes::random(20); }

std::string totp_uri(std::string_view issuer, std::string_view account,
                     const crypto::SecureBytes& secret) {
  ensure_oath();
  char* b32 = nullptr;
  size_t b32_len = 0;
  if (oath_base32_encode(reinterpret_cast<const char*>(secret.data()), secret.size(), &b32,
                         &b32_len) != OATH_OK) {
    throw std::runtime_error("base32 encoding failed");
  }
  std::string encoded(b32, b32_len);
  while (!encoded.empty() && encoded.back() == '=') encoded.pop_back();
  std::free(b32);
  return "otpauth://totp/" + percent_encode(issuer) + ":" + percent_encode(account) +
         "?secret=" + encoded + "&issuer=" + percent_encode(issuer) +
         "&algorithm=SHA1&digits=6&period=30";
}

std::optional<std::int64_t> verify_totp(const crypto::SecureBytes& secret, std::string_view code,
                                        std::int64_t now) {
  ensure_oath();
  if (code.size() != kDigits) return std::nullopt;
  for (char c : code) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  const std::string otp(code);
  int pos = 0;
  uint64_t counter = 0;
  const int rc = oath_totp_validate3(reinterpret_cast<const char*>(secret.data()), secret.size(),
                                     static_cast<time_t>(now), kStep, 0, 1, &pos, &counter,
                                     otp.c_str());
  if (rc < 0) return std::nullopt;
  return static_cast<std::int64_t>(counter);
}

std::optional<crypto::SecureBytes> totp_secret_from_uri(std::string_view uri) {
  ensure_oath();
  const auto start = uri.find("secret=");
  if (start == std::string_view::npos) return std::nullopt;
  const auto value = uri.substr(start + 7, uri.find('&', start) - start - 7);
  std::string b32(value);
  while (b32.size() % 8 != 0) b32.push_back('=');
  char* out = nullptr;
  size_t len = 0;
  if (oath_base32_decode(b32.data(), b32.size(), &out, &len) != OATH_OK) return std::nullopt;
  crypto::SecureBytes secret = crypto::SecureBytes::copy_of(
      {reinterpret_cast<const std::uint8_t*>(out), len});
  std::free(out);
  return secret;
}

std::string totp_code(const crypto::SecureBytes& secret, std::int64_t now) {
  ensure_oath();
  char out[kDigits + 1] = {};
  if (oath_totp_generate(reinterpret_cast<const char*>(secret.data()), secret.size(),
                         static_cast<time_t>(now), kStep, 0, kDigits, out) != OATH_OK) {
    throw std::runtime_error("TOTP generation failed");
  }
  return out;
}

}  // namespace krasip::cases
