#include "krasip/cases/retention/purge_journal.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string_view>

#include "krasip/cases/common/thai_time.hpp"
#include "krasip/crypto/encoding.hpp"
#include "krasip/crypto/keyed_hash.hpp"

namespace krasip::cases {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kNameBytes = 32;

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }
  int close_now() {
    const int rc = ::close(fd_);
    fd_ = -1;
    return rc;
  }

 private:
  int fd_;
};

[[noreturn]] void fail(const std::string& what, int e) {
  throw PurgeJournalError(what + ": " + std::strerror(e));
}

void write_all(int fd, std::string_view text, const fs::path& file) {
  for (std::size_t done = 0; done < text.size();) {
    const ssize_t w = ::write(fd, text.data() + done, text.size() - done);
    if (w < 0) {
      if (errno == EINTR) continue;
      fail("cannot write the purge journal " + file.string(), errno);
    }
    done += static_cast<std::size_t>(w);
  }
}

void fsync_folder(const fs::path& file) {
  const fs::path dir = file.parent_path().empty() ? fs::path(".") : file.parent_path();
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd || ::fsync(fd.get()) != 0) fail("cannot flush the folder of the purge journal " + file.string(), errno);
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::optional<storage::Blob> from_hex(std::string_view hex) {
  if (hex.size() != 2 * kNameBytes) return std::nullopt;
  storage::Blob out;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int hi = hex_value(hex[i]);
    const int lo = hex_value(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<std::uint8_t>(hi * 16 + lo));
  }
  return out;
}

// A half-written last line (a crash inside write) is cut off, so the next
// line starts on a line of its own.
void cut_torn_tail(int fd, const fs::path& file) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) fail("cannot read the purge journal " + file.string(), errno);
  off_t end = st.st_size;
  off_t keep = end;
  char c = '\n';
  while (keep > 0) {
    if (::pread(fd, &c, 1, keep - 1) != 1) fail("cannot read the purge journal " + file.string(), errno);
    if (c == '\n') break;
    --keep;
  }
  if (keep == end) return;
  if (::ftruncate(fd, keep) != 0) fail("cannot repair the purge journal " + file.string(), errno);
}

}  // namespace

PurgeJournal::PurgeJournal(const crypto::SecureBytes& pepper, fs::path file)
    : key_(crypto::derive_subkey(pepper, "krasip/purge-journal/v1")), file_(std::move(file)) {}

storage::Blob PurgeJournal::name_of(storage::BlobView case_uid) const {
  return crypto::keyed_hash(key_, {case_uid});
}

bool PurgeJournal::create_if_missing() const {
  {
    Fd fd(::open(file_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (!fd) {
      if (errno == EEXIST) return false;
      fail("cannot make the purge journal " + file_.string(), errno);
    }
    write_all(fd.get(), std::string(kHeader) + "\n", file_);
    if (::fsync(fd.get()) != 0 || fd.close_now() != 0) fail("cannot write the purge journal " + file_.string(), errno);
  }
  fsync_folder(file_);
  return true;
}

void PurgeJournal::append(storage::BlobView case_uid, std::int64_t purged_at) const {
  create_if_missing();
  Fd fd(::open(file_.c_str(), O_RDWR | O_APPEND | O_CLOEXEC));
  if (!fd) fail("cannot open the purge journal " + file_.string(), errno);
  cut_torn_tail(fd.get(), file_);
  const std::string line = crypto::to_hex(name_of(case_uid)) + " " + iso_date_bangkok(purged_at) + "\n";
  write_all(fd.get(), line, file_);
  if (::fsync(fd.get()) != 0 || fd.close_now() != 0) fail("cannot write the purge journal " + file_.string(), errno);
}

std::vector<PurgeJournal::Entry> PurgeJournal::read(const fs::path& file) {
  std::error_code ec;
  if (!fs::exists(file, ec)) throw PurgeJournalError("there is no purge journal at " + file.string());
  std::ifstream in(file, std::ios::binary);
  if (!in) throw PurgeJournalError("cannot read the purge journal " + file.string());
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<Entry> out;
  std::size_t at = 0;
  for (int n = 1; at < text.size(); ++n) {
    const auto end = text.find('\n', at);
    if (end == std::string::npos) break;  // a write that never finished: no purge committed after it
    const std::string_view line(text.data() + at, end - at);
    at = end + 1;
    const std::string where = "the purge journal " + file.string() + " line " + std::to_string(n);
    if (n == 1) {
      if (line != kHeader) throw PurgeJournalError(file.string() + " is not a Krasip purge journal");
      continue;
    }
    const auto space = line.find(' ');
    const auto name = space == std::string_view::npos ? std::nullopt : from_hex(line.substr(0, space));
    const auto date = space == std::string_view::npos ? std::nullopt : parse_iso_date(line.substr(space + 1));
    if (!name || !date) throw PurgeJournalError(where + " is damaged: '" + std::string(line) + "'");
    out.push_back({*name, days_from_civil(*date) * 86400 - kBangkokOffsetSeconds});
  }
  if (out.empty() && (text.empty() || text.rfind(kHeader, 0) != 0)) {
    throw PurgeJournalError(file.string() + " is not a Krasip purge journal");
  }
  return out;
}

}  // namespace krasip::cases
