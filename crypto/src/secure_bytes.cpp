#include "krasip/crypto/secure_bytes.hpp"

#include <sodium.h>

#include <cstring>
#include <new>

#include "krasip/crypto/sodium_init.hpp"

namespace krasip::crypto {

SecureBytes::SecureBytes(std::size_t size) : size_(size) {
  ensure_sodium();
  if (size == 0) return;
  data_ = static_cast<std::uint8_t*>(sodium_malloc(size));
  if (data_ == nullptr) throw std::bad_alloc();
}

SecureBytes::SecureBytes(const SecureBytes& other) : SecureBytes(other.size_) {
  if (size_ != 0) std::memcpy(data_, other.data_, size_);
}

SecureBytes& SecureBytes::operator=(const SecureBytes& other) {
  if (this != &other) {
    SecureBytes copy(other);
    *this = std::move(copy);
  }
  return *this;
}

SecureBytes::SecureBytes(SecureBytes&& other) noexcept : data_(other.data_), size_(other.size_) {
  other.data_ = nullptr;
  other.size_ = 0;
}

SecureBytes& SecureBytes::operator=(SecureBytes&& other) noexcept {
  if (this != &other) {
    release();
    data_ = other.data_;
    size_ = other.size_;
    other.data_ = nullptr;
    other.size_ = 0;
  }
  return *this;
}

SecureBytes::~SecureBytes() { release(); }

void SecureBytes::release() noexcept {
  if (data_ != nullptr) sodium_free(data_);  // zeroes before freeing
  data_ = nullptr;
  size_ = 0;
}

SecureBytes SecureBytes::random(std::size_t size) {
  SecureBytes out(size);
  if (size != 0) randombytes_buf(out.data_, size);
  return out;
}

SecureBytes SecureBytes::copy_of(std::span<const std::uint8_t> data) {
  SecureBytes out(data.size());
  if (!data.empty()) std::memcpy(out.data_, data.data(), data.size());
  return out;
}

bool SecureBytes::equals(std::span<const std::uint8_t> other) const {
  if (other.size() != size_) return false;
  if (size_ == 0) return true;
  return sodium_memcmp(data_, other.data(), size_) == 0;
}

}  // namespace krasip::crypto
