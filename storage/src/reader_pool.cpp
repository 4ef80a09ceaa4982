#include "krasip/storage/reader_pool.hpp"

#include <chrono>
#include <system_error>

#include "krasip/storage/errors.hpp"

namespace krasip::storage {

namespace {

void read_schema(Database& db) { db.exec("SELECT 1 FROM sqlite_master LIMIT 1"); }

bool wal_is_empty(const std::filesystem::path& db_path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(db_path.string() + "-wal", ec);
  if (!ec) return size == 0;
  return ec == std::errc::no_such_file_or_directory;
}

}  // namespace

ReaderConnection open_reader(const std::filesystem::path& db_path, bool allow_snapshot) {
  try {
    auto db = std::make_unique<Database>(db_path, OpenMode::read_only);
    read_schema(*db);
    return {std::move(db), false};
  } catch (const StorageError& e) {
    if (!allow_snapshot || !is_access_failure(e.code()) || !wal_is_empty(db_path)) throw;
  }
  auto db = std::make_unique<Database>(db_path, OpenMode::snapshot);
  read_schema(*db);
  return {std::move(db), true};
}

ReaderPool::ReaderPool(std::filesystem::path db_path) : path_(std::move(db_path)) {}

ReaderPool::Lease::~Lease() {
  if (db_ != nullptr) pool_->give_back(std::move(db_), keep_, snapshot_);
}

void ReaderPool::give_back(std::unique_ptr<Database> db, bool keep, bool snapshot) {
  std::lock_guard lock(mutex_);
  if (snapshot) {
    --snapshots_in_use_;
    returned_.notify_all();
  }
  if (keep) idle_.push_back(std::move(db));
}

ReaderPool::Lease ReaderPool::acquire() {
  std::unique_lock lock(mutex_);
  if (!idle_.empty()) {
    auto db = std::move(idle_.back());
    idle_.pop_back();
    return Lease(*this, std::move(db));
  }
  for (;;) {
    const bool writable = writable_;
    lock.unlock();
    auto c = open_reader(path_, !writable);
    lock.lock();
    // The writer may have come back while this snapshot was being opened.
    if (c.snapshot && writable_) continue;
    if (c.snapshot) ++snapshots_in_use_;
    return Lease(*this, std::move(c.db), writable, c.snapshot);
  }
}

void ReaderPool::set_writable(bool writable) {
  std::unique_lock lock(mutex_);
  writable_ = writable;
  if (!writable) return;
  // A snapshot read still running would miss the coming commits, and a
  // checkpoint could change pages under it. Bounded, in case a request holds
  // its reader while it waits for the writer.
  returned_.wait_for(lock, std::chrono::seconds(2), [this] { return snapshots_in_use_ == 0; });
}

}  // namespace krasip::storage
