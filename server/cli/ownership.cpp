#include "ownership.hpp"

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "options.hpp"

namespace krasip::cli {

namespace {

Owner lookup(const std::string& name) {
  std::vector<char> buf(16384);
  passwd pw{};
  passwd* found = nullptr;
  if (::getpwnam_r(name.c_str(), &pw, buf.data(), buf.size(), &found) != 0 || found == nullptr) {
    throw UsageError("--owner " + name + ": no such user");
  }
  return {pw.pw_uid, pw.pw_gid, name};
}

std::string name_of(unsigned uid) {
  std::vector<char> buf(16384);
  passwd pw{};
  passwd* found = nullptr;
  if (::getpwuid_r(uid, &pw, buf.data(), buf.size(), &found) == 0 && found != nullptr)
    return pw.pw_name;
  return std::to_string(uid);
}

void give(const std::filesystem::path& p, const Owner& o) {
  if (::lchown(p.c_str(), o.uid, o.gid) != 0) {
    throw std::runtime_error("cannot give " + p.string() + " to " + o.name + ": " +
                             std::strerror(errno));
  }
}

}  // namespace

std::optional<Owner> owner_for(const std::optional<std::string>& owner_option,
                               const std::filesystem::path& data_dir) {
  if (owner_option) return lookup(*owner_option);
  struct stat st {};
  if (::stat(data_dir.c_str(), &st) != 0 || st.st_uid == 0) return std::nullopt;
  return Owner{st.st_uid, st.st_gid, name_of(st.st_uid)};
}

void give_files(const Owner& owner, const cases::DataPaths& paths, bool pepper_dir_is_ours) {
  if (std::filesystem::exists(paths.data_dir)) {
    give(paths.data_dir, owner);
    for (const auto& e : std::filesystem::recursive_directory_iterator(paths.data_dir))
      give(e.path(), owner);
  }
  if (std::filesystem::exists(paths.pepper_file)) {
    give(paths.pepper_file, owner);
    std::filesystem::permissions(paths.pepper_file, std::filesystem::perms::owner_read |
                                                        std::filesystem::perms::owner_write);
    if (pepper_dir_is_ours) give(paths.pepper_file.parent_path(), owner);
  }
}

void settle_identity(const std::optional<std::string>& owner_option,
                     const cases::DataPaths& paths) {
  if (::geteuid() != 0) {
    if (owner_option && lookup(*owner_option).uid != ::geteuid()) {
      throw UsageError("--owner " + *owner_option + ": run this as root or as that user");
    }
    return;
  }
  const auto owner = owner_for(owner_option, paths.data_dir);
  if (!owner) return;  // root's own data folder
  if (owner_option) {
    // Repairs files an earlier root run left behind. The pepper's folder is
    // left alone: it may be shared (/etc/krasip).
    give_files(*owner, paths, false);
  }
  if (owner->uid == 0) return;
  // Group first: once the uid is not root, the gid cannot change.
  if (::setgroups(0, nullptr) != 0 || ::setgid(owner->gid) != 0 || ::setuid(owner->uid) != 0 ||
      ::geteuid() == 0) {
    throw std::runtime_error("cannot become " + owner->name + ": " + std::strerror(errno));
  }
}

}  // namespace krasip::cli
