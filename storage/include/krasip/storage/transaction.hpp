#pragma once
#include <string>

namespace krasip::storage {

class Database;

// BEGIN IMMEDIATE on construction; ROLLBACK on destruction unless committed,
// so an exception anywhere leaves the database as it was.
class Transaction {
 public:
  explicit Transaction(Database& db);
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();
  void commit();

 private:
  Database& db_;
  bool done_ = false;
};

// One read transaction around several queries: they all see the same
// snapshot (a status page never shows a reply without the status change
// committed with it), and SQLite takes its WAL read lock once rather than
// once per statement. Ends on destruction; there is nothing to roll back.
class ReadSnapshot {
 public:
  explicit ReadSnapshot(Database& db);
  ReadSnapshot(const ReadSnapshot&) = delete;
  ReadSnapshot& operator=(const ReadSnapshot&) = delete;
  ~ReadSnapshot();

 private:
  Database& db_;
};

// A nested SAVEPOINT: one job of a batch can fail without undoing the others.
class Savepoint {
 public:
  explicit Savepoint(Database& db);
  Savepoint(const Savepoint&) = delete;
  Savepoint& operator=(const Savepoint&) = delete;
  ~Savepoint();
  void release();

 private:
  Database& db_;
  bool done_ = false;
};

}  // namespace krasip::storage
