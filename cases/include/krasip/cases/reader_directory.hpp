#pragma once
#include <memory>
#include <mutex>
#include <vector>

#include "krasip/crypto/envelope.hpp"
#include "krasip/storage/reader_pool.hpp"

namespace krasip::cases {

// Who new envelopes are sealed to, read from the database and cached. The
// cache is checked against the readers' version number (kept by triggers
// in the database) on every use, so an account added, disabled or made custodian by another
// process (krasipd user ...) takes effect at the next complaint.
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
  std::int64_t stamp_ = 0;  // readers_version when cached_ was read
};

}  // namespace krasip::cases
