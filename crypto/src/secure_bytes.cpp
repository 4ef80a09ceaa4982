#include "krasip/crypto/secure_bytes.hpp"

#include <sodium.h>

#include <cstring>
#include <new>

#include "krasip/crypto/sodium_init.hpp"

#include <array>
#include <bit>
#include <vector>

namespace krasip::crypto {

namespace {

constexpr std::size_t kSmallest = 32;
constexpr std::size_t kLargestCached = 4096;
constexpr std::size_t kClasses = 8;  // 32, 64, ..., 4096
constexpr std::size_t kPerClass = 64;

// Blocks of one thread, zeroed, ready for reuse; freed when the thread ends.
struct BlockCache {
  std::array<std::vector<void*>, kClasses> free;
  ~BlockCache();
};
thread_local bool cache_alive = false;  // trivially destructible: safe to read at exit
thread_local BlockCache cache;

BlockCache::~BlockCache() {
  cache_alive = false;
  for (auto& blocks : free) {
    for (void* p : blocks) sodium_free(p);
  }
}

std::size_t capacity_for(std::size_t size) {
  return size <= kLargestCached ? std::max(kSmallest, std::bit_ceil(size)) : size;
}

std::size_t class_of(std::size_t capacity) {
  return static_cast<std::size_t>(std::countr_zero(capacity)) - 5;  // log2(32) = 5
}

std::uint8_t* acquire_block(std::size_t capacity) {
  if (capacity <= kLargestCached) {
    cache_alive = true;
    auto& blocks = cache.free[class_of(capacity)];
    if (!blocks.empty()) {
      void* p = blocks.back();
      blocks.pop_back();
      return static_cast<std::uint8_t*>(p);
    }
  }
  auto* p = static_cast<std::uint8_t*>(sodium_malloc(capacity));
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

void release_block(std::uint8_t* p, std::size_t capacity) noexcept {
  if (capacity <= kLargestCached && cache_alive) {
    sodium_memzero(p, capacity);
    auto& blocks = cache.free[class_of(capacity)];
    if (blocks.size() < kPerClass) {
      try {
        blocks.push_back(p);
        return;
      } catch (...) {
      }
    }
  }
  sodium_free(p);  // zeroes before freeing
}

}  // namespace

SecureBytes::SecureBytes(std::size_t size) : size_(size) {
  ensure_sodium();
  if (size == 0) return;
  capacity_ = capacity_for(size);
  data_ = acquire_block(capacity_);
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

SecureBytes::SecureBytes(SecureBytes&& other) noexcept
    : data_(other.data_), size_(other.size_), capacity_(other.capacity_) {
  other.data_ = nullptr;
  other.size_ = 0;
  other.capacity_ = 0;
}

SecureBytes& SecureBytes::operator=(SecureBytes&& other) noexcept {
  if (this != &other) {
    release();
    data_ = other.data_;
    size_ = other.size_;
    capacity_ = other.capacity_;
    other.data_ = nullptr;
    other.size_ = 0;
    other.capacity_ = 0;
  }
  return *this;
}

SecureBytes::~SecureBytes() { release(); }

void SecureBytes::release() noexcept {
  if (data_ != nullptr) release_block(data_, capacity_);
  data_ = nullptr;
  size_ = 0;
  capacity_ = 0;
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
