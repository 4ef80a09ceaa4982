#include "krasip/storage/backup.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <fstream>
#include <memory>
#include <sstream>

#include "krasip/storage/database.hpp"
#include "krasip/storage/errors.hpp"
#include "krasip/storage/migrations.hpp"
#include "krasip/storage/statement.hpp"

namespace krasip::storage::backup {

namespace fs = std::filesystem;

namespace {

constexpr const char* kManifestHeader = "krasip-backup 1";
constexpr const char* kDatabaseName = "krasip.db";

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
  // close() can report a delayed write error (NFS, full disk): not ignored.
  int close_now() {
    const int rc = ::close(fd_);
    fd_ = -1;
    return rc;
  }

 private:
  int fd_;
};

std::string errno_text(int e) {
  if (e == ENOSPC || e == EFBIG || e == EDQUOT) return "no space left on the backup's disk (" + std::string(std::strerror(e)) + ")";
  return std::strerror(e);
}

[[noreturn]] void fail(const std::string& what, int e) { throw BackupError(what + ": " + errno_text(e)); }

void fsync_path(const fs::path& p, bool directory) {
  Fd fd(::open(p.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC));
  if (!fd || ::fsync(fd.get()) != 0) fail("cannot flush " + p.string() + " to disk", errno);
}

// Copies a file byte for byte into a new file (never over an existing one),
// flushed to disk before it returns. Returns its size.
std::uintmax_t copy_synced(const fs::path& from, const fs::path& to) {
  Fd in(::open(from.c_str(), O_RDONLY | O_CLOEXEC));
  if (!in) fail("cannot read " + from.string(), errno);
  Fd out(::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (!out) fail("cannot write " + to.string(), errno);
  std::array<char, 64 * 1024> buf{};
  std::uintmax_t total = 0;
  for (;;) {
    const ssize_t n = ::read(in.get(), buf.data(), buf.size());
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("cannot read " + from.string(), errno);
    }
    for (ssize_t done = 0; done < n;) {
      const ssize_t w = ::write(out.get(), buf.data() + done, static_cast<std::size_t>(n - done));
      if (w < 0) {
        if (errno == EINTR) continue;
        fail("cannot write " + to.string(), errno);
      }
      done += w;
    }
    total += static_cast<std::uintmax_t>(n);
  }
  if (::fsync(out.get()) != 0) fail("cannot flush " + to.string() + " to disk", errno);
  if (out.close_now() != 0) fail("cannot write " + to.string(), errno);
  return total;
}

void make_private_dir(const fs::path& dir) {
  if (::mkdir(dir.c_str(), 0700) != 0) fail("cannot make the folder " + dir.string(), errno);
}

// Evidence files are named by krasipd (<hex>.enc); a name that could leave
// the folder means the database was not written by krasipd.
bool safe_file_name(const std::string& name) {
  if (name.empty() || name.size() > 128 || name.front() == '.') return false;
  return std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '.' || c == '_' || c == '-';
  });
}

bool has_table(Database& db, const char* table) {
  auto st = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
  st.bind(1, std::string(table));
  return st.step();
}

// integrity_check, not quick_check: SQLite 3.40's quick_check reports NULLs
// that are not there in a WITHOUT ROWID table whose key orders its columns
// differently from the table (channel_members). It also checks the indexes.
void check_database(Database& db, const fs::path& file) {
  auto st = db.prepare("PRAGMA integrity_check(1)");
  const std::string result = st.step() ? st.get_text(0) : std::string("no answer");
  if (result != "ok") throw BackupError(file.string() + " is damaged (SQLite integrity_check: " + result + ")");
}

struct Contents {
  int schema_version = 0;
  std::int64_t cases = 0;
  std::vector<std::string> files;
};

Contents read_contents(Database& db) {
  Contents c;
  c.schema_version = schema_version(db);
  if (has_table(db, "cases")) {
    auto st = db.prepare("SELECT count(*) FROM cases");
    if (st.step()) c.cases = st.get_int(0);
  }
  if (has_table(db, "attachments")) {
    auto st = db.prepare("SELECT file_name FROM attachments ORDER BY id");
    while (st.step()) {
      auto name = st.get_text(0);
      if (!safe_file_name(name)) throw BackupError("the database names an evidence file '" + name + "' that krasipd never writes");
      c.files.push_back(std::move(name));
    }
  }
  return c;
}

struct SqliteBackupCloser {
  void operator()(sqlite3_backup* b) const { sqlite3_backup_finish(b); }
};

// One snapshot of the live database: a single step holds one read
// transaction for the whole copy, so krasipd's writer goes on committing
// to the WAL and the copy sees none of it.
void online_copy(Database& source, Database& dest, const fs::path& dest_file) {
  std::unique_ptr<sqlite3_backup, SqliteBackupCloser> b(
      sqlite3_backup_init(dest.handle(), "main", source.handle(), "main"));
  if (!b) throw BackupError("cannot start the copy: " + std::string(sqlite3_errmsg(dest.handle())));
  int rc = SQLITE_OK;
  for (int attempt = 0; attempt < 100; ++attempt) {
    rc = sqlite3_backup_step(b.get(), -1);
    if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED) break;
    sqlite3_sleep(50);
  }
  const int finish = sqlite3_backup_finish(b.release());
  if (rc != SQLITE_DONE || finish != SQLITE_OK) {
    const int code = rc != SQLITE_DONE ? rc : finish;
    const int primary = code & 0xff;
    if (primary == SQLITE_FULL || primary == SQLITE_IOERR) {
      throw BackupError("cannot write " + dest_file.string() + ": no space left on the backup's disk, or it failed (" +
                        sqlite3_errstr(code) + ")");
    }
    throw BackupError("cannot copy the database: " + std::string(sqlite3_errstr(code)));
  }
}

std::string utc_stamp() {
  const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::array<char, 32> buf{};
  std::strftime(buf.data(), buf.size(), "%Y%m%dT%H%M%SZ", &tm);
  return buf.data();
}

struct Manifest {
  int schema_version = 0;
  std::int64_t cases = 0;
  std::uintmax_t database_bytes = 0;
  std::vector<std::pair<std::string, std::uintmax_t>> files;
};

void write_manifest(const fs::path& file, const Manifest& m) {
  std::ostringstream out;
  out << kManifestHeader << "\n"
      << "schema " << m.schema_version << "\n"
      << "cases " << m.cases << "\n"
      << "database " << m.database_bytes << "\n";
  for (const auto& [name, size] : m.files) out << "file " << name << " " << size << "\n";
  const std::string text = out.str();
  Fd fd(::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (!fd) fail("cannot write " + file.string(), errno);
  if (::write(fd.get(), text.data(), text.size()) != static_cast<ssize_t>(text.size())) {
    fail("cannot write " + file.string(), errno);
  }
  if (::fsync(fd.get()) != 0 || fd.close_now() != 0) fail("cannot write " + file.string(), errno);
}

Manifest read_manifest(const fs::path& folder) {
  std::ifstream in(folder / "MANIFEST");
  std::string line;
  if (!in || !std::getline(in, line) || line != kManifestHeader) {
    throw BackupError(folder.string() + " is not a Krasip backup (no MANIFEST from krasipd backup)");
  }
  Manifest m;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string key;
    words >> key;
    if (key == "schema") {
      words >> m.schema_version;
    } else if (key == "cases") {
      words >> m.cases;
    } else if (key == "database") {
      words >> m.database_bytes;
    } else if (key == "file") {
      std::string name;
      std::uintmax_t size = 0;
      words >> name >> size;
      if (!safe_file_name(name)) throw BackupError("the MANIFEST names a file '" + name + "' that krasipd never writes");
      m.files.emplace_back(name, size);
    }
    if (words.fail()) throw BackupError("the MANIFEST of " + folder.string() + " is damaged: '" + line + "'");
  }
  return m;
}

bool empty_or_missing(const fs::path& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) return true;
  return fs::is_directory(dir, ec) && fs::is_empty(dir, ec);
}

}  // namespace

Summary create(const fs::path& database, const fs::path& attachments_dir, const fs::path& to) {
  std::error_code ec;
  if (!fs::exists(database, ec)) throw BackupError("no database at " + database.string() + " (is --data-dir right?)");
  if (fs::exists(to, ec) && !fs::is_directory(to, ec)) throw BackupError(to.string() + " is not a folder");
  if (!fs::exists(to, ec)) make_private_dir(to);
  if (::access(to.c_str(), W_OK | X_OK) != 0) fail("cannot write in " + to.string(), errno);

  const std::string name = std::string(kFolderPrefix) + utc_stamp();
  const fs::path final_dir = to / name;
  const fs::path tmp = to / ("." + name + ".partial");
  if (fs::exists(final_dir, ec)) throw BackupError(final_dir.string() + " exists already; try again in a second");
  make_private_dir(tmp);
  try {
    Summary s;
    Manifest m;
    Contents contents;
    {
      Database source(database, OpenMode::read_only);
      // Made 0600 here, whatever the umask, before SQLite opens it.
      Fd made(::open((tmp / kDatabaseName).c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
      if (!made) fail("cannot write " + (tmp / kDatabaseName).string(), errno);
      Database dest(tmp / kDatabaseName, OpenMode::read_write);
      online_copy(source, dest, tmp / kDatabaseName);
      // One self-contained file: the copy was a WAL database like its source.
      dest.exec("PRAGMA journal_mode = DELETE");
      check_database(dest, tmp / kDatabaseName);
      contents = read_contents(dest);
    }
    fsync_path(tmp / kDatabaseName, false);
    m.schema_version = contents.schema_version;
    m.cases = contents.cases;
    m.database_bytes = fs::file_size(tmp / kDatabaseName);
    s.bytes = m.database_bytes;
    // A file is renamed into place before the row naming it commits, so
    // every file the snapshot names exists (unless someone deleted it).
    make_private_dir(tmp / "attachments");
    for (const auto& file : contents.files) {
      if (!fs::exists(attachments_dir / file, ec)) {
        throw BackupError("the evidence file " + (attachments_dir / file).string() +
                          " named by the database is missing; no backup was made");
      }
      const auto size = copy_synced(attachments_dir / file, tmp / "attachments" / file);
      m.files.emplace_back(file, size);
      s.bytes += size;
    }
    fsync_path(tmp / "attachments", true);
    write_manifest(tmp / "MANIFEST", m);
    fsync_path(tmp, true);
    if (::rename(tmp.c_str(), final_dir.c_str()) != 0) fail("cannot name the backup " + final_dir.string(), errno);
    fsync_path(to, true);
    s.folder = final_dir;
    s.schema_version = m.schema_version;
    s.cases = m.cases;
    s.files = m.files.size();
    return s;
  } catch (const StorageError& e) {
    fs::remove_all(tmp, ec);
    const int primary = e.code() & 0xff;
    if (primary == SQLITE_FULL || primary == SQLITE_IOERR) {
      throw BackupError("cannot write the backup: no space left on the backup's disk, or it failed (" +
                        std::string(e.what()) + "); no backup was made");
    }
    throw BackupError(std::string("cannot make the backup: ") + e.what());
  } catch (...) {
    fs::remove_all(tmp, ec);
    throw;
  }
}

std::vector<fs::path> prune(const fs::path& to, std::size_t keep) {
  std::vector<fs::path> backups;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(to, ec)) {
    const auto n = entry.path().filename().string();
    if (entry.is_directory() && n.rfind(kFolderPrefix, 0) == 0) backups.push_back(entry.path());
  }
  // The names sort by time (UTC stamps of fixed width).
  std::sort(backups.begin(), backups.end(), std::greater<>());
  std::vector<fs::path> removed;
  for (std::size_t i = keep; i < backups.size(); ++i) {
    fs::remove_all(backups[i], ec);
    if (ec) throw BackupError("cannot remove the old backup " + backups[i].string() + ": " + ec.message());
    removed.push_back(backups[i]);
  }
  return removed;
}

Summary restore(const fs::path& from, const fs::path& database, const fs::path& attachments_dir) {
  const Manifest m = read_manifest(from);
  std::error_code ec;
  for (const auto& p : {database, fs::path(database.string() + "-wal"), fs::path(database.string() + "-journal")}) {
    if (fs::exists(p, ec)) throw BackupError("there is a database at " + p.string() + " already; restore only into an empty data folder");
  }
  if (!empty_or_missing(attachments_dir)) {
    throw BackupError(attachments_dir.string() + " is not empty; restore only into an empty data folder");
  }
  if (!fs::exists(from / kDatabaseName, ec) || fs::file_size(from / kDatabaseName, ec) != m.database_bytes) {
    throw BackupError("the backup's database is missing or not the size its MANIFEST gives; the backup is damaged");
  }
  for (const auto& [name, size] : m.files) {
    if (!fs::exists(from / "attachments" / name, ec) || fs::file_size(from / "attachments" / name, ec) != size) {
      throw BackupError("the evidence file " + name + " is missing from the backup or not its size; the backup is damaged");
    }
  }

  const bool made_attachments = !fs::exists(attachments_dir, ec);
  const fs::path restoring = database.string() + ".restoring";
  std::vector<fs::path> written;
  try {
    if (made_attachments) make_private_dir(attachments_dir);
    Summary s;
    for (const auto& [name, size] : m.files) {
      written.push_back(attachments_dir / name);
      s.bytes += copy_synced(from / "attachments" / name, attachments_dir / name);
    }
    fsync_path(attachments_dir, true);
    written.push_back(restoring);
    s.bytes += copy_synced(from / kDatabaseName, restoring);
    {
      Database copy(restoring, OpenMode::read_only);
      check_database(copy, from / kDatabaseName);
      const auto contents = read_contents(copy);
      if (contents.files.size() != m.files.size()) {
        throw BackupError("the backup's database names " + std::to_string(contents.files.size()) +
                          " evidence files, its MANIFEST " + std::to_string(m.files.size()) + "; the backup is damaged");
      }
      s.schema_version = contents.schema_version;
      s.cases = contents.cases;
    }
    if (::rename(restoring.c_str(), database.c_str()) != 0) fail("cannot name the database " + database.string(), errno);
    fsync_path(database.parent_path().empty() ? fs::path(".") : database.parent_path(), true);
    s.folder = from;
    s.files = m.files.size();
    return s;
  } catch (...) {
    for (const auto& p : written) fs::remove(p, ec);
    if (made_attachments) fs::remove(attachments_dir, ec);
    throw;
  }
}

}  // namespace krasip::storage::backup
