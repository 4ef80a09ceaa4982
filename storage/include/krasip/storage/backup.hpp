#pragma once
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace krasip::storage {

// A backup or restore that could not be made. The message says what to do;
// nothing half-made is left behind, and the source is never touched.
class BackupError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A backup is a folder `krasip-backup-YYYYMMDDTHHMMSSZ` holding
//   krasip.db      one consistent snapshot (SQLite's online backup API),
//   attachments/   the encrypted evidence files that snapshot's rows name,
//   MANIFEST       format, schema version, and each file's size.
// The pepper is never in it (README, "Backups"): a stolen backup alone
// cannot test guessed tracking codes.
namespace backup {

inline constexpr const char* kFolderPrefix = "krasip-backup-";

struct Summary {
  std::filesystem::path folder;
  int schema_version = 0;
  std::int64_t cases = 0;
  std::size_t files = 0;
  std::uintmax_t bytes = 0;  // database plus files
};

// Copies the live database `database` and the files of `attachments_dir`
// that the copy names into a new folder under `to` (made if missing).
// Safe while krasipd serves: the copy is one read snapshot, so every case
// it holds is whole, and files are written before the rows that name them.
// Built under a ".partial" name and renamed when complete and fsync'd.
Summary create(const std::filesystem::path& database, const std::filesystem::path& attachments_dir,
               const std::filesystem::path& to);

// Deletes the oldest complete backups under `to` beyond the newest `keep`.
// Returns the folders removed.
std::vector<std::filesystem::path> prune(const std::filesystem::path& to, std::size_t keep);

// Brings the backup folder `from` back as `database` and `attachments_dir`,
// which must not exist or be empty. Checks the copy (SQLite integrity_check,
// every named file present with its size) before the database file takes
// its name, so a failed restore leaves no database behind.
Summary restore(const std::filesystem::path& from, const std::filesystem::path& database,
                const std::filesystem::path& attachments_dir);

}  // namespace backup
}  // namespace krasip::storage
