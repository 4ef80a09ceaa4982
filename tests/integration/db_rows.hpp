#pragma once
#include <sqlite3.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace krasip::test {

// The rows of one query on a copy-of-the-database view: what someone
// holding krasip.db sees without any key. Values as text ("" for NULL).
inline std::vector<std::vector<std::string>> db_rows(const std::filesystem::path& db,
                                                     const std::string& sql) {
  sqlite3* h = nullptr;
  if (sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(h);
    throw std::runtime_error("cannot open " + db.string());
  }
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(h, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
    const std::string err = sqlite3_errmsg(h);
    sqlite3_close(h);
    throw std::runtime_error(err + ": " + sql);
  }
  std::vector<std::vector<std::string>> out;
  while (sqlite3_step(st) == SQLITE_ROW) {
    std::vector<std::string> row;
    for (int i = 0; i < sqlite3_column_count(st); ++i) {
      const auto* t = sqlite3_column_text(st, i);
      row.emplace_back(t != nullptr ? reinterpret_cast<const char*>(t) : "");
    }
    out.push_back(std::move(row));
  }
  sqlite3_finalize(st);
  sqlite3_close(h);
  return out;
}

}  // namespace krasip::test
