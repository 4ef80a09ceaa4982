#pragma once
#include <atomic>
#include <chrono>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <optional>
#include <span>
#include <string>

#include "krasip/storage/database.hpp"
#include "krasip/storage/write_queue.hpp"

namespace krasip::storage {

class StorageError;

// The writer's connection, and what happens when the database stops taking
// writes (read-only file or folder, read-only filesystem, I/O errors): the
// connection is closed, writes are refused without touching the file, and a
// new connection is tried at most once per interval until one can write.
// Used by the writer thread only, except writable().
class WriterConnection {
 public:
  WriterConnection(std::filesystem::path db_path, std::uint64_t max_db_bytes,
                   std::chrono::milliseconds reopen_interval, WriteQueue::StateListener listener);

  // Opens for writing, applying migrations. If the database cannot be
  // written but needs no migration, starts unwritable instead (reads can
  // still be served); otherwise throws.
  void open_at_start();
  // The connection to write with, or nullptr while the database cannot be
  // written (after a new attempt, if one is due).
  Database* get();
  // Why get() returned nullptr, as a StorageUnavailable.
  std::exception_ptr unavailable() const;
  // Closes the connection if one of a batch's errors came from the file.
  void after_batch(std::span<const std::exception_ptr> errors);
  bool writable() const { return writable_.load(); }
  // At a clean stop: copies the WAL into the database file and empties it,
  // so krasip.db alone is complete while the service is down (a file copy
  // is a whole backup). Best effort: a failure only leaves the WAL in place.
  void checkpoint();
  void close() { db_.reset(); }

 private:
  void open();
  void lose(int code, const std::string& reason);

  std::filesystem::path path_;
  std::uint64_t max_db_bytes_;
  std::chrono::milliseconds reopen_interval_;
  WriteQueue::StateListener listener_;
  std::optional<Database> db_;
  std::chrono::steady_clock::time_point next_attempt_{};
  int failure_code_ = 0;
  std::string failure_;
  std::atomic<bool> writable_{true};
};

}  // namespace krasip::storage
