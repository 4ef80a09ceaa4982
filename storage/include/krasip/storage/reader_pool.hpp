#pragma once
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <vector>

#include "krasip/storage/database.hpp"

namespace krasip::storage {

// A read-only connection; `snapshot` if it is an immutable snapshot (see
// OpenMode::snapshot).
struct ReaderConnection {
  std::unique_ptr<Database> db;
  bool snapshot = false;
};

// Opens a read-only connection and reads the schema once, so that a database
// SQLite cannot read shows here and not in the middle of a request. A WAL
// database whose folder cannot be written and that has no -shm file cannot
// be read normally: SQLite needs the -shm to share the WAL index. If
// `allow_snapshot` and there is no WAL content (as after `krasipd init`, or
// for a copy restored from `.backup`), the file alone is the whole database,
// and it is opened as an immutable snapshot instead. With WAL content it is
// not: that would hide commits.
ReaderConnection open_reader(const std::filesystem::path& db_path, bool allow_snapshot);

// Read-only connections for concurrent lookups (WAL lets readers run beside
// the writer). A lease returns its connection to the pool when it ends.
class ReaderPool {
 public:
  explicit ReaderPool(std::filesystem::path db_path);

  class Lease {
   public:
    Lease(ReaderPool& pool, std::unique_ptr<Database> db, bool keep = true, bool snapshot = false)
        : pool_(&pool), db_(std::move(db)), keep_(keep), snapshot_(snapshot) {}
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();
    Database& operator*() const { return *db_; }
    Database* operator->() const { return db_.get(); }

   private:
    ReaderPool* pool_;
    std::unique_ptr<Database> db_;
    bool keep_;
    bool snapshot_;
  };

  Lease acquire();

  // Told by the writer (on its thread) whether the database can be written.
  // While it cannot, connections may be snapshots, which are safe only while
  // nothing writes, and they are closed after use rather than kept: SQLite
  // shares one -shm mapping per file in a process, so a kept connection
  // that mapped a read-only -shm would make the writer's new connection
  // read-only too. When it can again, this waits (briefly) for snapshots in
  // use, before the writer's first write.
  void set_writable(bool writable);

 private:
  void give_back(std::unique_ptr<Database> db, bool keep, bool snapshot);

  std::filesystem::path path_;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<Database>> idle_;
  bool writable_ = true;
  int snapshots_in_use_ = 0;
};

}  // namespace krasip::storage
