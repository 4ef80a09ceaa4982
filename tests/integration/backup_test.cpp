// Backups that restore (issue 12, item 3): `krasipd backup` while the real
// server takes complaints and files, `krasipd restore` into a second server,
// and the refusals that must leave everything as it was.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <thread>

#include "fixtures.hpp"
#include "investigator_client.hpp"
#include "server_process.hpp"

using namespace krasip::test;
namespace fs = std::filesystem;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

const std::string kBoundary = "KrasipBackupBoundary5c4b3a";

// A PDF-typed file whose bytes are unique to `n`.
std::string evidence(int n) {
  std::string s = "%PDF-1.4\n1 0 obj\n<< /Title (EXHIBIT-" + std::to_string(n) + ") >>\nendobj\n";
  std::uint32_t x = 2654435761u * static_cast<std::uint32_t>(n + 1);
  while (s.size() < 24 * 1024) {
    x = x * 1103515245u + 12345u;
    s.push_back(static_cast<char>('a' + (x >> 16) % 26));
  }
  return s;
}

HttpResult upload(unsigned short port, const std::string& code, const std::string& bytes) {
  const std::string body = "--" + kBoundary +
                           "\r\nContent-Disposition: form-data; name=\"tracking_code\"\r\n\r\n" + code +
                           "\r\n--" + kBoundary +
                           "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"หลักฐาน.pdf\"\r\n"
                           "Content-Type: application/pdf\r\n\r\n" +
                           bytes + "\r\n--" + kBoundary + "--\r\n";
  return request(port, "POST", "/api/v1/status/attachments", body,
                 "multipart/form-data; boundary=" + kBoundary);
}

int status_of(unsigned short port, const std::string& code) {
  return post_json(port, "/api/v1/status", json::serialize(json::object{{"tracking_code", code}})).status;
}

struct Filed {
  std::string number, code, file;
};

// The entries of a folder, sorted.
std::vector<fs::path> backups_in(const fs::path& dir) {
  std::vector<fs::path> out;
  if (!fs::exists(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

void copy_pepper(const ServerProcess& from, const fs::path& data_dir) {
  fs::create_directories(data_dir / "secrets");
  fs::copy_file(from.data_dir() / "data" / "secrets" / "pepper.key", data_dir / "secrets" / "pepper.key");
  fs::permissions(data_dir / "secrets" / "pepper.key", fs::perms::owner_read | fs::perms::owner_write);
}

}  // namespace

TEST_CASE("backup: taken while complaints and files stream in, it restores into a server where every case opens") {
  ServerProcess origin;
  auto alice_acc = add_account(origin, "alice");
  const fs::path data = origin.data_dir() / "data";
  const fs::path backups = origin.data_dir() / "backups";

  std::mutex mutex;
  std::vector<Filed> acknowledged;  // complaint and its file both answered 201
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  std::thread stream([&] {
    for (int n = 0; !stop; ++n) {
      const auto [number, code] = file_complaint(origin.port(), n % 2 == 0);
      const auto bytes = evidence(n);
      if (upload(origin.port(), code, bytes).status != 201) ++failures;
      std::lock_guard lock(mutex);
      acknowledged.push_back({number, code, bytes});
    }
  });
  while (true) {
    std::this_thread::sleep_for(20ms);
    std::lock_guard lock(mutex);
    if (acknowledged.size() >= 8) break;
  }
  std::size_t before = 0;
  {
    std::lock_guard lock(mutex);
    before = acknowledged.size();
  }
  std::string out;
  const int rc = origin.run_command({"backup", "--data-dir", data.string(), "--to", backups.string(), "--keep", "3"}, &out);
  std::this_thread::sleep_for(300ms);  // the stream goes on after the copy
  stop = true;
  stream.join();
  CAPTURE(out);
  REQUIRE(rc == 0);
  CHECK(failures == 0);
  CHECK(out.find("The pepper is not in it") != std::string::npos);
  const auto made = backups_in(backups);
  REQUIRE(made.size() == 1);
  const fs::path folder = made.front();
  CHECK(folder.filename().string().rfind("krasip-backup-", 0) == 0);
  // No pepper in the backup; the files are the service user's only.
  for (const auto& e : fs::recursive_directory_iterator(folder)) {
    CHECK(e.path().filename() != "pepper.key");
    if (e.is_regular_file()) CHECK((e.status().permissions() & (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none);
  }

  // Restore into a second server's (emptied) data folder, with the pepper
  // the operator kept.
  ServerProcess restored;
  REQUIRE(restored.stop() == 0);
  const fs::path target = restored.data_dir() / "data";
  fs::remove_all(target);
  copy_pepper(origin, target);
  std::string restore_out;
  // The origin's purge journal (kept outside the backups; `init` started it).
  const int rrc = restored.run_command({"restore", "--from", folder.string(), "--data-dir", target.string(),
                                        "--purge-journal", (data / "purge-journal").string()},
                                       &restore_out);
  CAPTURE(restore_out);
  REQUIRE(rrc == 0);
  CHECK(restore_out.find("The pepper matches") != std::string::npos);
  CHECK(restore_out.find("purged again: 0 cases") != std::string::npos);
  CHECK(fs::exists(target / "purge-journal"));  // copied into its place for the next restore
  restored.restart_with({});

  // Every complaint acknowledged before the backup began opens there, with
  // its file, byte for byte; any later one in the copy opens whole too.
  Investigator alice(restored.port(), alice_acc);
  std::size_t in_copy = 0;
  for (std::size_t i = 0; i < acknowledged.size(); ++i) {
    const auto& f = acknowledged[i];
    CAPTURE(f.number);
    const int st = status_of(restored.port(), f.code);
    if (i < before) {
      CHECK(st == 200);
    } else {
      CHECK((st == 200 || st == 404));
    }
    if (st != 200) continue;
    ++in_copy;
    const auto view = alice.get("/api/v1/cases/" + f.number);
    REQUIRE(view.status == 200);
    const auto parsed = parse(view);
    const auto& files = parsed.at("attachments").as_array();
    if (i < before) REQUIRE(files.size() == 1);
    for (const auto& a : files) {
      const auto dl = alice.get("/api/v1/cases/" + f.number + "/attachments/" + std::string(a.at("id").as_string()));
      REQUIRE(dl.status == 200);
      CHECK(dl.body == f.file);
    }
  }
  CHECK(in_copy >= before);
  std::string verify_out;
  CHECK(restored.run_command({"audit", "verify", "--data-dir", target.string()}, &verify_out) == 0);
  CHECK(verify_out.find("intact") != std::string::npos);
}

TEST_CASE("backup: refusals are clear and change nothing") {
  ServerProcess server;
  const fs::path data = server.data_dir() / "data";
  const auto [number, code] = file_complaint(server.port(), true);
  const fs::path backups = server.data_dir() / "backups";
  std::string out;

  SUBCASE("--to is a file, not a folder") {
    std::ofstream(server.data_dir() / "not-a-folder") << "x";
    CHECK(server.run_command({"backup", "--data-dir", data.string(), "--to", (server.data_dir() / "not-a-folder").string()}, &out) != 0);
    CHECK(out.find("is not a folder") != std::string::npos);
  }
  SUBCASE("--to cannot be written") {
    // /proc refuses a new folder even to root.
    CHECK(server.run_command({"backup", "--data-dir", data.string(), "--to", "/proc/krasip-backups"}, &out) != 0);
    CHECK(out.find("cannot make the folder /proc/krasip-backups") != std::string::npos);
  }
  SUBCASE("the disk fills up half-way: no backup is left, the service goes on") {
    fs::create_directories(backups);
    int rc = -1;
    // A file-size limit makes the copy's writes fail as a full disk does.
    out = run_krasipd_prefixed("prlimit --fsize=65536", "backup --data-dir " + data.string() + " --to " + backups.string(), &rc);
    CHECK(rc != 0);
    CHECK(out.find("no space left on the backup's disk") != std::string::npos);
    CHECK(backups_in(backups).empty());  // not even a .partial folder
  }
  SUBCASE("restore into a data folder that holds data") {
    fs::create_directories(backups);
    REQUIRE(server.run_command({"backup", "--data-dir", data.string(), "--to", backups.string()}, &out) == 0);
    const auto before = backups_in(data);  // after the backup, which records its time there
    const auto folder = backups_in(backups).front();
    CHECK(server.run_command({"restore", "--from", folder.string(), "--data-dir", data.string()}, &out) != 0);
    CHECK(out.find("is not empty") != std::string::npos);
    CHECK(backups_in(data) == before);  // the same files; none replaced or added
  }
  SUBCASE("restore from a folder that is not a backup, or with the wrong pepper") {
    const fs::path target = server.data_dir() / "elsewhere";
    const std::string journal = (data / "purge-journal").string();
    CHECK(server.run_command({"restore", "--from", data.string(), "--data-dir", target.string(), "--purge-journal",
                              journal}, &out) != 0);
    CHECK(out.find("is not a Krasip backup") != std::string::npos);

    fs::create_directories(backups);
    REQUIRE(server.run_command({"backup", "--data-dir", data.string(), "--to", backups.string()}, &out) == 0);
    const auto folder = backups_in(backups).front();
    fs::create_directories(target / "secrets");
    {
      std::ofstream wrong(target / "secrets" / "pepper.key", std::ios::binary);
      wrong << std::string(32, 'k');
    }
    fs::permissions(target / "secrets" / "pepper.key", fs::perms::owner_read | fs::perms::owner_write);
    CHECK(server.run_command({"restore", "--from", folder.string(), "--data-dir", target.string(), "--purge-journal",
                              journal}, &out) != 0);
    CHECK(out.find("is not the one this backup was made with") != std::string::npos);
    CHECK_FALSE(fs::exists(target / "krasip.db"));  // undone
  }
  // Whatever was refused, the service still answers the reporter.
  CHECK(status_of(server.port(), code) == 200);
}
