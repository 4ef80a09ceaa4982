#include "krasip/storage/statement.hpp"

#include <sqlite3.h>

#include "krasip/storage/errors.hpp"

namespace krasip::storage {

void throw_sqlite_error(int code, const char* context, const char* detail) {
  std::string what = std::string(context) + ": " + sqlite3_errstr(code);
  if (detail != nullptr) what += std::string(" (") + detail + ")";
  switch (code & 0xff) {
    case SQLITE_FULL:
    case SQLITE_READONLY:
    case SQLITE_IOERR:
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN:
    case SQLITE_NOMEM:
      throw StorageUnavailable(code, what);
    case SQLITE_CONSTRAINT:
      throw ConstraintViolation(code, what);
    default:
      throw StorageError(code, what);
  }
}

bool is_access_failure(int code) {
  switch (code & 0xff) {
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
      return true;
    default:
      return false;
  }
}

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
  const int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
  if (rc != SQLITE_OK) throw_sqlite_error(rc, "prepare", sqlite3_errmsg(db));
}

Statement::Statement(Statement&& other) noexcept : db_(other.db_), stmt_(other.stmt_) {
  other.stmt_ = nullptr;
}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    if (stmt_ != nullptr) sqlite3_finalize(stmt_);
    db_ = other.db_;
    stmt_ = other.stmt_;
    other.stmt_ = nullptr;
  }
  return *this;
}

Statement::~Statement() {
  if (stmt_ != nullptr) sqlite3_finalize(stmt_);
}

namespace {
void check_bind(int rc, sqlite3* db) {
  if (rc != SQLITE_OK) throw_sqlite_error(rc, "bind", sqlite3_errmsg(db));
}
}  // namespace

Statement& Statement::bind(int index, std::int64_t value) {
  check_bind(sqlite3_bind_int64(stmt_, index, value), db_);
  return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
  check_bind(sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT,
                                 SQLITE_UTF8),
             db_);
  return *this;
}

Statement& Statement::bind(int index, BlobView blob) {
  static const std::uint8_t empty = 0;
  check_bind(sqlite3_bind_blob64(stmt_, index, blob.empty() ? &empty : blob.data(), blob.size(),
                                 SQLITE_TRANSIENT),
             db_);
  return *this;
}

Statement& Statement::bind_null(int index) {
  check_bind(sqlite3_bind_null(stmt_, index), db_);
  return *this;
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  const std::string msg = sqlite3_errmsg(db_);
  sqlite3_reset(stmt_);
  throw_sqlite_error(rc, "step", msg.c_str());
}

void Statement::run() {
  while (step()) {
  }
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::int64_t Statement::get_int(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string Statement::get_text(int column) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  return p == nullptr ? std::string() : std::string(p, sqlite3_column_bytes(stmt_, column));
}

Blob Statement::get_blob(int column) const {
  const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, column));
  return p == nullptr ? Blob() : Blob(p, p + sqlite3_column_bytes(stmt_, column));
}

std::optional<std::int64_t> Statement::get_optional_int(int column) const {
  if (is_null(column)) return std::nullopt;
  return get_int(column);
}

std::optional<std::string> Statement::get_optional_text(int column) const {
  if (is_null(column)) return std::nullopt;
  return get_text(column);
}

}  // namespace krasip::storage
