#include "krasip/cases/retention/purge_service.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <thread>

#include "krasip/cases/common/agency_scope.hpp"
#include "krasip/cases/common/thai_time.hpp"
#include "krasip/storage/database.hpp"
#include "krasip/storage/key_store.hpp"
#include "krasip/storage/transaction.hpp"

namespace krasip::cases {

namespace {

// Unlinking is all there is to do: on SSDs and copy-on-write file systems
// an overwrite lands on other blocks anyway, and the file's key went with
// the database rows. The folder's fsync makes the unlink durable.
void unlink_files(const std::filesystem::path& dir, const std::vector<std::string>& names) {
  if (names.empty()) return;
  for (const auto& name : names) {
    const auto path = dir / name;
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
      throw std::runtime_error("cannot delete " + path.string() + ": " + std::strerror(errno));
    }
  }
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;  // no folder: no files were there
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) throw std::runtime_error("cannot flush " + dir.string() + ": " + std::strerror(err));
}

}  // namespace

std::vector<storage::purge_store::ExpiredCase> PurgeService::expired(storage::Database& db,
                                                                     std::int64_t now) const {
  return storage::purge_store::expired(db, now);
}

std::size_t PurgeService::announce(storage::Database& db, std::int64_t now) const {
  storage::Transaction tx(db);
  std::vector<std::pair<std::int64_t, std::int64_t>> channels;  // agency, channel
  std::size_t n = 0;
  for (const auto& c : storage::purge_store::expired(db, now + kPurgeNoticeDays * 86400)) {
    if (c.notice_at) continue;
    storage::purge_store::mark_noticed(db, c.id, now);
    ++n;
    const std::pair<std::int64_t, std::int64_t> key{c.agency_id, c.channel_id};
    if (std::find(channels.begin(), channels.end(), key) == channels.end()) channels.push_back(key);
  }
  if (mail_ != nullptr) {
    for (const auto& [agency, channel] : channels) mail_->notify(db, agency, {channel}, "purge_notice", now);
  }
  tx.commit();
  return n;
}

std::string PurgeService::held_back(storage::Database& db, const storage::purge_store::ExpiredCase& c,
                                    std::int64_t now) {
  if (!c.notice_at || *c.notice_at > now - kPurgeNoticeDays * 86400) {
    return "its readers were told less than " + std::to_string(kPurgeNoticeDays) + " days ago";
  }
  if (c.channel_id != 0 && storage::purge_store::channel_changed_at(db, c.channel_id) > now - kChannelQuietDays * 86400) {
    return "its channel changed in the last " + std::to_string(kChannelQuietDays) + " days";
  }
  return {};
}

bool PurgeService::purge(storage::Database& db, const storage::purge_store::ExpiredCase& c,
                         std::int64_t now) const {
  std::vector<std::string> files;
  {
    storage::Transaction tx(db);
    const auto still = storage::purge_store::expired(db, now, c.id);
    if (still.empty() || !held_back(db, still.front(), now).empty()) return false;
    const auto& e = still.front();
    files = storage::purge_store::shred_case(db, e.id, e.closed_at, now);
    const auto agency = storage::key_store::load_agency(db, e.agency_id);
    if (!agency) throw std::runtime_error("case " + e.case_number + " names an agency that does not exist");
    // No case id: the entry stays readable in the console's audit list,
    // which shows a case's entries only to those who can open the case.
    AuditEvent entry{now, std::nullopt, "case.purge", std::nullopt,
                     "case_number=" + e.case_number + " channel=" + e.channel_slug +
                         " fiscal_year=" + std::to_string(e.fiscal_year) + " outcome=" + e.status +
                         " received=" + iso_date_bangkok(e.received_at) +
                         " closed=" + iso_date_bangkok(e.closed_at) +
                         " retention_days=" + std::to_string(e.retention_days) +
                         " files=" + std::to_string(files.size())};
    entry.agency = AgencyScope::of(*agency);
    audit_.append(db, entry);
    tx.commit();
  }
  unlink_files(attachments_dir_, files);
  return true;
}

bool PurgeService::truncate_wal(storage::Database& db) {
  for (int attempt = 0; attempt < 50; ++attempt) {
    auto st = db.prepare("PRAGMA wal_checkpoint(TRUNCATE)");
    // (busy, frames in the WAL, frames moved): busy 0 means done and emptied.
    if (st.step() && st.get_int(0) == 0) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

}  // namespace krasip::cases
