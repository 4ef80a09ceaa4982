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

  static DataPaths in(const std::filesystem::path& data_dir) {
    return {data_dir, data_dir / "krasip.db", data_dir / "secrets" / "pepper.key"};
  }
};

}  // namespace krasip::cases
