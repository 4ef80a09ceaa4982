#pragma once
#include <filesystem>
#include <optional>
#include <string>

#include "krasip/cases/agencies/data_paths.hpp"

namespace krasip::cli {

// Files the service cannot open are the usual failure after `sudo krasipd
// ...`: a root-owned pepper, root-owned -wal/-shm next to the database.
// The rule (README, "Running as root"): a command run as root never leaves
// root's files in the data folder.
//  - `init --owner U` initialises as root (the pepper may go to a folder
//    only root can write, e.g. /etc/krasip), then gives U the data folder
//    and everything in it, the pepper file (mode 0600) and the pepper's
//    folder if init made it.
//  - Every other command, run as root, becomes the data folder's owner
//    (or U with --owner U, after giving U the same files) before it opens
//    anything, so whatever SQLite creates belongs to that user.
//  - Run as any other user, --owner must name that user.

// The user a root command should act as: --owner, or the data folder's
// owner if that is not root. nullopt: stay as we are.
struct Owner {
  unsigned uid = 0;
  unsigned gid = 0;
  std::string name;
};
std::optional<Owner> owner_for(const std::optional<std::string>& owner_option,
                               const std::filesystem::path& data_dir);

// Gives `owner` the data folder's tree and the pepper file (0600); the
// pepper's folder too if `pepper_dir_is_ours`.
void give_files(const Owner& owner, const cases::DataPaths& paths, bool pepper_dir_is_ours);

// For every command but init: as root, give the files (with --owner) and
// drop to the owner; otherwise check --owner names us.
void settle_identity(const std::optional<std::string>& owner_option, const cases::DataPaths& paths);

}  // namespace krasip::cli
