#include "krasip/storage/transaction.hpp"

#include "krasip/storage/database.hpp"

namespace krasip::storage {

Transaction::Transaction(Database& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
  if (!done_) {
    try {
      db_.exec("ROLLBACK");
    } catch (...) {
      // SQLite may already have rolled back (e.g. after SQLITE_FULL).
    }
  }
}

void Transaction::commit() {
  db_.exec("COMMIT");
  done_ = true;
}

ReadSnapshot::ReadSnapshot(Database& db) : db_(db) { db_.cached("BEGIN")->run(); }

ReadSnapshot::~ReadSnapshot() {
  try {
    db_.cached("COMMIT")->run();
  } catch (...) {
    // Ending a read-only transaction cannot lose anything; make sure it ends.
    try {
      db_.exec("ROLLBACK");
    } catch (...) {
    }
  }
}

Savepoint::Savepoint(Database& db) : db_(db) { db_.exec("SAVEPOINT job"); }

Savepoint::~Savepoint() {
  if (!done_) {
    try {
      db_.exec("ROLLBACK TO job");
      db_.exec("RELEASE job");
    } catch (...) {
    }
  }
}

void Savepoint::release() {
  db_.exec("RELEASE job");
  done_ = true;
}

}  // namespace krasip::storage
