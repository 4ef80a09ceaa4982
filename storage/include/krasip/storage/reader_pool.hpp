#pragma once
#include <filesystem>
#include <memory>
#include <mutex>
#include <vector>

#include "krasip/storage/database.hpp"

namespace krasip::storage {

// Read-only connections for concurrent lookups (WAL lets readers run beside
// the writer). A lease returns its connection to the pool when it ends.
class ReaderPool {
 public:
  explicit ReaderPool(std::filesystem::path db_path);

  class Lease {
   public:
    Lease(ReaderPool& pool, std::unique_ptr<Database> db) : pool_(&pool), db_(std::move(db)) {}
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();
    Database& operator*() const { return *db_; }
    Database* operator->() const { return db_.get(); }

   private:
    ReaderPool* pool_;
    std::unique_ptr<Database> db_;
  };

  Lease acquire();

 private:
  std::filesystem::path path_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Database>> idle_;
};

}  // namespace krasip::storage
