#include "krasip/storage/migrations.hpp"

#include <ctime>

#include "krasip/storage/database.hpp"
#include "krasip/storage/transaction.hpp"

namespace krasip::storage {

namespace {
void ensure_table(Database& db) {
  db.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
}
}  // namespace

int schema_version(Database& db) {
  ensure_table(db);
  auto st = db.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  st.step();
  return static_cast<int>(st.get_int(0));
}

int migrate(Database& db, std::span<const Migration> migrations) {
  int current = schema_version(db);
  for (const auto& m : migrations) {
    if (m.version <= current) continue;
    Transaction tx(db);
    db.exec(m.sql);
    auto st = db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?,?,?)");
    st.bind(1, m.version).bind(2, m.name).bind(3, static_cast<std::int64_t>(std::time(nullptr)));
    st.run();
    tx.commit();
    current = m.version;
  }
  return current;
}

}  // namespace krasip::storage
