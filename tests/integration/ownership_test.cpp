// `sudo krasipd ...` must not leave files the service's user cannot open
// (issue 9, item 14). Only meaningful as root; the service's user is
// uid/gid 65534, as for RunAs::unprivileged.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <random>

#include "fixtures.hpp"
#include "investigator_client.hpp"
#include "server_process.hpp"

using namespace krasip::test;
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

std::string quoted(const fs::path& p) { return "'" + p.string() + "'"; }

int sh(const std::string& cmd, std::string* out = nullptr) {
  std::string text;
  FILE* p = ::popen((cmd + " 2>&1").c_str(), "r");
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) text.append(buf, n);
  const int status = ::pclose(p);
  if (out != nullptr) *out = text;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

std::string as_service_user(const std::string& cmd) {
  const std::string id = std::to_string(kUnprivilegedId);
  return "setpriv --reuid=" + id + " --regid=" + id + " --clear-groups " + cmd;
}

struct Stat {
  unsigned uid = 0;
  unsigned gid = 0;
  unsigned mode = 0;
};
Stat stat_of(const fs::path& p) {
  struct stat st {};
  REQUIRE(::lstat(p.c_str(), &st) == 0);
  return {st.st_uid, st.st_gid, st.st_mode & 07777u};
}

// Paths under `dir` (and `dir` itself) not owned by uid and gid 65534.
std::vector<std::string> not_the_services(const fs::path& dir) {
  std::vector<std::string> out;
  const auto check = [&](const fs::path& p) {
    const auto s = stat_of(p);
    if (s.uid != kUnprivilegedId || s.gid != kUnprivilegedId) out.push_back(p.string());
  };
  check(dir);
  for (const auto& e : fs::recursive_directory_iterator(dir)) check(e.path());
  return out;
}

// A folder the service's user can reach, with a copy of krasipd in it (the
// build tree may be out of its reach).
struct Scratch {
  fs::path dir;
  fs::path krasipd;
  Scratch() {
    std::random_device rd;
    dir = fs::temp_directory_path() /
          ("krasip-own-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
    fs::create_directories(dir);
    fs::permissions(dir, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                             fs::perms::others_read | fs::perms::others_exec);
    krasipd = dir / "krasipd";
    fs::copy_file(KRASIPD_PATH, krasipd);
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

}  // namespace

TEST_CASE("sudo krasipd init --owner: the service's user owns the data folder and the pepper") {
  if (::geteuid() != 0) {
    MESSAGE("skipped: needs root");
    return;
  }
  Scratch s;
  const auto data = s.dir / "var-lib-krasip";
  const auto pepper = s.dir / "etc-krasip" / "pepper.key";
  const std::string where = " --data-dir " + quoted(data) + " --pepper-file " + quoted(pepper);
  std::string out;
  REQUIRE(sh(quoted(s.krasipd) + " init --fast-kdf --no-admin --owner nobody" + where, &out) == 0);
  CHECK(not_the_services(data).empty());
  const auto p = stat_of(pepper);
  CHECK(p.uid == kUnprivilegedId);
  CHECK(p.mode == 0600);
  CHECK(stat_of(pepper.parent_path()).uid == kUnprivilegedId);  // init made this folder
  CHECK(out.find("note: run as root without --owner") == std::string::npos);

  // The service's user can now use it all: read the pepper, write the database.
  CHECK(sh(as_service_user(quoted(s.krasipd) + " audit verify" + where)) == 0);
  CHECK(sh("echo pw-for-bob-long-enough | " +
           as_service_user(quoted(s.krasipd) +
                           " user add --fast-kdf --password-stdin --username bob" + where)) == 0);
  CHECK(not_the_services(data).empty());

  // Without --owner the files stay root's, and init says so: the service's
  // user cannot even read the pepper.
  const auto data2 = s.dir / "data2";
  const auto pepper2 = s.dir / "etc2" / "pepper.key";
  const std::string where2 = " --data-dir " + quoted(data2) + " --pepper-file " + quoted(pepper2);
  REQUIRE(sh(quoted(s.krasipd) + " init --fast-kdf --no-admin" + where2, &out) == 0);
  CHECK(out.find("note: run as root without --owner") != std::string::npos);
  CHECK(stat_of(pepper2).uid == 0);
  CHECK(sh(as_service_user(quoted(s.krasipd) + " audit verify" + where2)) != 0);
}

TEST_CASE("sudo krasipd on the service's data folder acts as its owner; --owner repairs") {
  if (::geteuid() != 0) {
    MESSAGE("skipped: needs root");
    return;
  }
  ServerProcess server({}, RunAs::unprivileged);
  const auto data = server.data_dir() / "data";
  REQUIRE(server.stop() == 0);
  // As root, with no --owner: a serve run creates the attachments folder
  // (removed here), a user add writes the database.
  fs::remove_all(data / "attachments");
  std::string out;
  CHECK(sh("timeout -s TERM 3 " + quoted(KRASIPD_PATH) + " serve --listen 127.0.0.1:0 --web-root " +
               quoted(KRASIP_WEB_ROOT) + " --data-dir " + quoted(data),
           &out) == 124);  // ran until timeout stopped it
  INFO(out);
  REQUIRE(fs::exists(data / "attachments"));
  auto carol = add_account(server, "carol");  // run as root
  CHECK(not_the_services(data).empty());

  // Files an older root run left behind are given back by --owner.
  REQUIRE(::lchown((data / "krasip.db").c_str(), 0, 0) == 0);
  REQUIRE(::lchown((data / "secrets" / "pepper.key").c_str(), 0, 0) == 0);
  CHECK(sh(quoted(KRASIPD_PATH) + " audit verify --owner nobody --data-dir " + quoted(data)) == 0);
  CHECK(not_the_services(data).empty());

  // The service, as its own user, works with all of it.
  server.start();
  Investigator c(server.port(), carol);
  CHECK(c.get("/api/v1/auth/me").status == 200);
  CHECK(post_json(server.port(), "/api/v1/complaints", json::serialize(complaint(false))).status ==
        201);
  CHECK(not_the_services(data).empty());
}
