#include <ctime>
#include <fstream>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "commands.hpp"
#include "krasip/cases/agencies/data_paths.hpp"
#include "krasip/cases/common/server_secrets.hpp"
#include "krasip/cases/audit/audit_log.hpp"
#include "krasip/storage/backup.hpp"
#include "krasip/storage/database.hpp"
#include "krasip/storage/key_store.hpp"
#include "options.hpp"
#include "ownership.hpp"

namespace krasip::cli {

namespace fs = std::filesystem;

namespace {

constexpr const char* kBackupUsage = "usage: krasipd backup --data-dir DIR --to BACKUPS [--keep N]";
constexpr const char* kRestoreUsage =
    "usage: krasipd restore --from BACKUPS/krasip-backup-… --data-dir DIR [--pepper-file F] [--owner USER]";

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

// Only the pepper may be waiting in the data folder (its default place is
// secrets/ inside it): anything else is someone's data.
void require_empty_data_dir(const fs::path& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) return;
  if (!fs::is_directory(dir, ec)) throw storage::BackupError(dir.string() + " is not a folder");
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().filename() == "secrets") continue;
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

// krasipd restore --from FOLDER --data-dir DIR: into an empty data folder
// only. With the pepper in place, checks it against the audit chain.
int cmd_restore(int argc, char** argv) {
  const Options opt(argc, argv, 2, {"from", "data-dir", "pepper-file", "owner"}, {});
  auto paths = cases::DataPaths::in(opt.require("data-dir"));
  if (auto p = opt.get("pepper-file")) paths.pepper_file = *p;
  const fs::path from = opt.require("from");
  require_empty_data_dir(paths.data_dir);
  std::error_code ec;
  if (!fs::exists(paths.data_dir, ec) && ::mkdir(paths.data_dir.c_str(), 0700) != 0) {
    throw storage::BackupError("cannot make " + paths.data_dir.string() + ": " + std::strerror(errno));
  }
  settle_identity(opt.get("owner"), paths);  // as root: the folder goes to its owner first
  ::umask(077);
  const auto s = storage::backup::restore(from, paths.database, attachments_of(paths));
  std::cout << "restored " << from.string() << " into " << paths.data_dir.string() << " (" << describe(s) << ")\n";
  if (!fs::exists(paths.pepper_file, ec)) {
    std::cout << "No pepper at " << paths.pepper_file.string()
              << ": put the copy of the pepper file you kept there (mode 0600, owned by the service's user)\n"
              << "before `krasipd serve`. Until then no tracking code opens. Then run `krasipd audit verify`.\n";
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
    // Undo: a restore that cannot serve its reporters is not left in place.
    fs::remove(paths.database, ec);
    fs::remove_all(attachments_of(paths), ec);
    std::cerr << "krasipd: the pepper at " << paths.pepper_file.string() << " " << problem << ".\n"
              << "The restore was undone. Put the deployment's own pepper there and run restore again.\n";
    return 1;
  }
  std::cout << "The pepper matches: the audit chain verifies (" << entries << " entries).\n";
  return 0;
}

}  // namespace krasip::cli
