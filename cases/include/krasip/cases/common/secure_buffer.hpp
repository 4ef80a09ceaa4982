#pragma once
#include <cstddef>
#include <cstdint>
#include <span>

#include "krasip/crypto/secure_bytes.hpp"

namespace krasip::cases {

// A growable byte buffer in sodium_malloc'd memory (zeroed when freed),
// for plaintext that must be held whole for a moment (an image being
// cleaned). Grows by doubling up to `max`; appending beyond throws.
class SecureBuffer {
 public:
  explicit SecureBuffer(std::size_t max) : max_(max) {}
  void append(std::span<const std::uint8_t> data);
  std::span<const std::uint8_t> view() const { return {buf_.data(), size_}; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  void clear() {
    buf_ = crypto::SecureBytes();
    size_ = 0;
  }

 private:
  crypto::SecureBytes buf_;
  std::size_t size_ = 0;
  std::size_t max_;
};

}  // namespace krasip::cases
