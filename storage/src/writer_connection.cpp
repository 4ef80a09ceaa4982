#include "writer_connection.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include "krasip/storage/errors.hpp"
#include "krasip/storage/migrations.hpp"
#include "krasip/storage/reader_pool.hpp"

namespace krasip::storage {

namespace {

// SQLite creates -wal and -shm with the mode of the database file. Made by a
// reader while krasip.db was read-only, they stay read-only after the
// operator makes krasip.db writable again, and would keep the writer
// read-only. They are this service's own files: give them the file's mode.
void match_side_file_modes(const std::filesystem::path& db_path) {
  struct stat db {};
  if (::stat(db_path.c_str(), &db) != 0 || ::access(db_path.c_str(), W_OK) != 0) return;
  for (const char* suffix : {"-wal", "-shm"}) {
    const std::string side = db_path.string() + suffix;
    struct stat st {};
    if (::stat(side.c_str(), &st) != 0 || st.st_uid != ::geteuid()) continue;
    if ((st.st_mode & S_IWUSR) == 0) ::chmod(side.c_str(), db.st_mode & 07777);
  }
}

// Serving reads from a database that cannot be written is fine only if it
// needs no migration; else the service would run on a schema it does not
// know. Throws a message for the operator.
void require_current_schema(const std::filesystem::path& db_path, const StorageError& cause) {
  const int latest = krasip_migrations().back().version;
  int current = -1;
  std::string read_error;
  try {
    current = schema_version(*open_reader(db_path, true).db);
  } catch (const StorageError& e) {
    read_error = e.what();
  }
  if (current >= latest) return;
  const std::string why = current < 0
                              ? "cannot be read either (" + read_error + ")"
                              : "needs migrating from schema version " + std::to_string(current) +
                                    " to " + std::to_string(latest);
  throw StorageError(cause.code(), db_path.string() + " cannot be written (" + cause.what() +
                                       ") and " + why +
                                       "; make the data folder and its files writable by the "
                                       "service's user, then start again");
}

}  // namespace

WriterConnection::WriterConnection(std::filesystem::path db_path, std::uint64_t max_db_bytes,
                                   std::chrono::milliseconds reopen_interval,
                                   WriteQueue::StateListener listener)
    : path_(std::move(db_path)),
      max_db_bytes_(max_db_bytes),
      reopen_interval_(reopen_interval),
      listener_(std::move(listener)) {}

void WriterConnection::open() {
  Database db = open_writer(path_);
  if (max_db_bytes_ != 0) {
    auto st = db.prepare("PRAGMA page_size");
    st.step();
    const auto pages =
        static_cast<std::int64_t>(max_db_bytes_ / static_cast<std::uint64_t>(st.get_int(0)));
    db.exec("PRAGMA max_page_count = " + std::to_string(pages));
  }
  db_.emplace(std::move(db));
}

void WriterConnection::open_at_start() {
  try {
    open();
  } catch (const StorageError& e) {
    if (!is_access_failure(e.code())) throw;
    require_current_schema(path_, e);
    lose(e.code(), e.what());
  }
}

void WriterConnection::lose(int code, const std::string& reason) {
  db_.reset();
  failure_code_ = code;
  failure_ = reason;
  next_attempt_ = std::chrono::steady_clock::now() + reopen_interval_;
  if (writable_.exchange(false) && listener_) listener_(false, reason);
}

Database* WriterConnection::get() {
  if (db_) return &*db_;
  const auto now = std::chrono::steady_clock::now();
  if (now < next_attempt_) return nullptr;
  next_attempt_ = now + reopen_interval_;
  try {
    match_side_file_modes(path_);
    open();
  } catch (const StorageError& e) {
    failure_code_ = e.code();
    failure_ = e.what();
    return nullptr;
  } catch (const std::exception& e) {
    failure_code_ = 0;
    failure_ = e.what();
    return nullptr;
  }
  writable_ = true;
  // Before the first write: readers must stop using snapshots first.
  if (listener_) listener_(true, {});
  return &*db_;
}

std::exception_ptr WriterConnection::unavailable() const {
  return std::make_exception_ptr(
      StorageUnavailable(failure_code_, "the database cannot be written: " + failure_));
}

void WriterConnection::after_batch(std::span<const std::exception_ptr> errors) {
  for (const auto& error : errors) {
    if (!error) continue;
    try {
      std::rethrow_exception(error);
    } catch (const StorageError& e) {
      if (is_access_failure(e.code())) return lose(e.code(), e.what());
    } catch (...) {
    }
  }
}

void WriterConnection::checkpoint() {
  if (!db_) return;  // lose() closes it whenever the file cannot be written
  try {
    db_->exec("PRAGMA wal_checkpoint(TRUNCATE)");
  } catch (const std::exception&) {
    // The WAL stays; SQLite replays it at the next open. Nothing is lost.
  }
}

}  // namespace krasip::storage
