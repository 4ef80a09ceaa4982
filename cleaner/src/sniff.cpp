#include "krasip/cleaner/sniff.hpp"

#include <magic.h>

#include <algorithm>
#include <stdexcept>

namespace krasip::cleaner {

namespace {

// RAII for a libmagic cookie. One per process: the helper sniffs one file
// and exits, so there is no sharing between threads.
class Magic {
 public:
  Magic() : cookie_(magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR | MAGIC_NO_CHECK_COMPRESS)) {
    if (cookie_ == nullptr) throw std::runtime_error("magic_open failed");
    if (magic_load(cookie_, nullptr) != 0) {
      const std::string err = magic_error(cookie_) ? magic_error(cookie_) : "unknown";
      magic_close(cookie_);
      throw std::runtime_error("magic_load failed: " + err);
    }
  }
  Magic(const Magic&) = delete;
  Magic& operator=(const Magic&) = delete;
  ~Magic() { magic_close(cookie_); }

  std::string type_of(std::span<const std::uint8_t> data) {
    const char* t = magic_buffer(cookie_, data.data(), data.size());
    return t != nullptr ? std::string(t) : std::string("application/octet-stream");
  }

 private:
  magic_t cookie_;
};

Magic& magic() {
  static Magic m;
  return m;
}

}  // namespace

void init_sniffer() { (void)magic(); }

std::string sniff_mime_type(std::span<const std::uint8_t> head) {
  return magic().type_of(head.first(std::min(head.size(), kSniffBytes)));
}

}  // namespace krasip::cleaner
