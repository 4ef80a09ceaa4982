#include "krasip/storage/migrations.hpp"

#include <ctime>
#include <stdexcept>
#include <string>

#include "krasip/storage/database.hpp"
#include "krasip/storage/transaction.hpp"

namespace krasip::storage {

namespace {
void ensure_table(Database& db) {
  db.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
}

// The tables a rebuild can leave pointing nowhere. Checked table by table:
// a whole-database check would also judge rows no migration touched.
void check_foreign_keys(Database& db, int version) {
  for (const char* table :
       {"agencies", "users", "reader_keys", "channels", "channel_members", "cases", "audit_log",
        "envelopes", "envelope_keys", "case_events", "messages", "notes", "attachments",
        "case_exclusions", "exclusion_requests", "identity_requests", "pending_outcomes",
        "suspended_keys", "escalation_requests", "escalation_plan_keys"}) {
    auto exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
    exists.bind(1, std::string(table));
    if (!exists.step()) continue;
    auto st = db.prepare(std::string("PRAGMA foreign_key_check(") + table + ")");
    if (st.step()) {
      throw std::runtime_error("migration " + std::to_string(version) + " leaves rows of " +
                               table + " referencing " + st.get_text(2) + " that do not exist");
    }
  }
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
    // PRAGMA foreign_keys is a no-op inside a transaction: set it outside.
    bool restore_foreign_keys = false;
    if (m.foreign_keys_off) {
      auto st = db.prepare("PRAGMA foreign_keys");
      restore_foreign_keys = st.step() && st.get_int(0) != 0;
      db.exec("PRAGMA foreign_keys = OFF");
    }
    struct Restore {
      Database& db;
      bool on;
      ~Restore() {
        if (on) db.exec("PRAGMA foreign_keys = ON");
      }
    } restore{db, restore_foreign_keys};
    Transaction tx(db);
    db.exec(m.sql);
    if (m.foreign_keys_off) check_foreign_keys(db, m.version);
    auto st = db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?,?,?)");
    st.bind(1, m.version).bind(2, m.name).bind(3, static_cast<std::int64_t>(std::time(nullptr)));
    st.run();
    tx.commit();
    current = m.version;
  }
  return current;
}

}  // namespace krasip::storage
