#pragma once
#include <cstddef>
#include <cstdint>
#include <span>

namespace krasip::crypto {

// Secret bytes in sodium_malloc'd memory: guard pages, mlock'd where the
// kernel allows, and zeroed on destruction. Small blocks (up to 4 KiB) are
// zeroed and kept in a per-thread cache for reuse: sodium_malloc costs an
// mmap, four mprotects and an mlock, which dominated a status lookup.
class SecureBytes {
 public:
  SecureBytes() = default;
  explicit SecureBytes(std::size_t size);
  SecureBytes(const SecureBytes& other);
  SecureBytes& operator=(const SecureBytes& other);
  SecureBytes(SecureBytes&& other) noexcept;
  SecureBytes& operator=(SecureBytes&& other) noexcept;
  ~SecureBytes();

  static SecureBytes random(std::size_t size);
  static SecureBytes copy_of(std::span<const std::uint8_t> data);

  std::uint8_t* data() { return data_; }
  const std::uint8_t* data() const { return data_; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::span<const std::uint8_t> view() const { return {data_, size_}; }

  // Constant-time comparison (sodium_memcmp); never use == on secrets.
  bool equals(std::span<const std::uint8_t> other) const;

 private:
  void release() noexcept;
  std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

}  // namespace krasip::crypto
