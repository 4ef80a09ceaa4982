#include "krasip/cases/accounts/reader_directory.hpp"

#include <map>
#include <stdexcept>

#include "krasip/cases/common/case_error.hpp"
#include "krasip/storage/channel_store.hpp"
#include "krasip/storage/key_store.hpp"

namespace krasip::cases {

const ChannelReaders &
ReaderSet::choose(const std::optional<std::string> &slug) const {
  if (!slug) {
    if (channels.size() == 1)
      return channels.front();
    throw CaseError(
        channels.empty() ? ErrorCode::invalid_field : ErrorCode::missing_field,
        channels.empty() ? "the agency has no channel to receive complaints"
                         : "choose the channel to send the complaint to",
        "channel");
  }
  for (const auto &c : channels) {
    if (c.channel.slug == *slug)
      return c;
  }
  throw CaseError(ErrorCode::invalid_field, "no such channel", "channel");
}

namespace {
std::shared_ptr<ReaderSet> load(storage::Database &db, AgencyScope agency) {
  auto set = std::make_shared<ReaderSet>();
  std::optional<crypto::Reader> recovery;
  for (const auto &row : storage::key_store::active_readers(db, agency.id())) {
    const crypto::Reader r{row.id, row.public_key};
    set->case_readers.push_back(r);
    if (row.kind == "recovery" || row.is_custodian)
      set->identity_readers.push_back(r);
    if (row.kind == "recovery" && !recovery)
      recovery = r;
  }
  if (!recovery)
    throw std::runtime_error(
        "the agency has no recovery key: run krasipd init / agency add");
  if (const auto a = storage::key_store::load_agency(db, agency.id()))
    set->categories = a->categories;
  std::map<std::int64_t, std::size_t> index;
  for (auto &c : storage::channel_store::list(db, agency.id())) {
    index[c.id] = set->channels.size();
    set->channels.push_back({std::move(c), {*recovery}, {*recovery}});
  }
  // Disabled accounts stay members (re-enabled, they are back) but are
  // sealed to no longer. A member may be of an agency above this one.
  for (const auto &[channel_id, m] :
       storage::channel_store::all_members(db, agency.id())) {
    const auto it = index.find(channel_id);
    if (it == index.end() || !m.active)
      continue;
    auto &ch = set->channels[it->second];
    (m.role == "recipient" ? ch.case_readers : ch.identity_readers)
        .push_back({m.key_id, m.public_key});
  }
  return set;
}
} // namespace

std::shared_ptr<const ReaderSet> ReaderDirectory::current(AgencyScope agency) {
  auto db = pool_.acquire();
  const auto stamp = storage::key_store::readers_version(*db);
  {
    std::lock_guard lock(mutex_);
    if (stamp != stamp_) { // any account or channel changed: start afresh
      cached_.clear();
      order_.clear();
      stamp_ = stamp;
    }
    if (const auto it = cached_.find(agency.id()); it != cached_.end())
      return it->second;
  }
  std::shared_ptr<const ReaderSet> set = load(*db, agency);
  std::lock_guard lock(mutex_);
  if (stamp != stamp_)
    return set; // changed meanwhile: use it once, keep nothing
  if (cached_.emplace(agency.id(), set).second) {
    order_.push_back(agency.id());
    // Bounded: a deployment of thousands of agencies keeps the ones that
    // receive complaints now, not one entry per agency for ever.
    while (order_.size() > kMaxAgencies) {
      cached_.erase(order_.front());
      order_.pop_front();
    }
  }
  return set;
}

void ReaderDirectory::invalidate() {
  std::lock_guard lock(mutex_);
  cached_.clear();
  order_.clear();
}

std::size_t ReaderDirectory::cached_agencies() {
  std::lock_guard lock(mutex_);
  return cached_.size();
}

} // namespace krasip::cases
