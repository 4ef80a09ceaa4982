#include "krasip/cases/reader_directory.hpp"

#include <stdexcept>

#include "krasip/storage/key_store.hpp"

namespace krasip::cases {

std::shared_ptr<const ReaderSet> ReaderDirectory::current() {
  auto db = pool_.acquire();
  const auto stamp = storage::key_store::readers_version(*db);
  std::lock_guard lock(mutex_);
  if (cached_ && stamp == stamp_) return cached_;
  auto set = std::make_shared<ReaderSet>();
  for (const auto& row : storage::key_store::active_readers(*db)) {
    const crypto::Reader r{row.id, row.public_key};
    set->case_readers.push_back(r);
    if (row.kind == "recovery" || row.is_custodian) set->identity_readers.push_back(r);
  }
  if (set->identity_readers.empty()) {
    throw std::runtime_error("no recovery key in the database: run krasipd init");
  }
  cached_ = set;
  stamp_ = stamp;
  return cached_;
}

void ReaderDirectory::invalidate() {
  std::lock_guard lock(mutex_);
  cached_.reset();
}

}  // namespace krasip::cases
