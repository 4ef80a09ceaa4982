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

[[noreturn]] void throw_sqlite_error(int code, const char* context, const char* detail);

}  // namespace krasip::storage
