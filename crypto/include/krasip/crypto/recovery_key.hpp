#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "krasip/crypto/secure_bytes.hpp"

namespace krasip::crypto {

// The agency recovery secret key as printable text: Crockford base32 of the
// 32-byte key plus two check characters, in groups of four. Decoding
// forgives case, spaces, dashes and the look-alikes I/L→1 and O→0.
std::string encode_recovery_key(const SecureBytes& secret_key);
std::optional<SecureBytes> decode_recovery_key(std::string_view text);

}  // namespace krasip::crypto
