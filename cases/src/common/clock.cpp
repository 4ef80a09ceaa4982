#include "krasip/cases/common/clock.hpp"

#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <mutex>

namespace krasip::cases {

namespace {
std::int64_t now_seconds() {
  return static_cast<std::int64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
}

// The offset is re-read only when the file's modification time or size
// changes: a stat per call, not an open.
class OffsetFile {
 public:
  explicit OffsetFile(std::filesystem::path path) : path_(std::move(path)) {}

  std::int64_t offset() {
    struct stat st {};
    const bool exists = ::stat(path_.c_str(), &st) == 0;
    const std::int64_t stamp = exists ? static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec : -1;
    const std::int64_t size = exists ? static_cast<std::int64_t>(st.st_size) : -1;
    std::lock_guard lock(mutex_);
    if (stamp != stamp_ || size != size_) {
      stamp_ = stamp;
      size_ = size;
      offset_ = 0;
      if (exists) {
        std::ifstream in(path_);
        long long v = 0;
        if (in >> v) offset_ = v;
      }
    }
    return offset_;
  }

 private:
  std::filesystem::path path_;
  std::mutex mutex_;
  std::int64_t stamp_ = -2;
  std::int64_t size_ = -2;
  std::int64_t offset_ = 0;
};
}  // namespace

Clock system_clock() { return [] { return now_seconds(); }; }

Clock offset_clock(std::filesystem::path offset_file) {
  auto file = std::make_shared<OffsetFile>(std::move(offset_file));
  return [file] { return now_seconds() + file->offset(); };
}

}  // namespace krasip::cases
