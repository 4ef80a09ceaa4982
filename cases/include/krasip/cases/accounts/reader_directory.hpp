#pragma once
#include <deque>
#include <unordered_map>

#include "krasip/cases/common/agency_scope.hpp"
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
  std::vector<crypto::Reader> case_readers;      // recovery + every active account of the agency
  std::vector<crypto::Reader> identity_readers;  // recovery + designated custodians
  std::vector<ChannelReaders> channels;          // in the order the reporter sees them
  // The agency's category codes (agencies.categories; nullopt: all), so a
  // complaint is checked against them without another read.
  std::optional<std::string> categories;
  // The channel a complaint goes to: the one named, or the only one when
  // there is one and none is named. Throws CaseError (field "channel").
  const ChannelReaders& choose(const std::optional<std::string>& slug) const;
};

// Per agency (issue 11), loaded on first use and kept in a bounded cache
// (oldest first out), so start-up and memory do not grow with the number of
// agencies configured.
class ReaderDirectory {
 public:
  static constexpr std::size_t kMaxAgencies = 256;
  explicit ReaderDirectory(storage::ReaderPool& pool) : pool_(pool) {}
  std::shared_ptr<const ReaderSet> current(AgencyScope agency);
  void invalidate();
  std::size_t cached_agencies();

 private:
  storage::ReaderPool& pool_;
  std::mutex mutex_;
  std::unordered_map<std::int64_t, std::shared_ptr<const ReaderSet>> cached_;
  std::deque<std::int64_t> order_;  // insertion order, for eviction
  std::int64_t stamp_ = 0;  // readers_version when cached_ was read
};

}  // namespace krasip::cases
