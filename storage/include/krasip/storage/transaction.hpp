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
