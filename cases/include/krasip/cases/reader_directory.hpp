#pragma once
#include <memory>
#include <mutex>
#include <vector>

#include "krasip/crypto/envelope.hpp"
#include "krasip/storage/reader_pool.hpp"

namespace krasip::cases {

// Who new envelopes are sealed to, read from the database and cached until
// an account change invalidates it.
struct ReaderSet {
  std::vector<crypto::Reader> case_readers;      // recovery + every active investigator
  std::vector<crypto::Reader> identity_readers;  // recovery + designated custodians
};

class ReaderDirectory {
 public:
  explicit ReaderDirectory(storage::ReaderPool& pool) : pool_(pool) {}
  std::shared_ptr<const ReaderSet> current();
  void invalidate();

 private:
  storage::ReaderPool& pool_;
  std::mutex mutex_;
  std::shared_ptr<const ReaderSet> cached_;
};

}  // namespace krasip::cases
