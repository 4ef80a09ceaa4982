// Opening envelopes from attacker-controlled bytes (a tampered database):
// always DecryptError or the original plaintext, never a crash.
#include <cstdint>
#include <string>

#include "krasip/crypto/envelope.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace krasip::crypto;
  static const KeyPair reader = KeyPair::generate();
  static const std::string plain = "ข้อความทดสอบ";
  static const Envelope genuine =
      seal_envelope(as_bytes(plain), "krasip/v1|case|complaint", std::vector<Reader>{{7, reader.public_key}});
  // Split the input into nonce / ciphertext / sealed key replacements.
  Envelope env = genuine;
  const std::size_t third = size / 3;
  if (size > 0) {
    env.nonce.assign(data, data + third);
    env.ciphertext.assign(data + third, data + 2 * third);
    env.keys[0].sealed.assign(data + 2 * third, data + size);
    if (data[0] & 1) env.nonce = genuine.nonce;
    if (data[0] & 2) env.keys[0].sealed = genuine.keys[0].sealed;
  }
  try {
    const auto out = open_envelope(env, "krasip/v1|case|complaint", 7, reader);
    const std::string got(reinterpret_cast<const char*>(out.data()), out.size());
    if (got != plain) __builtin_trap();  // forgery accepted
  } catch (const DecryptError&) {
  }
  return 0;
}
