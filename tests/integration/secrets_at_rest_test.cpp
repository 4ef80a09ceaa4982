#include <doctest/doctest.h>

#include "fixtures.hpp"
#include "server_process.hpp"

using namespace krasip::test;
namespace json = boost::json;

TEST_CASE("no submitted plaintext or tracking code reaches the database, its WAL or the log") {
  ServerProcess server;
  const auto filed = post_json(server.port(), "/api/v1/complaints", json::serialize(complaint(true)));
  REQUIRE(filed.status == 201);
  const std::string code(parse(filed).at("tracking_code").as_string());
  std::string digits;
  for (char c : code) {
    if (c != '-') digits += c;
  }
  // A status lookup and a mistyped one too: neither may log the code.
  REQUIRE(post_json(server.port(), "/api/v1/status",
                    json::serialize(json::object{{"tracking_code", code}})).status == 200);

  const auto wal = server.data_dir() / "data" / "krasip.db-wal";
  REQUIRE(std::filesystem::exists(wal));  // the WAL holds the fresh commit: search it too
  const std::string db_bytes = read_tree(server.data_dir() / "data");
  const std::string log = read_file(server.log_file());
  REQUIRE(db_bytes.size() > 4096);
  REQUIRE(log.find("route=/api/v1/complaints status=201") != std::string::npos);

  const std::vector<std::string> secrets = {kDescription, "ZEBRA-7731", kReporterName, kNationalId,
                                            kPhone,       kEmail,       code,          digits,
                                            "นายสมศักดิ์ ตัวอย่าง"};
  for (const auto& s : secrets) {
    CAPTURE(s);
    CHECK(db_bytes.find(s) == std::string::npos);
    CHECK(log.find(s) == std::string::npos);
  }
  // No client address in the log either.
  CHECK(log.find("127.0.0.1:") == std::string::npos);
  CHECK(log.find("remote") == std::string::npos);

  // A graceful stop moves the WAL into krasip.db (the file alone is then a
  // whole copy of the data), and the same holds of it.
  CHECK(server.stop() == 0);
  CHECK((!std::filesystem::exists(wal) || std::filesystem::file_size(wal) == 0));
  const std::string after = read_tree(server.data_dir() / "data");
  CHECK(after.size() > 4096);
  for (const auto& s : secrets) {
    CAPTURE(s);
    CHECK(after.find(s) == std::string::npos);
  }
}
