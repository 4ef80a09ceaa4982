#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace krasip::storage {

using Blob = std::vector<std::uint8_t>;
using BlobView = std::span<const std::uint8_t>;

// Owns one prepared statement. Parameters are 1-based as in SQLite; the
// strings and blobs bound are copied (SQLITE_TRANSIENT) so temporaries are safe.
class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  Statement& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
  Statement& bind(int index, BlobView blob);
  Statement& bind(int index, const Blob& blob) { return bind(index, BlobView(blob)); }
  Statement& bind_null(int index);
  template <typename T>
  Statement& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bind_null(index);
  }

  // True while a row is available; false when done. Throws on error.
  bool step();
  // Steps a statement that returns no rows.
  void run();
  void reset();

  bool is_null(int column) const;
  std::int64_t get_int(int column) const;
  std::string get_text(int column) const;
  Blob get_blob(int column) const;
  std::optional<std::int64_t> get_optional_int(int column) const;
  std::optional<std::string> get_optional_text(int column) const;

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace krasip::storage
