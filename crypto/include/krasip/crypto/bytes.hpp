#pragma once
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace krasip::crypto {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

inline ByteView as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// Thrown when authenticated decryption fails: wrong key, tampered data or
// mismatched associated data. Callers never learn which.
class DecryptError : public std::runtime_error {
 public:
  DecryptError() : std::runtime_error("decryption failed") {}
};

}  // namespace krasip::crypto
