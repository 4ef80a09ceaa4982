#include "krasip/crypto/tracking_code.hpp"

#include <sodium.h>

#include <array>
#include <stdexcept>

#include "krasip/crypto/sodium_init.hpp"

namespace krasip::crypto {

struct TrackingCodeParser {
  static TrackingCode make(SecureBytes digits) { return TrackingCode(std::move(digits)); }
};

namespace {

constexpr std::array<std::array<std::uint8_t, 10>, 10> kDamm{{
    {0, 3, 1, 7, 5, 9, 8, 6, 4, 2},
    {7, 0, 9, 2, 1, 5, 4, 8, 6, 3},
    {4, 2, 0, 6, 8, 7, 1, 3, 5, 9},
    {1, 7, 5, 0, 9, 8, 3, 4, 2, 6},
    {6, 1, 2, 3, 0, 4, 5, 9, 7, 8},
    {3, 6, 7, 4, 2, 0, 9, 5, 8, 1},
    {5, 8, 6, 9, 7, 2, 0, 1, 3, 4},
    {8, 9, 4, 5, 3, 6, 2, 0, 1, 7},
    {9, 4, 3, 8, 6, 1, 7, 2, 0, 5},
    {2, 5, 8, 1, 4, 3, 6, 7, 9, 0},
}};

std::uint8_t damm_interim(const std::uint8_t* digits, std::size_t n) {
  std::uint8_t interim = 0;
  for (std::size_t i = 0; i < n; ++i) interim = kDamm[interim][digits[i] - '0'];
  return interim;
}

void hash_into(std::uint8_t* out, std::size_t out_len, const SecureBytes& key,
               std::string_view domain, ByteView extra, const TrackingCode& code) {
  crypto_generichash_state st;
  crypto_generichash_init(&st, key.data(), key.size(), out_len);
  crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(domain.data()),
                            domain.size());
  crypto_generichash_update(&st, extra.data(), extra.size());
  crypto_generichash_update(&st, code.digits().data(), code.digits().size());
  crypto_generichash_final(&st, out, out_len);
  sodium_memzero(&st, sizeof st);
}

}  // namespace

char damm_check_digit(std::string_view ascii_digits) {
  return static_cast<char>(
      '0' + damm_interim(reinterpret_cast<const std::uint8_t*>(ascii_digits.data()),
                         ascii_digits.size()));
}

TrackingCode TrackingCode::generate() {
  ensure_sodium();
  SecureBytes digits(kTrackingCodeDigits);
  for (std::size_t i = 0; i < kTrackingCodeRandomDigits; ++i) {
    digits.data()[i] = static_cast<std::uint8_t>('0' + randombytes_uniform(10));
  }
  digits.data()[kTrackingCodeRandomDigits] =
      static_cast<std::uint8_t>('0' + damm_interim(digits.data(), kTrackingCodeRandomDigits));
  return TrackingCode(std::move(digits));
}

std::string TrackingCode::formatted() const {
  std::string out;
  out.reserve(kTrackingCodeDigits + 2);
  for (std::size_t i = 0; i < digits_.size(); ++i) {
    if (i != 0 && i % 7 == 0) out.push_back('-');
    out.push_back(static_cast<char>(digits_.data()[i]));
  }
  return out;
}

ParsedCode parse_tracking_code(std::string_view input) {
  SecureBytes digits(kTrackingCodeDigits);
  std::size_t n = 0;
  const auto push = [&](char d) {
    if (n >= kTrackingCodeDigits) return false;
    digits.data()[n++] = static_cast<std::uint8_t>(d);
    return true;
  };
  for (std::size_t i = 0; i < input.size(); ++i) {
    const auto c = static_cast<unsigned char>(input[i]);
    if (c >= '0' && c <= '9') {
      if (!push(static_cast<char>(c))) return {std::nullopt, CodeParseError::malformed};
    } else if (c == ' ' || c == '-') {
      continue;
    } else if (c == 0xE0 && i + 2 < input.size() && static_cast<unsigned char>(input[i + 1]) == 0xB9 &&
               static_cast<unsigned char>(input[i + 2]) >= 0x90 &&
               static_cast<unsigned char>(input[i + 2]) <= 0x99) {
      // Thai digits U+0E50..U+0E59 are E0 B9 90..99 in UTF-8.
      if (!push(static_cast<char>('0' + (static_cast<unsigned char>(input[i + 2]) - 0x90)))) {
        return {std::nullopt, CodeParseError::malformed};
      }
      i += 2;
    } else {
      return {std::nullopt, CodeParseError::malformed};
    }
  }
  if (n != kTrackingCodeDigits) return {std::nullopt, CodeParseError::malformed};
  if (damm_interim(digits.data(), n) != 0) return {std::nullopt, CodeParseError::bad_check_digit};
  return {TrackingCodeParser::make(std::move(digits)), std::nullopt};
}

Bytes tracking_code_lookup_hash(const SecureBytes& pepper, const TrackingCode& code) {
  ensure_sodium();
  if (pepper.size() != kPepperBytes) throw std::invalid_argument("pepper must be 32 bytes");
  Bytes out(32);
  hash_into(out.data(), out.size(), pepper, "krasip/lookup/v1", {}, code);
  return out;
}

KeyPair reporter_key_pair(const SecureBytes& pepper, ByteView case_salt, const TrackingCode& code) {
  ensure_sodium();
  if (pepper.size() != kPepperBytes) throw std::invalid_argument("pepper must be 32 bytes");
  SecureBytes seed(crypto_box_SEEDBYTES);
  hash_into(seed.data(), seed.size(), pepper, "krasip/reporter/v1", case_salt, code);
  return KeyPair::from_seed(seed);
}

SecureBytes reporter_wrap_key(const SecureBytes& pepper, ByteView case_salt,
                              const TrackingCode& code) {
  ensure_sodium();
  if (pepper.size() != kPepperBytes) throw std::invalid_argument("pepper must be 32 bytes");
  SecureBytes key(32);
  hash_into(key.data(), key.size(), pepper, "krasip/reporter-wrap/v1", case_salt, code);
  return key;
}

SecureBytes reporter_identity_key(const SecureBytes& pepper, ByteView case_salt,
                                  const TrackingCode& code) {
  ensure_sodium();
  if (pepper.size() != kPepperBytes) throw std::invalid_argument("pepper must be 32 bytes");
  SecureBytes key(32);
  hash_into(key.data(), key.size(), pepper, "krasip/reporter-identity/v1", case_salt, code);
  return key;
}

}  // namespace krasip::crypto
