// Issue 22: investigators never get a mailbox of bot complaints. Against a
// real krasipd and a real SMTP server: a reader is mailed for each calm
// complaint; once the service judges itself flooded (here proofs are off,
// --pow-bits 0, so the flood's complaints are all taken) the complaints go
// into one batch, the reader gets one mail for it however many follow, and
// the case list shows the batch as one row that opens to its cases.
#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <thread>

#include "fixtures.hpp"
#include "investigator_client.hpp"
#include "server_process.hpp"
#include "smtp_sink.hpp"
#include "test_clock.hpp"

using namespace krasip::test;
namespace json = boost::json;

namespace {
const std::string kAddress = "somsri@agency.example.go.th";

std::size_t flood_mails(const SmtpSink& smtp) {
  std::size_t n = 0;
  for (const auto& m : smtp.mails_to(kAddress)) {
    if (m.decoded.find("A flood of complaints") != std::string::npos) ++n;
  }
  return n;
}

// The number of mails once the sender has had time to send what is due.
std::size_t settled(const SmtpSink& smtp) {
  std::size_t last = smtp.mails_to(kAddress).size();
  for (int quiet = 0; quiet < 8;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    const auto now = smtp.mails_to(kAddress).size();
    quiet = now == last ? quiet + 1 : 0;
    last = now;
  }
  return last;
}
}  // namespace

TEST_CASE("flood batch: a flood's complaints make one mail and one flagged row in the case list, which opens to them") {
  // A Wednesday, 09:00 Bangkok: alerts wait for the 13:30 batch (issue 21).
  TestClock clock;
  const auto wednesday = TestClock::next_wednesday();
  clock.set_at(wednesday + 9 * 3600);
  ServerProcess server({"--public-url", "https://krasip.example.go.th", "--mail-poll-ms", "200",
                        "--mail-retry-base-seconds", "1", "--mail-retry-max-seconds", "2", "--clock-offset-file",
                        clock.file.string()});
  SmtpSink smtp(server.data_dir() / "smtp");
  smtp.start();
  set_mail(server, smtp.port());
  auto admin = init_admin(server);
  admin.clock = &clock;
  verify_address(server.port(), Investigator(server.port(), admin), smtp, kAddress);
  const std::string body = json::serialize(complaint(false));

  // Calm: a new-case alert (two calm complaints before a batch make one:
  // the same mail is not queued twice).
  for (std::size_t i = 1; i <= 2; ++i) REQUIRE(post_json(server.port(), "/api/v1/complaints", body).status == 201);
  // A bot: 35 complaints as fast as it can; past 30 a minute the service
  // judges itself flooded; then more of the flood.
  for (int i = 0; i < 35; ++i) REQUIRE(post_json(server.port(), "/api/v1/complaints", body).status == 201);
  for (int i = 0; i < 10; ++i) REQUIRE(post_json(server.port(), "/api/v1/complaints", body).status == 201);
  // The batch: the new case and the flood, one mail each.
  clock.set_at(wednesday + 13 * 3600 + 30 * 60 + 20);
  REQUIRE(smtp.wait_for(kAddress, 3).size() == 3);
  const auto after_batch = settled(smtp);
  CHECK(after_batch == 3);
  CHECK(flood_mails(smtp) == 1);
  // The next batch: nothing sent again.
  clock.set_at(wednesday + TestClock::kDay + 8 * 3600 + 30 * 60 + 20);
  CHECK(settled(smtp) == after_batch);
  CHECK(flood_mails(smtp) == 1);
  const Investigator somsri(server.port(), admin);  // a day later: a new session

  // The console's list: the calm ones (and the first of the burst, filed
  // before the flood was judged one) as cases, the flood as one batch.
  const auto list = parse(somsri.get("/api/v1/cases?per_page=100"));
  const auto& batches = list.at("flood_batches").as_array();
  REQUIRE(batches.size() == 1);
  const auto& batch = batches[0].as_object();
  const auto in_batch = batch.at("cases").as_int64();
  CHECK(in_batch >= 10);  // at least the ten after the burst
  CHECK(in_batch <= 17);  // and the burst's past the floor of 30 (the calm two count towards it)
  CHECK(batch.at("open").as_int64() == in_batch);
  CHECK(batch.at("overdue").as_int64() == 0);
  const auto& cases = list.at("cases").as_array();
  CHECK(static_cast<std::int64_t>(cases.size()) + in_batch == 47);
  // The batch's day is its cases' received day; nothing finer.
  CHECK(batch.at("received_at") == cases[0].at("received_at"));

  // Opened: the batch's cases, the same the investigator can read.
  const auto id = std::string(batch.at("id").as_string());
  const auto opened = parse(somsri.get("/api/v1/cases?per_page=100&batch=" + id));
  CHECK(static_cast<std::int64_t>(opened.at("cases").as_array().size()) == in_batch);
  CHECK(opened.at("flood_batches").as_array().empty());
  const auto first = std::string(opened.at("cases").as_array()[0].at("case_number").as_string());
  CHECK(somsri.get("/api/v1/cases/" + first).status == 200);
  // A batch that is not there: a clear error.
  const auto bad = somsri.get("/api/v1/cases?batch=00112233445566778899aabbccddeeff");
  CHECK(bad.status == 400);
  CHECK(error_code(bad) == "invalid_field");
}
