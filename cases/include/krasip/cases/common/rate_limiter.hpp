#pragma once
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace krasip::cases {

// Counts failures (or requests) per key in a sliding window, in memory only.
// Keys are stored as BLAKE2b hashes under a per-process random key, so the
// table never holds a username or an address in the clear, and it forgets
// everything on restart.
class RateLimiter {
 public:
  RateLimiter(int max_events, std::int64_t window_seconds);
  // True if the key is currently over its limit.
  bool blocked(std::string_view key, std::int64_t now);
  void record(std::string_view key, std::int64_t now);
  // Records and answers in one step: false if this event goes over the limit.
  bool allow(std::string_view key, std::int64_t now);
  // Events recorded for the key in its current window.
  int count(std::string_view key, std::int64_t now);
  void reset(std::string_view key);

 private:
  struct Window {
    std::int64_t start = 0;
    int count = 0;
  };
  std::string key_of(std::string_view key) const;
  void prune(std::int64_t now);
  int max_;
  std::int64_t window_;
  std::string secret_;
  std::mutex mutex_;
  std::unordered_map<std::string, Window> windows_;
  std::int64_t last_prune_ = 0;
};

}  // namespace krasip::cases
