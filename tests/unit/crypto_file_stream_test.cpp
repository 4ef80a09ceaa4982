#include <doctest/doctest.h>

#include "krasip/crypto/bytes.hpp"
#include "krasip/crypto/file_stream.hpp"

using namespace krasip::crypto;

TEST_CASE("file stream: chunks round-trip, and only with the same key and associated data") {
  const auto key = SecureBytes::random(kStreamKeyBytes);
  StreamEncryptor enc(key);
  Bytes c1, c2;
  const std::string a = "first chunk ข้อมูล", b = "last";
  enc.push(as_bytes(a), "ad", false, c1);
  enc.push(as_bytes(b), "ad", true, c2);
  CHECK(enc.finished());
  CHECK_THROWS(enc.push(as_bytes(b), "ad", true, c2));
  CHECK(c1.size() == a.size() + kStreamChunkOverhead);

  {
    StreamDecryptor dec(key, enc.header());
    std::string out(a.size(), '\0');
    CHECK(dec.pull(c1, "ad", reinterpret_cast<std::uint8_t*>(out.data())) == a.size());
    CHECK(out == a);
    CHECK_FALSE(dec.finished());
    std::string out2(b.size(), '\0');
    dec.pull(c2, "ad", reinterpret_cast<std::uint8_t*>(out2.data()));
    CHECK(out2 == b);
    CHECK(dec.finished());
    CHECK_THROWS_AS(dec.pull(c2, "ad", reinterpret_cast<std::uint8_t*>(out2.data())), DecryptError);
  }
  std::string sink(64, '\0');
  auto* o = reinterpret_cast<std::uint8_t*>(sink.data());
  {  // other associated data (another case or attachment)
    StreamDecryptor dec(key, enc.header());
    CHECK_THROWS_AS(dec.pull(c1, "other", o), DecryptError);
  }
  {  // another key
    StreamDecryptor dec(SecureBytes::random(kStreamKeyBytes), enc.header());
    CHECK_THROWS_AS(dec.pull(c1, "ad", o), DecryptError);
  }
  {  // reordered chunks
    StreamDecryptor dec(key, enc.header());
    CHECK_THROWS_AS(dec.pull(c2, "ad", o), DecryptError);
  }
  {  // a flipped bit
    Bytes bad = c1;
    bad[3] ^= 1;
    StreamDecryptor dec(key, enc.header());
    CHECK_THROWS_AS(dec.pull(bad, "ad", o), DecryptError);
  }
}

TEST_CASE("file stream: subkeys of one data key differ per id and context") {
  const auto k = SecureBytes::random(32);
  const auto a = derive_subkey(k, 1, "KrspAttc");
  const auto b = derive_subkey(k, 2, "KrspAttc");
  const auto c = derive_subkey(k, 1, "Other___");
  CHECK(a.size() == 32);
  CHECK_FALSE(a.equals(b.view()));
  CHECK_FALSE(a.equals(c.view()));
  CHECK_FALSE(a.equals(k.view()));
  CHECK(a.equals(derive_subkey(k, 1, "KrspAttc").view()));
  CHECK_THROWS(derive_subkey(k, 1, "short"));
}
