// malloc and its relatives, interposed for the whole helper process (every
// library's calls resolve to these), pass through to glibc's allocator and
// note a failure. free and malloc_usable_size stay glibc's: the memory is
// glibc's own.
#include "allocation_watch.hpp"

#include <atomic>
#include <cerrno>
#include <cstddef>

namespace krasip::cleaner {
namespace {
std::atomic<bool> failed{false};
}  // namespace

bool allocation_failed() { return failed.load(std::memory_order_relaxed); }

}  // namespace krasip::cleaner

#ifndef KRASIP_SANITIZER_BUILD
namespace {
void* noted(void* p, bool asked) {
  if (p == nullptr && asked) krasip::cleaner::failed.store(true, std::memory_order_relaxed);
  return p;
}
}  // namespace

extern "C" {
void* __libc_malloc(std::size_t);
void* __libc_calloc(std::size_t, std::size_t);
void* __libc_realloc(void*, std::size_t);
void* __libc_memalign(std::size_t, std::size_t);

void* malloc(std::size_t n) noexcept { return noted(__libc_malloc(n), n != 0); }
void* calloc(std::size_t count, std::size_t n) noexcept { return noted(__libc_calloc(count, n), count != 0 && n != 0); }
void* realloc(void* p, std::size_t n) noexcept { return noted(__libc_realloc(p, n), n != 0); }
void* memalign(std::size_t alignment, std::size_t n) noexcept { return noted(__libc_memalign(alignment, n), n != 0); }
void* aligned_alloc(std::size_t alignment, std::size_t n) noexcept {
  return noted(__libc_memalign(alignment, n), n != 0);
}
int posix_memalign(void** out, std::size_t alignment, std::size_t n) noexcept {
  if (alignment % sizeof(void*) != 0 || (alignment & (alignment - 1)) != 0) return EINVAL;
  void* p = noted(__libc_memalign(alignment, n), n != 0);
  if (p == nullptr && n != 0) return ENOMEM;
  *out = p;
  return 0;
}
}
#endif
