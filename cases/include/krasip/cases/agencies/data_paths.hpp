#pragma once
#include <filesystem>

namespace krasip::cases {

// Where a Krasip instance keeps its files. The pepper may be moved out of
// the data folder (--pepper-file) so that a backup of the folder alone
// cannot be used to test guessed tracking codes.
struct DataPaths {
  std::filesystem::path data_dir;
  std::filesystem::path database;
  std::filesystem::path pepper_file;
  // The purge journal (issue 21, item 5): in the data folder by default,
  // where `krasipd backup` never copies it from and `restore` leaves it.
  std::filesystem::path purge_journal;

  static DataPaths in(const std::filesystem::path& data_dir) {
    return {data_dir, data_dir / "krasip.db", data_dir / "secrets" / "pepper.key", data_dir / kPurgeJournalName};
  }
  static constexpr const char* kPurgeJournalName = "purge-journal";
};

}  // namespace krasip::cases
