#pragma once
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "krasip/storage/statement.hpp"

struct sqlite3;

namespace krasip::storage {

// A cached statement on loan: reset when the lease ends, so that no read
// transaction stays open (an open one would stall WAL checkpoints).
class StatementLease {
 public:
  explicit StatementLease(Statement& stmt) : stmt_(&stmt) {}
  StatementLease(StatementLease&& other) noexcept : stmt_(other.stmt_) { other.stmt_ = nullptr; }
  StatementLease(const StatementLease&) = delete;
  StatementLease& operator=(const StatementLease&) = delete;
  StatementLease& operator=(StatementLease&&) = delete;
  ~StatementLease() {
    if (stmt_ != nullptr) stmt_->reset();
  }
  Statement* operator->() const { return stmt_; }
  Statement& operator*() const { return *stmt_; }

 private:
  Statement* stmt_;
};

// `snapshot` is read-only with SQLite's immutable=1: no locks, no -shm, the
// WAL ignored. SQLite can read a WAL database in a folder it cannot write
// only that way; it is safe only while nothing writes the file (see
// open_reader in reader_pool.hpp).
enum class OpenMode { read_write_create, read_write, read_only, snapshot };

// One SQLite connection, closed on destruction. Every connection runs with
// foreign keys on, secure_delete (freed pages are zeroed) and a busy
// timeout; WAL mode with synchronous=FULL is set by the writer.
class Database {
 public:
  Database(const std::filesystem::path& path, OpenMode mode);
  Database(Database&&) noexcept;
  Database& operator=(Database&&) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  void exec(std::string_view sql);
  Statement prepare(std::string_view sql);
  // A statement kept prepared for the life of the connection; reset on
  // every call. Prepared statements only: never build SQL from input.
  StatementLease cached(const char* sql);
  std::int64_t last_insert_rowid() const;
  // False once SQLite has rolled a transaction back on its own (it may, on
  // SQLITE_FULL or SQLITE_IOERR).
  bool in_transaction() const;
  int changes() const;
  // True if SQLite opened the file read-only (e.g. it asked for read-write
  // but the file or the filesystem is not writable).
  bool read_only() const;
  sqlite3* handle() const { return db_; }
  const std::filesystem::path& path() const { return path_; }

 private:
  void close() noexcept;
  sqlite3* db_ = nullptr;
  std::filesystem::path path_;
  std::unordered_map<const char*, std::unique_ptr<Statement>> cache_;
};

}  // namespace krasip::storage
