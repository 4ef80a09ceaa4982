#pragma once
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "krasip/crypto/envelope.hpp"
#include "krasip/storage/channel_store.hpp"
#include "krasip/storage/reader_pool.hpp"

namespace krasip::cases {

// One channel and who its new envelopes are sealed to (issue 10).
struct ChannelReaders {
  storage::ChannelRow channel;
  std::vector<crypto::Reader> case_readers;      // recovery + its active recipients
  std::vector<crypto::Reader> identity_readers;  // recovery + its active custodians
};

// Who new envelopes are sealed to, read from the database and cached. The
// cache is checked against the readers' version number (kept by triggers
// in the database) on every use, so an account or channel added, disabled
// or changed by another process (krasipd user/channel ...) takes effect at
// the next complaint.
struct ReaderSet {
  std::vector<crypto::Reader> case_readers;      // recovery + every active investigator
  std::vector<crypto::Reader> identity_readers;  // recovery + designated custodians
  std::vector<ChannelReaders> channels;          // in the order the reporter sees them
  // The channel a complaint goes to: the one named, or the only one when
  // there is one and none is named. Throws CaseError (field "channel").
  const ChannelReaders& choose(const std::optional<std::string>& slug) const;
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
