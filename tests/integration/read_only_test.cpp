// Issue 6: a database the service cannot write (restored with the wrong
// owner or mode, a filesystem remounted read-only) still serves reads,
// refuses every write with 503 storage_unavailable, loses nothing, and takes
// writes again once the operator fixes the files, without a restart.
#include <doctest/doctest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include "fixtures.hpp"
#include "server_process.hpp"

using namespace krasip::test;
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

const auto kWriteBits = fs::perms::owner_write | fs::perms::group_write | fs::perms::others_write;

void change_write(const fs::path& p, bool writable) {
  if (writable) {
    fs::permissions(p, fs::perms::owner_write, fs::perm_options::add);
  } else {
    fs::permissions(p, kWriteBits, fs::perm_options::remove);
  }
}

// `chmod -R a-w` on a path for as long as it lives (`chmod -R u+w` after),
// so that a failing test still leaves a folder that can be removed.
class ReadOnly {
 public:
  explicit ReadOnly(fs::path path) : path_(std::move(path)) { apply(false); }
  ReadOnly(const ReadOnly&) = delete;
  ReadOnly& operator=(const ReadOnly&) = delete;
  ~ReadOnly() {
    try {
      restore();
    } catch (...) {
    }
  }
  // What the operator does: make it writable again.
  void restore() {
    if (active_) apply(true);
    active_ = false;
  }

 private:
  void apply(bool writable) {
    change_write(path_, writable);
    if (!fs::is_directory(path_)) return;
    for (const auto& e : fs::recursive_directory_iterator(path_)) change_write(e.path(), writable);
  }
  fs::path path_;
  bool active_ = true;
};

std::string tracking_code(const HttpResult& r) {
  return std::string(parse(r).at("tracking_code").as_string());
}

// The sequence number at the end of a case number (NH-2570-00001 -> 1).
int case_sequence(const HttpResult& r) {
  const std::string n(parse(r).at("case_number").as_string());
  return std::stoi(n.substr(n.rfind('-') + 1));
}

int lookup(unsigned short port, const std::string& code) {
  return post_json(port, "/api/v1/status", json::serialize(json::object{{"tracking_code", code}}))
      .status;
}

HttpResult file_complaint(unsigned short port) {
  return post_json(port, "/api/v1/complaints", json::serialize(complaint(true)));
}

// A small PDF as evidence for the case with `code`, as the status page sends it.
HttpResult upload_evidence(unsigned short port, const std::string& code) {
  const std::string boundary = "KrasipReadOnlyBoundary";
  const std::string body =
      "--" + boundary + "\r\nContent-Disposition: form-data; name=\"tracking_code\"\r\n\r\n" +
      code + "\r\n--" + boundary +
      "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"memo.pdf\"\r\n"
      "Content-Type: application/pdf\r\n\r\n%PDF-1.4\n1 0 obj\n<< >>\nendobj\n\r\n--" +
      boundary + "--\r\n";
  return request(port, "POST", "/api/v1/status/attachments", body,
                 "multipart/form-data; boundary=" + boundary);
}

bool log_has(const ServerProcess& server, const std::string& text) {
  return read_file(server.log_file()).find(text) != std::string::npos;
}

// Files one complaint on a fresh server and stops it; returns the answer.
HttpResult first_complaint(ServerProcess& server) {
  auto r = file_complaint(server.port());
  REQUIRE(r.status == 201);
  REQUIRE(server.stop() == 0);
  return r;
}

// What a restore from `sqlite3 krasip.db ".backup b.db"` leaves: the file
// alone, still marked as a WAL database, with no -wal or -shm beside it.
void restore_from_backup(const fs::path& data) {
  const auto db_path = data / "krasip.db";
  const auto copy = data.parent_path() / "backup.db";
  sqlite3* src = nullptr;
  sqlite3* dst = nullptr;
  REQUIRE(sqlite3_open_v2(db_path.c_str(), &src, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_open(copy.c_str(), &dst) == SQLITE_OK);
  sqlite3_backup* b = sqlite3_backup_init(dst, "main", src, "main");
  REQUIRE(b != nullptr);
  CHECK(sqlite3_backup_step(b, -1) == SQLITE_DONE);
  CHECK(sqlite3_backup_finish(b) == SQLITE_OK);
  sqlite3_close(dst);
  sqlite3_close(src);
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db_path.string() + suffix);
  fs::copy_file(copy, db_path);
  fs::remove(copy);
  REQUIRE(fs::exists(db_path));
  if (::geteuid() == 0) REQUIRE(::lchown(db_path.c_str(), kUnprivilegedId, kUnprivilegedId) == 0);
}

// The first column of the first row, read once the server has stopped.
std::string scalar(const fs::path& db_path, const char* sql) {
  sqlite3* db = nullptr;
  sqlite3_stmt* st = nullptr;
  std::string value = "(error)";
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK &&
      sqlite3_prepare_v2(db, sql, -1, &st, nullptr) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW) {
    value = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return value;
}

// Started on a database it cannot write: reads work, writes are refused.
void check_serves_reads_only(const ServerProcess& server, const std::string& old_code) {
  const auto port = server.port();
  CHECK(log_has(server, "event=storage_not_writable"));
  CHECK(lookup(port, old_code) == 200);
  CHECK(request(port, "GET", "/api/v1/intake").status == 200);
  CHECK(request(port, "GET", "/").status == 200);
  for (int i = 0; i < 3; ++i) {
    const auto refused = file_complaint(port);
    REQUIRE(refused.status == 503);
    CHECK(error_code(refused) == "storage_unavailable");
  }
  const auto message = post_json(
      port, "/api/v1/status/messages",
      json::serialize(json::object{{"tracking_code", old_code}, {"body", "one more detail"}}));
  CHECK(message.status == 503);
  CHECK(error_code(message) == "storage_unavailable");
  const auto evidence = upload_evidence(port, old_code);
  CHECK(evidence.status == 503);
  CHECK(error_code(evidence) == "storage_unavailable");
  const auto health = request(port, "GET", "/healthz");
  CHECK(health.status == 503);
  CHECK(parse(health).at("status").as_string() == "degraded");
  CHECK(parse(health).at("reads").as_string() == "ok");
  CHECK(parse(health).at("writes").as_string() == "unavailable");
}

// After the operator fixed the files: a new complaint is stored, numbered
// right after the first (the refused ones took nothing), and both open.
void check_recovers(ServerProcess& server, const HttpResult& first) {
  const auto port = server.port();
  HttpResult stored;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  do {
    stored = file_complaint(port);
    if (stored.status == 201) break;
    CHECK(stored.status == 503);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  } while (std::chrono::steady_clock::now() < deadline);
  REQUIRE(stored.status == 201);
  CHECK(case_sequence(stored) == case_sequence(first) + 1);
  CHECK(lookup(port, tracking_code(first)) == 200);
  CHECK(lookup(port, tracking_code(stored)) == 200);
  CHECK(request(port, "GET", "/healthz").status == 200);
  CHECK(log_has(server, "event=storage_writable"));
  CHECK(server.stop() == 0);

  std::string out;
  const int verified = server.run_command(
      {"audit", "verify", "--data-dir", (server.data_dir() / "data").string()}, &out);
  CHECK_MESSAGE(verified == 0, out);
  const auto path = server.data_dir() / "data" / "krasip.db";
  CHECK(scalar(path, "SELECT count(*) FROM cases") == "2");
  CHECK(fs::is_empty(server.data_dir() / "data" / "attachments"));
  CHECK(scalar(path, "PRAGMA integrity_check") == "ok");
}

}  // namespace

TEST_CASE("read-only data folder: reads served, writes 503, recovers without a restart") {
  ServerProcess server({}, RunAs::unprivileged);
  const auto first = first_complaint(server);
  const auto data = server.data_dir() / "data";
  // As a clean stop leaves it: krasip.db with its -wal and -shm, which SQLite
  // can read from read-only files.
  ReadOnly read_only(data);
  server.start();
  check_serves_reads_only(server, tracking_code(first));
  read_only.restore();
  check_recovers(server, first);
}

TEST_CASE("read-only backup restored without -wal and -shm: read as a snapshot, recovers") {
  ServerProcess server({}, RunAs::unprivileged);
  const auto first = first_complaint(server);
  const auto data = server.data_dir() / "data";
  restore_from_backup(data);
  // No -shm can be made in this folder: SQLite reads the file only as an
  // immutable snapshot.
  ReadOnly read_only(data);
  server.start();
  check_serves_reads_only(server, tracking_code(first));
  read_only.restore();
  check_recovers(server, first);
}

TEST_CASE("read-only krasip.db in a writable folder: recovers when the file alone is fixed") {
  ServerProcess server({}, RunAs::unprivileged);
  const auto first = first_complaint(server);
  const auto data = server.data_dir() / "data";
  restore_from_backup(data);
  ReadOnly read_only(data / "krasip.db");
  server.start();
  check_serves_reads_only(server, tracking_code(first));
  // SQLite made -wal and -shm with the read-only file's mode.
  CHECK((fs::status(data / "krasip.db-wal").permissions() & fs::perms::owner_write) ==
        fs::perms::none);
  read_only.restore();
  check_recovers(server, first);
}

TEST_CASE("read-only database that needs migrating: krasipd does not start, and says why") {
  ServerProcess server({}, RunAs::unprivileged);
  (void)first_complaint(server);
  const auto data = server.data_dir() / "data";
  restore_from_backup(data);
  {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open((data / "krasip.db").c_str(), &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db,
                       "DELETE FROM schema_migrations WHERE version = "
                       "(SELECT max(version) FROM schema_migrations)",
                       nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
  }
  ReadOnly read_only(data);
  CHECK_THROWS_AS(server.start(), std::runtime_error);
  CHECK(server.start_exit_status() == 1);
  const auto said = read_file(server.stderr_file());
  CHECK(said.find("needs migrating") != std::string::npos);
  CHECK(said.find("writable") != std::string::npos);
}
