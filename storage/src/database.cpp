#include "krasip/storage/database.hpp"

#include <sqlite3.h>

#include "krasip/storage/errors.hpp"

namespace krasip::storage {

namespace {
// A file: URI for SQLite. Only the characters that end or escape a URI path
// need encoding.
std::string immutable_uri(const std::filesystem::path& path) {
  static const char* const kHex = "0123456789ABCDEF";
  std::string uri = "file:";
  for (const unsigned char c : std::filesystem::absolute(path).string()) {
    if (c == '%' || c == '?' || c == '#' || c < 0x20 || c >= 0x7f) {
      uri += '%';
      uri += kHex[c >> 4];
      uri += kHex[c & 0xf];
    } else {
      uri += static_cast<char>(c);
    }
  }
  return uri + "?immutable=1";
}
}  // namespace

Database::Database(const std::filesystem::path& path, OpenMode mode) : path_(path) {
  int flags = SQLITE_OPEN_NOMUTEX;  // one thread per connection at a time
  std::string name = path.string();
  switch (mode) {
    case OpenMode::read_write_create:
      flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
      break;
    case OpenMode::read_write:
      flags |= SQLITE_OPEN_READWRITE;
      break;
    case OpenMode::read_only:
      flags |= SQLITE_OPEN_READONLY;
      break;
    case OpenMode::snapshot:
      flags |= SQLITE_OPEN_READONLY | SQLITE_OPEN_URI;
      name = immutable_uri(path);
      break;
  }
  const int rc = sqlite3_open_v2(name.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    const std::string msg = db_ != nullptr ? sqlite3_errmsg(db_) : "open";
    close();
    throw_sqlite_error(rc, "open", msg.c_str());
  }
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, 5000);
  exec("PRAGMA foreign_keys = ON");
  if (mode == OpenMode::read_write_create || mode == OpenMode::read_write) {
    exec("PRAGMA secure_delete = ON");
  }
}

Database::Database(Database&& other) noexcept
    : db_(other.db_), path_(std::move(other.path_)), cache_(std::move(other.cache_)) {
  other.db_ = nullptr;
}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    close();
    db_ = other.db_;
    path_ = std::move(other.path_);
    cache_ = std::move(other.cache_);
    other.db_ = nullptr;
  }
  return *this;
}

Database::~Database() { close(); }

void Database::close() noexcept {
  cache_.clear();  // statements must be finalised before the connection
  if (db_ != nullptr) sqlite3_close_v2(db_);
  db_ = nullptr;
}

void Database::exec(std::string_view sql) {
  char* err = nullptr;
  const std::string text(sql);
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    const std::string msg = err != nullptr ? err : "";
    sqlite3_free(err);
    throw_sqlite_error(rc, "exec", msg.c_str());
  }
}

Statement Database::prepare(std::string_view sql) { return Statement(db_, sql); }

StatementLease Database::cached(const char* sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    it = cache_.emplace(sql, std::make_unique<Statement>(db_, sql)).first;
  }
  return StatementLease(*it->second);
}

bool Database::in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

bool Database::read_only() const { return sqlite3_db_readonly(db_, "main") == 1; }

std::int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
int Database::changes() const { return sqlite3_changes(db_); }

}  // namespace krasip::storage
