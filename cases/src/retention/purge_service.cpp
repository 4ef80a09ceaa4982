#include "krasip/cases/retention/purge_service.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <map>
#include <stdexcept>
#include <thread>

#include "krasip/cases/common/agency_scope.hpp"
#include "krasip/cases/common/case_crypto.hpp"
#include "krasip/cases/common/case_records.hpp"
#include "krasip/cases/common/thai_time.hpp"
#include "krasip/crypto/encoding.hpp"
#include "krasip/storage/case_store.hpp"
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

namespace {

// Who may read what a case.purge entry says: the case's investigator-side
// readers as they are just before the purge (those who could already read
// its number, channel and dates; an excluded account holds no key to its
// complaint and is not among them), and the agency's recovery key. Not the
// channel's readers of today: an account added to the channel later never
// saw the case, and one excluded from it must not learn its outcome.
std::vector<crypto::Reader> purge_record_readers(storage::Database& db, const storage::purge_store::ExpiredCase& e) {
  auto readers = investigator_readers(db, e.id);
  if (const auto recovery = storage::key_store::recovery_key(db, e.agency_id)) {
    const bool has = std::any_of(readers.begin(), readers.end(), [&](const auto& r) { return r.id == recovery->id; });
    if (!has) readers.push_back({recovery->id, recovery->public_key});
  }
  return readers;
}

}  // namespace

std::vector<std::string> PurgeService::shred_and_record(storage::Database& db,
                                                        const storage::purge_store::ExpiredCase& e,
                                                        std::int64_t purged_at, std::int64_t now,
                                                        bool again) const {
  const auto row = storage::case_store::find_by_id(db, e.id);
  if (!row) throw std::runtime_error("case " + e.case_number + " does not exist");
  const auto agency = storage::key_store::load_agency(db, e.agency_id);
  if (!agency) throw std::runtime_error("case " + e.case_number + " names an agency that does not exist");
  const auto readers = purge_record_readers(db, e);  // before its keys go
  auto files = storage::purge_store::shred_case(db, e.id, e.closed_at, purged_at);
  // What the entry says is sealed like every audit detail about a case, as
  // a record of the purged case (its uid stays in the tombstone). The entry
  // names no case id, so it stays listed in the console for the agency's
  // administrators, and its clear part is the action alone: no number,
  // channel, outcome or date of the case for those who never read it.
  const std::string detail = "case_number=" + e.case_number + " channel=" + e.channel_slug +
                             " fiscal_year=" + std::to_string(e.fiscal_year) + " outcome=" + e.status +
                             " received=" + iso_date_bangkok(e.received_at) +
                             " closed=" + iso_date_bangkok(e.closed_at) +
                             " retention_days=" + std::to_string(e.retention_days) +
                             " files=" + std::to_string(files.size()) +
                             (again ? " purged_again_after_restore=1 purged=" + iso_date_bangkok(purged_at) : "");
  auto env = seal_case_record(row->uid, "audit:" + crypto::to_hex(crypto::random_bytes(16)), detail, readers);
  AuditEvent entry{now, std::nullopt, "case.purge", std::nullopt, ""};
  entry.detail_envelope_id = storage::case_store::insert_envelope(db, e.id, env, now, row->reporter_key_id);
  entry.detail_nonce = std::move(env.nonce);
  entry.detail_ciphertext = std::move(env.ciphertext);
  entry.agency = AgencyScope::of(*agency);
  audit_.append(db, entry);
  return files;
}

bool PurgeService::purge(storage::Database& db, const storage::purge_store::ExpiredCase& c,
                         std::int64_t now) const {
  std::vector<std::string> files;
  {
    storage::Transaction tx(db);
    const auto still = storage::purge_store::expired(db, now, c.id);
    if (still.empty() || !held_back(db, still.front(), now).empty()) return false;
    const auto& e = still.front();
    const auto uid = storage::case_store::find_by_id(db, e.id)->uid;
    files = shred_and_record(db, e, now, now, false);
    // Last before the commit, and on disk before it: a purge that commits
    // is always journaled. A crash between leaves a line for a case that
    // is still expired, which the next run purges anyway.
    journal_.append(uid, now);
    tx.commit();
  }
  unlink_files(attachments_dir_, files);
  return true;
}

std::size_t PurgeService::purge_again(storage::Database& db, const std::vector<PurgeJournal::Entry>& entries,
                                      std::int64_t now) const {
  std::map<storage::Blob, std::int64_t> day_of;
  for (const auto& e : entries) {
    const auto [it, added] = day_of.emplace(e.name, e.day);
    if (!added) it->second = std::min(it->second, e.day);  // purged twice (restored before): the first
  }
  std::vector<std::string> files;
  std::size_t n = 0;
  {
    // One transaction: a restore purges again all it must, or nothing.
    storage::Transaction tx(db);
    for (const auto& [id, uid] : storage::purge_store::unpurged_uids(db)) {
      const auto it = day_of.find(journal_.name_of(uid));
      if (it == day_of.end()) continue;
      const auto e = storage::purge_store::not_purged(db, id);
      if (!e) continue;
      for (auto& f : shred_and_record(db, *e, it->second, now, true)) files.push_back(std::move(f));
      ++n;
    }
    storage::purge_store::drop_codes(db, now);
    tx.commit();
  }
  unlink_files(attachments_dir_, files);
  return n;
}

std::int64_t PurgeService::drop_codes(storage::Database& db, std::int64_t now) {
  storage::Transaction tx(db);
  const auto n = storage::purge_store::drop_codes(db, now);
  tx.commit();
  return n;
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
