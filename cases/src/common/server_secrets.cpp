#include "krasip/cases/common/server_secrets.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "krasip/crypto/tracking_code.hpp"

namespace krasip::cases {

namespace {
// RAII for a file descriptor.
struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

[[noreturn]] void fail(const std::string& what, const std::filesystem::path& p) {
  throw std::runtime_error(what + " " + p.string() + ": " + std::strerror(errno));
}
}  // namespace

ServerSecrets ServerSecrets::create(const std::filesystem::path& pepper_file) {
  // Only a folder made here is closed to others: `--pepper-file /etc/x.key`
  // must not change /etc.
  if (std::filesystem::create_directories(pepper_file.parent_path())) {
    std::filesystem::permissions(pepper_file.parent_path(), std::filesystem::perms::owner_all);
  }
  ServerSecrets s{crypto::SecureBytes::random(crypto::kPepperBytes)};
  Fd f{::open(pepper_file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)};
  if (f.fd < 0) fail("cannot create", pepper_file);
  if (::write(f.fd, s.pepper.data(), s.pepper.size()) != static_cast<ssize_t>(s.pepper.size()) ||
      ::fsync(f.fd) != 0) {
    fail("cannot write", pepper_file);
  }
  return s;
}

ServerSecrets ServerSecrets::load(const std::filesystem::path& pepper_file) {
  Fd f{::open(pepper_file.c_str(), O_RDONLY | O_CLOEXEC)};
  if (f.fd < 0) fail("cannot open", pepper_file);
  struct stat st {};
  if (::fstat(f.fd, &st) != 0) fail("cannot stat", pepper_file);
  if ((st.st_mode & 077) != 0) {
    throw std::runtime_error("refusing " + pepper_file.string() +
                             ": readable by group or others (chmod 600 it)");
  }
  ServerSecrets s{crypto::SecureBytes(crypto::kPepperBytes)};
  if (::read(f.fd, s.pepper.data(), s.pepper.size()) != static_cast<ssize_t>(s.pepper.size())) {
    throw std::runtime_error("pepper file " + pepper_file.string() + " is too short");
  }
  return s;
}

}  // namespace krasip::cases
