// Envelopes: one ciphertext, its data key sealed to each reader, bound to
// its case and field by associated data.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "krasip/crypto/envelope.hpp"
#include "krasip/crypto/key_pair.hpp"

using namespace krasip::crypto;

namespace {

const std::string kThai = "ผู้ใหญ่บ้านเรียกรับเงิน 5,000 บาท เพื่อออกใบอนุญาต\nวันที่ ๑๒ มีนาคม";
const std::string kAd = "krasip/v1|00112233445566778899aabbccddeeff|complaint";

std::string text_of(const SecureBytes& s) {
  return {reinterpret_cast<const char*>(s.data()), s.size()};
}

}  // namespace

TEST_CASE("envelope: a reader gets back Thai UTF-8 text byte for byte") {
  const auto kp = KeyPair::generate();
  const std::vector<Reader> readers{{7, kp.public_key}};
  const auto env = seal_envelope(as_bytes(kThai), kAd, readers);
  CHECK(env.keys.size() == 1);
  CHECK(env.ciphertext.size() > kThai.size());  // tag appended
  // The ciphertext does not contain the plaintext.
  const std::string ct(env.ciphertext.begin(), env.ciphertext.end());
  CHECK(ct.find("ผู้ใหญ่บ้าน") == std::string::npos);
  const auto plain = open_envelope(env, kAd, 7, kp);
  CHECK(text_of(plain) == kThai);
}

TEST_CASE("envelope: an empty plaintext round-trips to empty") {
  const auto kp = KeyPair::generate();
  const std::vector<Reader> readers{{1, kp.public_key}};
  const auto env = seal_envelope(as_bytes(""), kAd, readers);
  const auto plain = open_envelope(env, kAd, 1, kp);
  CHECK(plain.size() == 0);
}

TEST_CASE("envelope: a reader not in the envelope cannot open it") {
  const auto kp = KeyPair::generate();
  const auto outsider = KeyPair::generate();
  const std::vector<Reader> readers{{1, kp.public_key}};
  const auto env = seal_envelope(as_bytes(kThai), kAd, readers);
  CHECK_THROWS_AS(open_envelope(env, kAd, 2, outsider), DecryptError);
  CHECK_THROWS_AS(open_envelope(env, kAd, 2, kp), DecryptError);  // right key, unknown id
}

TEST_CASE("envelope: the right reader id with the wrong key pair fails") {
  const auto kp = KeyPair::generate();
  const auto other = KeyPair::generate();
  const std::vector<Reader> readers{{1, kp.public_key}};
  const auto env = seal_envelope(as_bytes(kThai), kAd, readers);
  CHECK_THROWS_AS(open_envelope(env, kAd, 1, other), DecryptError);
}

TEST_CASE("envelope: any flipped bit is detected") {
  const auto kp = KeyPair::generate();
  const std::vector<Reader> readers{{1, kp.public_key}};
  const auto env = seal_envelope(as_bytes(kThai), kAd, readers);
  REQUIRE(text_of(open_envelope(env, kAd, 1, kp)) == kThai);

  SUBCASE("in the ciphertext, first, middle and last byte") {
    for (const std::size_t at : {std::size_t{0}, env.ciphertext.size() / 2,
                                 env.ciphertext.size() - 1}) {
      auto bad = env;
      bad.ciphertext[at] ^= 0x01;
      CHECK_THROWS_AS(open_envelope(bad, kAd, 1, kp), DecryptError);
    }
  }
  SUBCASE("in the nonce") {
    for (std::size_t at = 0; at < env.nonce.size(); ++at) {
      auto bad = env;
      bad.nonce[at] ^= 0x80;
      CHECK_THROWS_AS(open_envelope(bad, kAd, 1, kp), DecryptError);
    }
  }
  SUBCASE("in the sealed key") {
    for (const std::size_t at : {std::size_t{0}, env.keys[0].sealed.size() / 2,
                                 env.keys[0].sealed.size() - 1}) {
      auto bad = env;
      bad.keys[0].sealed[at] ^= 0x01;
      CHECK_THROWS_AS(open_envelope(bad, kAd, 1, kp), DecryptError);
    }
  }
  SUBCASE("a truncated ciphertext") {
    auto bad = env;
    bad.ciphertext.pop_back();
    CHECK_THROWS_AS(open_envelope(bad, kAd, 1, kp), DecryptError);
  }
}

TEST_CASE("envelope: a ciphertext moved to another case or field does not open") {
  const auto kp = KeyPair::generate();
  const std::vector<Reader> readers{{1, kp.public_key}};
  const auto env = seal_envelope(as_bytes(kThai), kAd, readers);
  CHECK_THROWS_AS(
      open_envelope(env, "krasip/v1|00112233445566778899aabbccddeef0|complaint", 1, kp),
      DecryptError);
  CHECK_THROWS_AS(
      open_envelope(env, "krasip/v1|00112233445566778899aabbccddeeff|identity", 1, kp),
      DecryptError);
  CHECK_THROWS_AS(open_envelope(env, "", 1, kp), DecryptError);
}

TEST_CASE("envelope: each of several readers opens it, each with its own key") {
  std::vector<KeyPair> kps;
  std::vector<Reader> readers;
  for (std::int64_t id = 10; id < 14; ++id) {
    kps.push_back(KeyPair::generate());
    readers.push_back({id, kps.back().public_key});
  }
  const auto env = seal_envelope(as_bytes(kThai), kAd, readers);
  REQUIRE(env.keys.size() == readers.size());
  for (std::size_t i = 0; i < kps.size(); ++i) {
    CHECK(text_of(open_envelope(env, kAd, readers[i].id, kps[i])) == kThai);
  }
  // Reader 10's key does not open the data key sealed to reader 11.
  CHECK_THROWS_AS(open_envelope(env, kAd, 11, kps[0]), DecryptError);
}

TEST_CASE("envelope: sealing without readers is refused") {
  const std::vector<Reader> none;
  CHECK_THROWS_AS(seal_envelope(as_bytes(kThai), kAd, none), std::invalid_argument);
}

TEST_CASE("envelope: two seals of the same text use a fresh key and nonce") {
  const auto kp = KeyPair::generate();
  const std::vector<Reader> readers{{1, kp.public_key}};
  const auto a = seal_envelope(as_bytes(kThai), kAd, readers);
  const auto b = seal_envelope(as_bytes(kThai), kAd, readers);
  CHECK(a.nonce != b.nonce);
  CHECK(a.ciphertext != b.ciphertext);
  CHECK(a.keys[0].sealed != b.keys[0].sealed);
  const auto ka = open_data_key(a.keys[0].sealed, kp);
  const auto kb = open_data_key(b.keys[0].sealed, kp);
  CHECK_FALSE(ka.equals(kb.view()));
}

TEST_CASE("envelope: a key-wrap reader opens the same data key; a wrong key or a flipped bit fails") {
  const auto kp = KeyPair::generate();
  const auto wrap_key = SecureBytes::random(32);
  const std::vector<Reader> readers{{7, kp.public_key}};
  const std::vector<WrapReader> wraps{{9, &wrap_key}};
  const auto env = seal_envelope(as_bytes(kThai), kAd, readers, wraps);
  REQUIRE(env.keys.size() == 2);
  CHECK(env.keys[0].sealed.size() == kSealedKeyBytes);
  CHECK(env.keys[1].sealed.size() == kWrappedKeyBytes);
  const auto by_pair = open_data_key(env.keys[0].sealed, kp);
  const auto by_wrap = unwrap_data_key(env.keys[1].sealed, wrap_key);
  CHECK(text_of(decrypt_record(by_wrap, env.nonce, env.ciphertext, kAd)) == kThai);
  CHECK(text_of(by_pair) == text_of(by_wrap));

  CHECK_THROWS_AS(unwrap_data_key(env.keys[1].sealed, SecureBytes::random(32)), DecryptError);
  for (std::size_t i = 0; i < env.keys[1].sealed.size(); ++i) {
    auto tampered = env.keys[1].sealed;
    tampered[i] ^= 0x01;
    CHECK_THROWS_AS(unwrap_data_key(tampered, wrap_key), DecryptError);
  }
  // A sealed box is not taken for a wrap, nor a truncated wrap.
  CHECK_THROWS_AS(unwrap_data_key(env.keys[0].sealed, wrap_key), DecryptError);
  CHECK_THROWS_AS(unwrap_data_key(ByteView(env.keys[1].sealed).first(40), wrap_key), DecryptError);
  // Wrap readers alone are enough for an envelope.
  const auto only_wrap = seal_envelope(as_bytes(kThai), kAd, {}, wraps);
  CHECK(only_wrap.keys.size() == 1);
}
