#pragma once
// Floods cost the flooder (issue 22): a hashcash-style proof of work for a
// submission, a status lookup and a reporter message, asked when the
// client's address is unknown (every onion visitor is 127.0.0.1; a proxy
// that sends no X-Real-IP) or when the service is under a flood.
//
// A challenge is 16 random bytes, its expiry, what it is for and its
// difficulty, with a BLAKE2b MAC under a key made at start: the server keeps
// no list of the challenges it gave out. A proof is "<challenge>:<nonce>"
// where SHA-256 of those bytes starts with `bits` zero bits (SHA-256 because
// a browser's Web Worker computes it fast in plain JavaScript). Verifying
// costs one SHA-256 and one BLAKE2b: microseconds. Each challenge is used
// once (the used ones are kept, hashed, until they expire).
//
// Difficulty: `base_bits` while calm; under a flood, one more bit (twice the
// work) for each doubling of the requests *admitted* in the last minute
// beyond the calm floor, up to `max_bits`. So a flooder that solves pays
// more for each submission it gets in, and one that does not solve is
// refused at once without raising the price for honest reporters. The
// floors are far above what honest reporters send, so below them nothing a
// reporter does moves the difficulty: it cannot date their action.
// In memory only; nothing of it is logged or stored.
//
// The meters run whether or not proofs are asked (--pow-bits 0): they also
// tell the intake when web complaints arrive in a flood, which are then
// filed as one batch for investigators (in_flood; docs/security.md).
#include <array>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace krasip::cases {

class ProofOfWork {
 public:
  enum class Purpose : std::uint8_t { submit = 1, status = 2, message = 3 };

  struct Config {
    unsigned base_bits = 17;  // 0: never asked
    unsigned max_bits = 24;
    std::int64_t lifetime_seconds = 600;  // a challenge's life: a slow phone solves well within
    // Attempts per minute (solved or not) above which everyone is asked
    // for a proof, and admitted requests per minute above which the
    // difficulty rises, per purpose.
    std::uint32_t flood_floor[4] = {0, 30, 300, 60};
    std::size_t max_used = 200000;
    // A flood's aftermath: for this long after the last attempt over the
    // floor the service still counts itself flooded (in_flood), so a
    // flooder pausing under the floor for a minute is still one batch.
    std::int64_t flood_gap_seconds = 10 * 60;
  };

  struct Challenge {
    std::string token;
    unsigned bits = 0;
    std::int64_t expires = 0;
  };

  enum class Verdict { ok, missing, malformed, forged, wrong_purpose, expired, too_easy, wrong, reused, full };

  explicit ProofOfWork(Config config);
  ProofOfWork() : ProofOfWork(Config{}) {}

  bool enabled() const { return config_.base_bits != 0; }
  unsigned base_bits() const { return config_.base_bits; }
  // One request of this kind arrived (whether it will be admitted or not).
  void attempt(Purpose p, std::int64_t now);
  // Whether a request of this kind must bring a proof.
  bool required(Purpose p, bool address_known, std::int64_t now);
  // The difficulty a proof must have now (zero bits when none is asked).
  unsigned difficulty(Purpose p, std::int64_t now);
  // Whether the attempts of this kind in the last minute are over the floor.
  bool flooded(Purpose p, std::int64_t now);
  // Whether `now` is in a flood of this kind or its aftermath: from the
  // first attempt over the floor until flood_gap_seconds after the last.
  bool in_flood(Purpose p, std::int64_t now);
  Challenge issue(Purpose p, std::int64_t now);
  // Checks `proof` and uses its challenge up; an admitted request counts
  // towards the difficulty.
  Verdict verify(Purpose p, std::string_view proof, std::int64_t now);

  static const char* to_string(Verdict v);
  static const char* to_string(Purpose p);
  // Leading zero bits of SHA-256(text): what the client's worker looks for.
  static unsigned leading_zero_bits(std::string_view text);

 private:
  // Two one-minute buckets, the previous one weighted by the part of it
  // still inside the last 60 seconds.
  struct Meter {
    std::int64_t minute = 0;
    std::uint64_t current = 0;
    std::uint64_t previous = 0;
    void add(std::int64_t now);
    double rate(std::int64_t now) const;
  };
  Config config_;
  std::array<unsigned char, 32> key_{};
  std::mutex mutex_;
  Meter attempts_[4];
  Meter admitted_[4];
  // The last attempt seen over the floor (0: none yet).
  std::int64_t last_flooded_[4] = {0, 0, 0, 0};
  std::unordered_map<std::string, std::int64_t> used_;
};

}  // namespace krasip::cases
