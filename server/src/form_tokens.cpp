#include "krasip/server/form_tokens.hpp"

#include <sodium.h>

#include <cstring>
#include <optional>
#include <utility>


namespace krasip::server {

namespace {
constexpr std::size_t kRandom = 16;
constexpr std::size_t kMac = 16;
constexpr std::size_t kRaw = kRandom + 8 + kMac;
}  // namespace

FormTokens::FormTokens(std::int64_t lifetime_seconds, std::size_t max_used)
    : lifetime_(lifetime_seconds), max_used_(max_used) {
  randombytes_buf(key_.data(), key_.size());
}

std::string FormTokens::issue(std::int64_t now) const {
  std::array<unsigned char, kRaw> raw{};
  randombytes_buf(raw.data(), kRandom);
  const auto expiry = static_cast<std::uint64_t>(now + lifetime_);
  for (int i = 0; i < 8; ++i) raw[kRandom + i] = static_cast<unsigned char>(expiry >> (8 * i));
  crypto_generichash(raw.data() + kRandom + 8, kMac, raw.data(), kRandom + 8, key_.data(), key_.size());
  char text[sodium_base64_ENCODED_LEN(kRaw, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(text, sizeof text, raw.data(), raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return text;
}

namespace {
// The token's expiry and MAC when it is one of ours.
std::optional<std::pair<std::int64_t, std::string>> open_token(std::string_view token,
                                                              const std::array<unsigned char, 32>& key) {
  std::array<unsigned char, kRaw> raw{};
  std::size_t len = 0;
  if (token.size() > 2 * kRaw ||
      sodium_base642bin(raw.data(), raw.size(), token.data(), token.size(), nullptr, &len, nullptr,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      len != kRaw) {
    return std::nullopt;
  }
  unsigned char mac[kMac];
  crypto_generichash(mac, kMac, raw.data(), kRandom + 8, key.data(), key.size());
  if (sodium_memcmp(mac, raw.data() + kRandom + 8, kMac) != 0) return std::nullopt;
  std::uint64_t expiry = 0;
  for (int i = 0; i < 8; ++i) expiry |= static_cast<std::uint64_t>(raw[kRandom + i]) << (8 * i);
  return std::pair{static_cast<std::int64_t>(expiry), std::string(reinterpret_cast<const char*>(mac), kMac)};
}
}  // namespace

std::optional<std::int64_t> FormTokens::issued_at(std::string_view token) const {
  const auto t = open_token(token, key_);
  if (!t) return std::nullopt;
  return t->first - lifetime_;
}

FormTokens::Use FormTokens::consume(std::string_view token, std::int64_t now) {
  const auto t = open_token(token, key_);
  if (!t) return Use::invalid;
  const auto expiry = t->first;
  if (expiry < now) return Use::expired;
  std::string id = t->second;
  std::lock_guard lock(mutex_);
  if (used_.size() >= max_used_) {
    std::erase_if(used_, [now](const auto& e) { return e.second < now; });
    if (used_.size() >= max_used_) return Use::full;
  }
  if (!used_.emplace(std::move(id), expiry).second) return Use::used;
  return Use::ok;
}

}  // namespace krasip::server
