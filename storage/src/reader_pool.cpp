#include "krasip/storage/reader_pool.hpp"

namespace krasip::storage {

ReaderPool::ReaderPool(std::filesystem::path db_path) : path_(std::move(db_path)) {}

ReaderPool::Lease::~Lease() {
  if (db_ == nullptr) return;
  std::lock_guard lock(pool_->mutex_);
  pool_->idle_.push_back(std::move(db_));
}

ReaderPool::Lease ReaderPool::acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto db = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(db));
    }
  }
  return Lease(*this, std::make_unique<Database>(path_, OpenMode::read_only));
}

}  // namespace krasip::storage
