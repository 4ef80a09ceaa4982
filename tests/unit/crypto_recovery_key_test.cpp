// The agency recovery key as printable text: written down once, typed back
// in years later, so it must forgive case and look-alikes but catch typos.
#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <string>

#include "krasip/crypto/key_pair.hpp"
#include "krasip/crypto/recovery_key.hpp"

using namespace krasip::crypto;

namespace {

SecureBytes fixed_key() {
  SecureBytes k(kSecretKeyBytes);
  for (std::size_t i = 0; i < k.size(); ++i) k.data()[i] = static_cast<std::uint8_t>(i * 37 + 5);
  return k;
}

std::string replace_all(std::string s, char from, char to) {
  std::replace(s.begin(), s.end(), from, to);
  return s;
}

}  // namespace

TEST_CASE("recovery key: encode then decode gives the same secret key") {
  for (int i = 0; i < 20; ++i) {
    const auto kp = KeyPair::generate();
    const std::string text = encode_recovery_key(kp.secret_key);
    // 52 data symbols + 2 check symbols in groups of four: 14 groups.
    CHECK(text.size() == 54 + 13);
    const auto back = decode_recovery_key(text);
    REQUIRE(back.has_value());
    CHECK(back->equals(kp.secret_key.view()));
    // The decoded key rebuilds the same key pair.
    CHECK(KeyPair::from_secret(*back).public_key == kp.public_key);
  }
}

TEST_CASE("recovery key: lower case, spaces and look-alike letters are forgiven") {
  const auto key = fixed_key();
  const std::string text = encode_recovery_key(key);
  std::string lower = text;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const std::string spaced = replace_all(text, '-', ' ');
  const std::string no_sep = [&] {
    std::string s;
    for (char c : text) {
      if (c != '-') s += c;
    }
    return s;
  }();
  REQUIRE(text.find('0') != std::string::npos);
  REQUIRE(text.find('1') != std::string::npos);
  for (const std::string& variant :
       {lower, spaced, no_sep, replace_all(text, '0', 'O'), replace_all(text, '0', 'o'),
        replace_all(text, '1', 'I'), replace_all(text, '1', 'L'), replace_all(text, '1', 'l'),
        replace_all(text, '1', 'i')}) {
    INFO(variant);
    const auto back = decode_recovery_key(variant);
    REQUIRE(back.has_value());
    CHECK(back->equals(key.view()));
  }
}

TEST_CASE("recovery key: a mistyped character fails the check") {
  const auto key = fixed_key();
  const std::string text = encode_recovery_key(key);
  // Change the first, a middle and a check symbol to a different valid one.
  for (const std::size_t at : {std::size_t{0}, std::size_t{21}, text.size() - 1}) {
    std::string typo = text;
    typo[at] = typo[at] == 'Z' ? 'Y' : 'Z';
    INFO(typo);
    CHECK_FALSE(decode_recovery_key(typo).has_value());
  }
  // Letters outside Crockford's alphabet are refused.
  std::string u = text;
  u[0] = 'U';
  CHECK_FALSE(decode_recovery_key(u).has_value());
}

TEST_CASE("recovery key: wrong length fails") {
  const std::string text = encode_recovery_key(fixed_key());
  CHECK_FALSE(decode_recovery_key(text.substr(0, text.size() - 1)).has_value());
  CHECK_FALSE(decode_recovery_key(text + "0").has_value());
  CHECK_FALSE(decode_recovery_key(text.substr(0, 20)).has_value());
  CHECK_FALSE(decode_recovery_key("").has_value());
}

TEST_CASE("recovery key: each key has one spelling (padding bits of the last symbol are zero)") {
  const std::string text = encode_recovery_key(fixed_key());
  std::string raw;
  for (char c : text) {
    if (c != '-') raw.push_back(c);
  }
  REQUIRE(raw.size() == 54);
  // The 52nd symbol holds the last 1 key bit and 4 padding bits: changing
  // only the padding must not be accepted silently.
  constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  const auto v = kAlphabet.find(raw[51]);
  std::string altered = raw;
  altered[51] = kAlphabet[v ^ 1];
  CHECK(decode_recovery_key(raw).has_value());
  CHECK_FALSE(decode_recovery_key(altered).has_value());
}
