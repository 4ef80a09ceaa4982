#include "krasip/cases/common/proof_of_work.hpp"

#include <sodium.h>

#include <algorithm>
#include <cmath>

namespace krasip::cases {

namespace {
constexpr std::size_t kRandom = 16;
constexpr std::size_t kMac = 16;
constexpr std::size_t kRaw = kRandom + 8 + 1 + 1 + kMac;  // random, expiry, purpose, bits, MAC
constexpr std::size_t kMaxNonce = 32;

std::size_t index(ProofOfWork::Purpose p) { return static_cast<std::size_t>(p) & 3; }
}  // namespace

void ProofOfWork::Meter::add(std::int64_t now) {
  const auto m = now / 60;
  if (m != minute) {
    previous = m == minute + 1 ? current : 0;
    current = 0;
    minute = m;
  }
  ++current;
}

double ProofOfWork::Meter::rate(std::int64_t now) const {
  const auto m = now / 60;
  if (m == minute) {
    const double into = static_cast<double>(now % 60) / 60.0;
    return static_cast<double>(current) + static_cast<double>(previous) * (1.0 - into);
  }
  if (m == minute + 1) {
    const double into = static_cast<double>(now % 60) / 60.0;
    return static_cast<double>(current) * (1.0 - into);
  }
  return 0;
}

ProofOfWork::ProofOfWork(Config config) : config_(config) {
  randombytes_buf(key_.data(), key_.size());
  config_.max_bits = std::max(config_.max_bits, config_.base_bits);
}

void ProofOfWork::attempt(Purpose p, std::int64_t now) {
  std::lock_guard lock(mutex_);
  const auto i = index(p);
  attempts_[i].add(now);
  if (attempts_[i].rate(now) > config_.flood_floor[i]) last_flooded_[i] = now;
}

bool ProofOfWork::in_flood(Purpose p, std::int64_t now) {
  std::lock_guard lock(mutex_);
  const auto last = last_flooded_[index(p)];
  return last != 0 && now >= last && now - last <= config_.flood_gap_seconds;
}

bool ProofOfWork::flooded(Purpose p, std::int64_t now) {
  std::lock_guard lock(mutex_);
  return attempts_[index(p)].rate(now) > config_.flood_floor[index(p)];
}

bool ProofOfWork::required(Purpose p, bool address_known, std::int64_t now) {
  if (!enabled()) return false;
  return !address_known || flooded(p, now);
}

unsigned ProofOfWork::difficulty(Purpose p, std::int64_t now) {
  if (!enabled()) return 0;
  double rate = 0;
  {
    std::lock_guard lock(mutex_);
    rate = admitted_[index(p)].rate(now);
  }
  const double floor = std::max<double>(1, config_.flood_floor[index(p)]);
  unsigned extra = 0;
  if (rate > floor) extra = static_cast<unsigned>(std::floor(std::log2(rate / floor))) + 1;
  return std::min(config_.base_bits + extra, config_.max_bits);
}

ProofOfWork::Challenge ProofOfWork::issue(Purpose p, std::int64_t now) {
  Challenge c;
  c.bits = std::max(difficulty(p, now), config_.base_bits);
  c.expires = now + config_.lifetime_seconds;
  std::array<unsigned char, kRaw> raw{};
  randombytes_buf(raw.data(), kRandom);
  for (int i = 0; i < 8; ++i) raw[kRandom + i] = static_cast<unsigned char>(static_cast<std::uint64_t>(c.expires) >> (8 * i));
  raw[kRandom + 8] = static_cast<unsigned char>(p);
  raw[kRandom + 9] = static_cast<unsigned char>(c.bits);
  crypto_generichash(raw.data() + kRaw - kMac, kMac, raw.data(), kRaw - kMac, key_.data(), key_.size());
  char text[sodium_base64_ENCODED_LEN(kRaw, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(text, sizeof text, raw.data(), raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  c.token = text;
  return c;
}

unsigned ProofOfWork::leading_zero_bits(std::string_view text) {
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  unsigned bits = 0;
  for (const unsigned char b : h) {
    if (b == 0) {
      bits += 8;
      continue;
    }
    for (int i = 7; i >= 0 && ((b >> i) & 1) == 0; --i) ++bits;
    break;
  }
  return bits;
}

ProofOfWork::Verdict ProofOfWork::verify(Purpose p, std::string_view proof, std::int64_t now) {
  if (proof.empty()) return Verdict::missing;
  const auto colon = proof.find(':');
  if (colon == std::string_view::npos || colon > 2 * kRaw) return Verdict::malformed;
  const auto token = proof.substr(0, colon);
  const auto nonce = proof.substr(colon + 1);
  if (nonce.empty() || nonce.size() > kMaxNonce ||
      !std::all_of(nonce.begin(), nonce.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
    return Verdict::malformed;
  }
  std::array<unsigned char, kRaw> raw{};
  std::size_t len = 0;
  if (sodium_base642bin(raw.data(), raw.size(), token.data(), token.size(), nullptr, &len, nullptr,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      len != kRaw) {
    return Verdict::malformed;
  }
  unsigned char mac[kMac];
  crypto_generichash(mac, kMac, raw.data(), kRaw - kMac, key_.data(), key_.size());
  if (sodium_memcmp(mac, raw.data() + kRaw - kMac, kMac) != 0) return Verdict::forged;
  if (raw[kRandom + 8] != static_cast<unsigned char>(p)) return Verdict::wrong_purpose;
  std::uint64_t expires = 0;
  for (int i = 0; i < 8; ++i) expires |= static_cast<std::uint64_t>(raw[kRandom + i]) << (8 * i);
  if (static_cast<std::int64_t>(expires) < now) return Verdict::expired;
  const unsigned bits = raw[kRandom + 9];
  // A challenge made before the price rose still counts, one step behind:
  // a phone that started solving is not sent back for a rise meanwhile.
  const unsigned wanted = difficulty(p, now);
  if (bits + 1 < wanted || bits < config_.base_bits) return Verdict::too_easy;
  if (leading_zero_bits(proof) < bits) return Verdict::wrong;
  std::lock_guard lock(mutex_);
  if (used_.size() >= config_.max_used) {
    std::erase_if(used_, [now](const auto& e) { return e.second < now; });
    if (used_.size() >= config_.max_used) return Verdict::full;
  }
  if (!used_.emplace(std::string(reinterpret_cast<const char*>(mac), kMac), static_cast<std::int64_t>(expires)).second) {
    return Verdict::reused;
  }
  admitted_[index(p)].add(now);
  return Verdict::ok;
}

const char* ProofOfWork::to_string(Verdict v) {
  switch (v) {
    case Verdict::ok: return "ok";
    case Verdict::missing: return "missing";
    case Verdict::malformed: return "malformed";
    case Verdict::forged: return "forged";
    case Verdict::wrong_purpose: return "wrong_purpose";
    case Verdict::expired: return "expired";
    case Verdict::too_easy: return "too_easy";
    case Verdict::wrong: return "wrong";
    case Verdict::reused: return "reused";
    case Verdict::full: return "full";
  }
  return "unknown";
}

const char* ProofOfWork::to_string(Purpose p) {
  switch (p) {
    case Purpose::submit: return "submit";
    case Purpose::status: return "status";
    case Purpose::message: return "message";
  }
  return "unknown";
}

}  // namespace krasip::cases
