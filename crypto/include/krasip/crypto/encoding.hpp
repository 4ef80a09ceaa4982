#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "krasip/crypto/bytes.hpp"

namespace krasip::crypto {
// Standard base64 with padding (sodium's constant-time codec).
std::string to_base64(ByteView data);
std::optional<Bytes> from_base64(std::string_view text);
std::string to_hex(ByteView data);
Bytes random_bytes(std::size_t n);
}  // namespace krasip::crypto
