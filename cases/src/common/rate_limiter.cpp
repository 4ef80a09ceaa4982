#include "krasip/cases/common/rate_limiter.hpp"

#include <sodium.h>

#include "krasip/crypto/encoding.hpp"

namespace krasip::cases {

RateLimiter::RateLimiter(int max_events, std::int64_t window_seconds)
    : max_(max_events), window_(window_seconds) {
  const auto s = crypto::random_bytes(32);
  secret_.assign(s.begin(), s.end());
}

std::string RateLimiter::key_of(std::string_view key) const {
  unsigned char h[16];
  crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(key.data()), key.size(),
                     reinterpret_cast<const unsigned char*>(secret_.data()), secret_.size());
  return std::string(reinterpret_cast<const char*>(h), sizeof h);
}

void RateLimiter::prune(std::int64_t now) {
  if (now - last_prune_ < window_) return;
  last_prune_ = now;
  std::erase_if(windows_, [&](const auto& kv) { return now - kv.second.start >= window_; });
}

bool RateLimiter::blocked(std::string_view key, std::int64_t now) {
  std::lock_guard lock(mutex_);
  const auto it = windows_.find(key_of(key));
  if (it == windows_.end() || now - it->second.start >= window_) return false;
  return it->second.count >= max_;
}

int RateLimiter::count(std::string_view key, std::int64_t now) {
  std::lock_guard lock(mutex_);
  const auto it = windows_.find(key_of(key));
  if (it == windows_.end() || now - it->second.start >= window_) return 0;
  return it->second.count;
}

void RateLimiter::record(std::string_view key, std::int64_t now) { (void)allow(key, now); }

bool RateLimiter::allow(std::string_view key, std::int64_t now) {
  std::lock_guard lock(mutex_);
  prune(now);
  Window& w = windows_[key_of(key)];
  if (now - w.start >= window_) w = Window{now, 0};
  ++w.count;
  return w.count <= max_;
}

void RateLimiter::reset(std::string_view key) {
  std::lock_guard lock(mutex_);
  windows_.erase(key_of(key));
}

}  // namespace krasip::cases
