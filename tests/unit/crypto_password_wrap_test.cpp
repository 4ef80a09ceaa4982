// An investigator's secret key wrapped under their password (Argon2id) and
// bound to their account.
#include <doctest/doctest.h>

#include <string>

#include "krasip/crypto/key_pair.hpp"
#include "krasip/crypto/password_wrap.hpp"

using namespace krasip::crypto;

TEST_CASE("password wrap: the right password and account unwrap the key") {
  const auto kp = KeyPair::generate();
  const auto w = wrap_secret_key(kp.secret_key, "รหัสผ่าน-ที่ยาวพอ 2568", "krasip/user/somchai",
                                 PwhashLimits::interactive());
  const std::string ct(w.ciphertext.begin(), w.ciphertext.end());
  const std::string sk(reinterpret_cast<const char*>(kp.secret_key.data()), kp.secret_key.size());
  CHECK(ct.find(sk) == std::string::npos);
  const auto back = unwrap_secret_key(w, "รหัสผ่าน-ที่ยาวพอ 2568", "krasip/user/somchai");
  CHECK(back.equals(kp.secret_key.view()));
  CHECK(KeyPair::from_secret(back).public_key == kp.public_key);
}

TEST_CASE("password wrap: a wrong password is refused") {
  const auto kp = KeyPair::generate();
  const auto w = wrap_secret_key(kp.secret_key, "correct horse", "krasip/user/somchai",
                                 PwhashLimits::interactive());
  CHECK_THROWS_AS(unwrap_secret_key(w, "correct horsE", "krasip/user/somchai"), DecryptError);
  CHECK_THROWS_AS(unwrap_secret_key(w, "", "krasip/user/somchai"), DecryptError);
}

TEST_CASE("password wrap: a wrap copied to another account does not open") {
  const auto kp = KeyPair::generate();
  const auto w = wrap_secret_key(kp.secret_key, "correct horse", "krasip/user/somchai",
                                 PwhashLimits::interactive());
  CHECK_THROWS_AS(unwrap_secret_key(w, "correct horse", "krasip/user/malee"), DecryptError);
}

TEST_CASE("password wrap: two wraps of one key use different salts") {
  const auto kp = KeyPair::generate();
  const auto a = wrap_secret_key(kp.secret_key, "pw", "ad", PwhashLimits::interactive());
  const auto b = wrap_secret_key(kp.secret_key, "pw", "ad", PwhashLimits::interactive());
  CHECK(a.salt != b.salt);
  CHECK(a.ciphertext != b.ciphertext);
}

TEST_CASE("SecureBytes::equals compares contents") {
  const auto a = SecureBytes::random(32);
  const SecureBytes copy = a;
  CHECK(copy.equals(a.view()));
  CHECK(a.equals(copy.view()));
  SecureBytes changed = a;
  changed.data()[31] ^= 0x01;
  CHECK_FALSE(changed.equals(a.view()));
  CHECK_FALSE(a.equals(SecureBytes::random(32).view()));
  CHECK_FALSE(a.equals(a.view().first(31)));  // a prefix is not equal
}
