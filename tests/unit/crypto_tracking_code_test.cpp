// Tracking codes: 20 random digits plus a Damm check digit, typed by
// reporters on phones; stored only as a keyed hash.
#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

#include "krasip/crypto/encoding.hpp"
#include "krasip/crypto/tracking_code.hpp"

using namespace krasip::crypto;

namespace {

std::string digits_of(const TrackingCode& c) {
  return {reinterpret_cast<const char*>(c.digits().data()), c.digits().size()};
}

// A fixed valid code: 20 digits plus their Damm check digit.
std::string valid_digits() {
  const std::string body = "31415926535897932384";
  return body + damm_check_digit(body);
}

std::string to_thai_digits(const std::string& ascii) {
  std::string out;
  for (const char c : ascii) {
    if (c >= '0' && c <= '9') {
      out += "\xE0\xB9";
      out += static_cast<char>(0x90 + (c - '0'));
    } else {
      out += c;
    }
  }
  return out;
}

SecureBytes pepper(std::uint8_t fill) {
  SecureBytes p(kPepperBytes);
  for (std::size_t i = 0; i < p.size(); ++i) p.data()[i] = static_cast<std::uint8_t>(fill + i);
  return p;
}

}  // namespace

TEST_CASE("tracking code: generated codes are 3 dash-separated groups of 7 digits and parse") {
  for (int i = 0; i < 50; ++i) {
    const auto code = TrackingCode::generate();
    const std::string f = code.formatted();
    REQUIRE(f.size() == 23);
    CHECK(f[7] == '-');
    CHECK(f[15] == '-');
    int digits = 0;
    for (std::size_t k = 0; k < f.size(); ++k) {
      if (k == 7 || k == 15) continue;
      CHECK((f[k] >= '0' && f[k] <= '9'));
      ++digits;
    }
    CHECK(digits == 21);
    const auto parsed = parse_tracking_code(f);
    REQUIRE(parsed.code.has_value());
    CHECK_FALSE(parsed.error.has_value());
    CHECK(digits_of(*parsed.code) == digits_of(code));
  }
}

TEST_CASE("tracking code: every single-digit typo is a bad check digit") {
  const auto code = TrackingCode::generate();
  const std::string good = digits_of(code);
  REQUIRE(parse_tracking_code(good).code.has_value());
  int tried = 0;
  for (std::size_t pos = 0; pos < good.size(); ++pos) {
    for (char d = '0'; d <= '9'; ++d) {
      if (d == good[pos]) continue;
      std::string typo = good;
      typo[pos] = d;
      const auto parsed = parse_tracking_code(typo);
      INFO("position ", pos, " digit ", d);
      CHECK_FALSE(parsed.code.has_value());
      REQUIRE(parsed.error.has_value());
      CHECK(*parsed.error == CodeParseError::bad_check_digit);
      ++tried;
    }
  }
  CHECK(tried == 21 * 9);
}

TEST_CASE("tracking code: every swap of neighbouring different digits is detected") {
  for (const std::string& good : std::vector<std::string>{valid_digits(), digits_of(TrackingCode::generate())}) {
    int swaps = 0;
    for (std::size_t pos = 0; pos + 1 < good.size(); ++pos) {
      if (good[pos] == good[pos + 1]) continue;
      std::string swapped = good;
      std::swap(swapped[pos], swapped[pos + 1]);
      const auto parsed = parse_tracking_code(swapped);
      INFO("swap at ", pos, " of ", good);
      CHECK_FALSE(parsed.code.has_value());
      CHECK(parsed.error == CodeParseError::bad_check_digit);
      ++swaps;
    }
    CHECK(swaps > 0);
  }
}

TEST_CASE("tracking code: spaces, no dashes and Thai digits give the same code") {
  const auto p = pepper(1);
  const std::string d = valid_digits();
  const std::string dashed = d.substr(0, 7) + "-" + d.substr(7, 7) + "-" + d.substr(14);
  const std::string spaced = d.substr(0, 7) + " " + d.substr(7, 7) + " " + d.substr(14);
  const auto ref = parse_tracking_code(dashed);
  REQUIRE(ref.code.has_value());
  CHECK(ref.code->formatted() == dashed);
  const auto ref_hash = tracking_code_lookup_hash(p, *ref.code);

  for (const std::string& variant :
       {d, spaced, " " + dashed + " ", to_thai_digits(dashed), to_thai_digits(d),
        to_thai_digits(d.substr(0, 10)) + d.substr(10)}) {
    INFO(variant);
    const auto parsed = parse_tracking_code(variant);
    REQUIRE(parsed.code.has_value());
    CHECK(digits_of(*parsed.code) == d);
    CHECK(tracking_code_lookup_hash(p, *parsed.code) == ref_hash);
  }
}

TEST_CASE("tracking code: wrong lengths and foreign characters are malformed") {
  const std::string d = valid_digits();
  for (const std::string& bad : std::vector<std::string>{
        std::string(), d.substr(0, 20), d.substr(0, 7), d + "0", d + d, "abcdefg-hijklmn-opqrstu",
        d.substr(0, 20) + "x", "x" + d, d.substr(0, 10) + "." + d.substr(10),
        d.substr(0, 20) + "\xE0\xB9",  // a cut-off Thai digit
        d.substr(0, 20) + "\xE0\xB8\x81"}) {  // Thai letter ko kai, not a digit
    INFO(bad);
    const auto parsed = parse_tracking_code(bad);
    CHECK_FALSE(parsed.code.has_value());
    CHECK(parsed.error == CodeParseError::malformed);
  }
}

TEST_CASE("tracking code: the lookup hash depends on the pepper and the code") {
  const auto a = TrackingCode::generate();
  const auto b = TrackingCode::generate();
  const auto p1 = pepper(1);
  const auto p2 = pepper(2);
  const auto h = tracking_code_lookup_hash(p1, a);
  CHECK(h.size() == 32);
  CHECK(tracking_code_lookup_hash(p1, a) == h);  // stable, so it can be looked up
  CHECK(tracking_code_lookup_hash(p2, a) != h);
  CHECK(tracking_code_lookup_hash(p1, b) != h);
  // The hash is not the code itself.
  const std::string hs(h.begin(), h.end());
  CHECK(hs.find(digits_of(a).substr(0, 7)) == std::string::npos);
  CHECK_THROWS_AS(tracking_code_lookup_hash(SecureBytes(16), a), std::invalid_argument);
}

TEST_CASE("tracking code: the reporter key pair is derived deterministically") {
  const auto code = parse_tracking_code(valid_digits()).code.value();
  const auto other = TrackingCode::generate();
  const auto p1 = pepper(1);
  const auto p2 = pepper(9);
  const Bytes salt1(kCaseSaltBytes, 0x11);
  const Bytes salt2(kCaseSaltBytes, 0x22);

  const auto kp = reporter_key_pair(p1, salt1, code);
  CHECK(kp.public_key.size() == kPublicKeyBytes);
  const auto again = reporter_key_pair(p1, salt1, code);
  CHECK(again.public_key == kp.public_key);
  CHECK(again.secret_key.equals(kp.secret_key.view()));

  CHECK(reporter_key_pair(p1, salt2, code).public_key != kp.public_key);
  CHECK(reporter_key_pair(p1, salt1, other).public_key != kp.public_key);
  CHECK(reporter_key_pair(p2, salt1, code).public_key != kp.public_key);
}

TEST_CASE("tracking code: 1000 generated codes are distinct") {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(digits_of(TrackingCode::generate()));
  CHECK(seen.size() == 1000);
}
