#pragma once
#include <span>
#include <string_view>

namespace krasip::storage {

class Database;

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
  // Rebuilding a table others reference needs foreign keys off (SQLite's
  // documented procedure); migrate() checks the touched tables before commit.
  bool foreign_keys_off = false;
};

// Applies, in order, each migration newer than the recorded version, each in
// its own transaction: a failing migration leaves the schema at the version
// before it. Returns the version reached. Throws on a failure.
int migrate(Database& db, std::span<const Migration> migrations);
int schema_version(Database& db);

// Krasip's own schema, newest last.
std::span<const Migration> krasip_migrations();

}  // namespace krasip::storage
