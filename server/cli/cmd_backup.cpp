#include <ctime>
#include <fstream>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "commands.hpp"
#include "krasip/cases/agencies/data_paths.hpp"
#include "krasip/cases/common/server_secrets.hpp"
#include "krasip/cases/audit/audit_log.hpp"
#include "krasip/cases/common/clock.hpp"
#include "krasip/cases/retention/purge_journal.hpp"
#include "krasip/cases/retention/purge_service.hpp"
#include "krasip/storage/backup.hpp"
#include "krasip/storage/database.hpp"
#include "krasip/storage/key_store.hpp"
#include "krasip/storage/write_queue.hpp"
#include "options.hpp"
#include "ownership.hpp"

namespace krasip::cli {

namespace fs = std::filesystem;

namespace {

constexpr const char* kBackupUsage = "usage: krasipd backup --data-dir DIR --to BACKUPS [--keep N]";
constexpr const char* kRestoreUsage =
    "usage: krasipd restore --from BACKUPS/krasip-backup-… --data-dir DIR [--pepper-file F] [--owner USER]"
    " [--purge-journal FILE | --without-purge-journal]";

std::string mib(std::uintmax_t bytes) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(1) << static_cast<double>(bytes) / (1024.0 * 1024.0) << " MiB";
  return out.str();
}

std::string describe(const storage::backup::Summary& s) {
  return "schema " + std::to_string(s.schema_version) + ", " + std::to_string(s.cases) + " cases, " +
         std::to_string(s.files) + " evidence files, " + mib(s.bytes);
}

fs::path attachments_of(const cases::DataPaths& paths) { return paths.database.parent_path() / "attachments"; }

// Only the pepper and the purge journal may be waiting in the data folder
// (their default places are secrets/ and purge-journal inside it): anything
// else is someone's data.
void require_empty_data_dir(const fs::path& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) return;
  if (!fs::is_directory(dir, ec)) throw storage::BackupError(dir.string() + " is not a folder");
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().filename() == "secrets" || e.path().filename() == cases::DataPaths::kPurgeJournalName) continue;
    throw storage::BackupError(dir.string() + " is not empty (it holds " + e.path().filename().string() +
                               "); restore only into an empty data folder, so nothing is overwritten");
  }
}

// The audit chain is keyed by the pepper: it verifies only with this
// deployment's pepper, so it tells the operator whether the pepper they put
// back is the right one before any reporter's code is tried.
bool pepper_matches(const cases::DataPaths& paths, std::int64_t* entries) {
  const auto secrets = cases::ServerSecrets::load(paths.pepper_file);
  storage::Database db(paths.database, storage::OpenMode::read_only);
  // Every agency's chain: each is keyed by the same pepper.
  const cases::AuditLog audit(secrets.pepper);
  *entries = 0;
  bool intact = true;
  for (const auto& agency : storage::key_store::list_agencies(db)) {
    const auto v = audit.verify(db, cases::AgencyScope::of(agency));
    *entries += v.entries;
    intact = intact && v.intact;
  }
  return intact;
}

}  // namespace

// krasipd backup --data-dir DIR --to BACKUPS [--keep N]: one consistent
// copy while the service runs; the nightly timer in deploy/ calls it.
int cmd_backup(int argc, char** argv) {
  const Options opt(argc, argv, 2, {"data-dir", "to", "keep", "owner", "pepper-file"}, {});
  auto paths = cases::DataPaths::in(opt.require("data-dir"));
  const fs::path to = opt.require("to");
  std::size_t keep = 0;
  if (auto k = opt.get("keep")) {
    try {
      keep = std::stoul(*k);
    } catch (const std::exception&) {
      keep = 0;
    }
    if (keep < 1 || keep > 10000) throw UsageError("--keep takes a number of backups to keep, 1 or more");
  }
  settle_identity(opt.get("owner"), paths);
  ::umask(077);  // the copy is as private as the data folder
  const auto s = storage::backup::create(paths.database, attachments_of(paths), to);
  std::cout << "backup written: " << s.folder.string() << " (" << describe(s) << ")\n"
            << "The pepper is not in it. Keep the copy of the pepper file you made at installation apart\n"
            << "from the backups (README, \"Backups\"); without it no tracking code opens.\n";
  {
    // For the administrators' health page: the time of the last backup that
    // succeeded (a failure leaves the previous one), written whole or not at all.
    const auto record = paths.database.parent_path() / "last-backup";
    const auto tmp = record.string() + ".tmp";
    std::ofstream(tmp) << std::time(nullptr) << " " << s.folder.filename().string() << "\n";
    std::error_code ec;
    fs::rename(tmp, record, ec);
    if (ec) std::cerr << "krasipd: could not record the backup time in " << record.string() << "\n";
  }
  if (keep > 0) {
    for (const auto& old : storage::backup::prune(to, keep)) std::cout << "removed old backup: " << old.string() << "\n";
  }
  return 0;
}

namespace {

// Puts the journal a restore read from elsewhere (--purge-journal) in the
// data folder's place, if none is there, so the purges it names stay
// journaled for the next restore. Written whole or not at all.
void keep_journal(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  if (fs::exists(to, ec) || fs::equivalent(from, to, ec)) return;
  const fs::path tmp = to.string() + ".tmp";
  fs::remove(tmp, ec);
  fs::copy_file(from, tmp, ec);
  if (!ec) fs::permissions(tmp, fs::perms::owner_read | fs::perms::owner_write, ec);
  if (!ec) {
    const int fd = ::open(tmp.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || ::fsync(fd) != 0) ec = std::error_code(errno, std::generic_category());
    if (fd >= 0) ::close(fd);
  }
  if (!ec) fs::rename(tmp, to, ec);
  if (ec) {
    fs::remove(tmp, ec);
    std::cerr << "krasipd: could not copy the purge journal to " << to.string()
              << ": copy it there yourself before the next purge run\n";
  }
}

}  // namespace

// krasipd restore --from FOLDER --data-dir DIR [--purge-journal FILE |
// --without-purge-journal]: into an empty data folder only. With the pepper
// in place, checks it against the audit chain, then replays the purge
// journal: the cases purged after the backup was made are purged again
// (issue 21, item 5). Whatever fails, nothing restored is left behind.
int cmd_restore(int argc, char** argv) {
  const Options opt(argc, argv, 2, {"from", "data-dir", "pepper-file", "owner", "purge-journal", "clock-offset-file"},
                    {"without-purge-journal"});
  auto paths = cases::DataPaths::in(opt.require("data-dir"));
  if (auto p = opt.get("pepper-file")) paths.pepper_file = *p;
  const fs::path from = opt.require("from");
  const bool without_journal = opt.flag("without-purge-journal");
  if (without_journal && opt.get("purge-journal")) {
    throw UsageError("--purge-journal names the journal to replay, --without-purge-journal restores without one: not both");
  }
  const fs::path journal_file = opt.get("purge-journal").value_or(paths.purge_journal.string());
  // The journal before anything is written: a restore that would bring back
  // cases purged after the backup is refused, not half done.
  std::vector<cases::PurgeJournal::Entry> purged;
  if (!without_journal) {
    try {
      purged = cases::PurgeJournal::read(journal_file);
    } catch (const cases::PurgeJournalError& e) {
      std::cerr << "krasipd: " << e.what() << ".\n"
                << "Restore replays the purge journal, so that the cases purged after the backup was made are\n"
                << "purged again. Put the journal kept from this deployment at " << journal_file.string() << "\n"
                << "(or name it with --purge-journal FILE) and run restore again. If it is lost, restore with\n"
                << "--without-purge-journal: the cases purged after this backup then come back until the daily\n"
                << "purge deletes them again. Nothing was restored.\n";
      return 1;
    }
  }
  require_empty_data_dir(paths.data_dir);
  std::error_code ec;
  if (!fs::exists(paths.data_dir, ec) && ::mkdir(paths.data_dir.c_str(), 0700) != 0) {
    throw storage::BackupError("cannot make " + paths.data_dir.string() + ": " + std::strerror(errno));
  }
  settle_identity(opt.get("owner"), paths);  // as root: the folder goes to its owner first
  ::umask(077);
  const auto s = storage::backup::restore(from, paths.database, attachments_of(paths));
  std::cout << "restored " << from.string() << " into " << paths.data_dir.string() << " (" << describe(s) << ")\n";
  // Undo: a restore that cannot serve its reporters, or that would bring
  // purged cases back, is not left in place.
  const auto undo = [&] {
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(paths.database.string() + suffix, ec);
    fs::remove_all(attachments_of(paths), ec);
  };
  if (!fs::exists(paths.pepper_file, ec)) {
    if (!purged.empty()) {
      undo();
      std::cerr << "krasipd: the purge journal " << journal_file.string() << " names " << purged.size()
                << " purged case(s), and purging them again needs the pepper (it keys their names\n"
                << "and the audit chain), which is not at " << paths.pepper_file.string() << ".\n"
                << "The restore was undone. Put the deployment's own pepper there and run restore again.\n";
      return 1;
    }
    std::cout << "No pepper at " << paths.pepper_file.string()
              << ": put the copy of the pepper file you kept there (mode 0600, owned by the service's user)\n"
              << "before `krasipd serve`. Until then no tracking code opens. Then run `krasipd audit verify`.\n";
    if (!without_journal) {
      keep_journal(journal_file, paths.purge_journal);
      std::cout << "purged again: 0 cases (the purge journal names none)\n";
    }
    return 0;
  }
  std::int64_t entries = 0;
  std::string problem;
  try {
    if (!pepper_matches(paths, &entries)) {
      problem = "is not the one this backup was made with (its audit chain does not verify with it)";
    }
  } catch (const std::exception& e) {
    problem = std::string("cannot be used: ") + e.what();
  }
  if (!problem.empty()) {
    undo();
    std::cerr << "krasipd: the pepper at " << paths.pepper_file.string() << " " << problem << ".\n"
              << "The restore was undone. Put the deployment's own pepper there and run restore again.\n";
    return 1;
  }
  std::cout << "The pepper matches: the audit chain verifies (" << entries << " entries).\n";
  if (without_journal) {
    std::cout << "Restored without a purge journal (--without-purge-journal): cases purged after this backup\n"
              << "are back until the daily purge deletes them again.\n";
    return 0;
  }
  std::size_t again = 0;
  if (!purged.empty()) {
    try {
      const auto secrets = cases::ServerSecrets::load(paths.pepper_file);
      const cases::AuditLog audit(secrets.pepper);
      const cases::PurgeJournal journal(secrets.pepper, journal_file);
      const cases::PurgeService purge(audit, journal, attachments_of(paths));
      const auto clock = opt.get("clock-offset-file") ? cases::offset_clock(*opt.get("clock-offset-file"))
                                                      : cases::system_clock();
      // Migrates an older backup's schema first, as serve would.
      storage::Database db = storage::open_writer(paths.database);
      again = purge.purge_again(db, purged, clock());
      cases::PurgeService::truncate_wal(db);
    } catch (const std::exception& e) {
      undo();
      std::cerr << "krasipd: cannot purge again the cases the purge journal " << journal_file.string()
                << " names: " << e.what() << ".\nThe restore was undone.\n";
      return 1;
    }
  }
  keep_journal(journal_file, paths.purge_journal);
  std::cout << "purged again: " << again << " cases (purged after this backup was made; purge journal "
            << journal_file.string() << ")\n";
  return 0;
}

}  // namespace krasip::cli
