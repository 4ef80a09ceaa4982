#pragma once
#include <stdexcept>
#include <string>

namespace krasip::storage {

// Any SQLite failure. `code` is the extended SQLite result code.
class StorageError : public std::runtime_error {
 public:
  StorageError(int code, const std::string& what) : std::runtime_error(what), code_(code) {}
  int code() const { return code_; }

 private:
  int code_;
};

// The store cannot take writes right now (disk full, read-only file, I/O
// error, locked too long). Nothing was written; the caller may retry later.
class StorageUnavailable : public StorageError {
 public:
  using StorageError::StorageError;
};

// A UNIQUE or CHECK constraint refused the row.
class ConstraintViolation : public StorageError {
 public:
  using StorageError::StorageError;
};

// True for failures that come from the file or its folder rather than from
// the SQL: read-only file, folder or filesystem, cannot open, I/O error. A
// connection that met one stays broken (SQLite decides read-only at open
// time), so only a new connection can tell whether the operator fixed it.
bool is_access_failure(int code);

[[noreturn]] void throw_sqlite_error(int code, const char* context, const char* detail);

}  // namespace krasip::storage
