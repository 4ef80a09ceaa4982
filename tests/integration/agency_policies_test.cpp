#include <doctest/doctest.h>

#include <chrono>
#include <fstream>

#include "fixtures.hpp"
#include "investigator_client.hpp"
#include "krasip/crypto/encoding.hpp"

using namespace krasip::test;
namespace json = boost::json;
using namespace std::string_literals;

// Issue 11: each agency its own deadlines, categories and logo, set by the
// operator (`krasipd agency add|edit`) and followed by the forms, the case
// logic, the status page and the statistics.

namespace {

std::string data_dir(const ServerProcess& s) { return (s.data_dir() / "data").string(); }

std::vector<std::string> category_ids(unsigned short port, const std::string& agency) {
  const auto r = request(port, "GET", "/api/v1/intake?agency=" + agency);
  REQUIRE_MESSAGE(r.status == 200, r.body);
  std::vector<std::string> out;
  const auto intake = json::parse(r.body);
  for (const auto& c : intake.at("categories").as_array()) {
    out.emplace_back(c.at("id").as_string());
    CHECK_FALSE(c.at("label_th").as_string().empty());
    CHECK_FALSE(c.at("label_en").as_string().empty());
  }
  return out;
}

HttpResult file(unsigned short port, const std::string& agency, const std::string& category) {
  auto body = complaint(false);
  body["category"] = category;
  return post_json(port, "/api/v1/complaints?agency=" + agency, json::serialize(body));
}

// "YYYY-MM-DD" plus `days`.
std::string plus_days(const std::string& iso, int days) {
  using namespace std::chrono;
  const year_month_day d{year{std::stoi(iso.substr(0, 4))}, month{static_cast<unsigned>(std::stoi(iso.substr(5, 2)))},
                         day{static_cast<unsigned>(std::stoi(iso.substr(8, 2)))}};
  const year_month_day r{sys_days{d} + std::chrono::days{days}};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(r.year()), static_cast<unsigned>(r.month()),
                static_cast<unsigned>(r.day()));
  return buf;
}

// A 1x1 PNG, with a text chunk (as an editor leaves its author's name)
// inserted before IEND.
std::string png_with_text() {
  const auto bytes = *krasip::crypto::from_base64(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");
  std::string png(bytes.begin(), bytes.end());
  const std::string text = "Author\0Somchai the designer, Udon Thani"s;
  std::string chunk;
  for (int shift = 24; shift >= 0; shift -= 8) chunk.push_back(static_cast<char>((text.size() >> shift) & 0xff));
  chunk += "tEXt" + text + "\x12\x34\x56\x78";
  png.insert(png.size() - 12, chunk);  // IEND is the last 12 bytes
  return png;
}

std::string write_file(const ServerProcess& s, const std::string& name, const std::string& bytes) {
  const auto path = (s.data_dir() / name).string();
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

}  // namespace



TEST_CASE("agency policies: each agency's categories, deadlines and logo are its own") {
  ServerProcess server;
  const auto port = server.port();
  const std::string dir = data_dir(server);
  init_admin(server);  // nh: the deployment's defaults (7 / 15 / 90 days, every category)
  const auto logo = write_file(server, "logo.png", png_with_text());

  const auto quick_out = run_krasipd("agency add --fast-kdf --data-dir " + dir +
                                     " --slug quick --name-th อบต.เร็ว --name-en Quick-SAO --case-prefix QK"
                                     " --ack-days 3 --reply-days 10 --outcome-days 30"
                                     " --categories procurement,bribery --logo " + logo);
  CHECK(quick_out.find("3 / 10 / 30") != std::string::npos);
  CHECK(quick_out.find("categories: procurement,bribery") != std::string::npos);
  auto quick_admin = account_in_output(quick_out, "quick-admin");
  run_krasipd("agency add --fast-kdf --data-dir " + dir +
              " --slug slow --name-th อบต.ช้า --name-en Slow-SAO --case-prefix SL"
              " --ack-days 14 --answer-days 30 --categories service,other");

  // What the operator cannot set: told why, nothing changed.
  int rc = 0;
  const auto refused = [&](const std::string& args, const std::string& why) {
    const auto out = run_krasipd("agency edit --data-dir " + dir + " --slug quick " + args, "", &rc);
    CAPTURE(args);
    CHECK(rc != 0);
    CHECK_MESSAGE(out.find(why) != std::string::npos, out);
  };
  refused("--ack-days 0", "between 1 and 30");
  refused("--outcome-days 400", "between 1 and 365");
  refused("--reply-days 2", "not fewer than ack_days");
  refused("--categories bribery,gossip", "'gossip' is not one of");
  refused("--categories bribery,bribery", "named twice");
  refused("--logo " + write_file(server, "logo.svg", "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"),
          "PNG or JPEG");
  refused("--logo " + write_file(server, "big.png", png_with_text() + std::string(70 * 1024, 'x')), "64 KiB");
  refused("--logo " + write_file(server, "cut.png", png_with_text().substr(0, 40)), "cut short");

  // Each form lists its own categories, in the agency's order.
  CHECK(category_ids(port, "quick") == std::vector<std::string>{"procurement", "bribery"});
  CHECK(category_ids(port, "slow") == std::vector<std::string>{"service", "other"});
  CHECK(category_ids(port, "nh").size() == 6);

  // Another agency's category is refused with a clear error; its own is taken.
  const auto wrong = file(port, "slow", "bribery");
  CHECK(wrong.status == 400);
  CHECK(error_code(wrong) == "unknown_category");
  CHECK(error_field(wrong) == "category");
  const auto q = file(port, "quick", "bribery");
  REQUIRE(q.status == 201);
  const auto s = file(port, "slow", "service");
  REQUIRE(s.status == 201);
  const auto n = file(port, "nh", "misconduct");
  REQUIRE(n.status == 201);

  // A case's promised dates follow its agency, on the status page and in
  // the investigators' case view.
  const auto status_of = [&](const HttpResult& receipt) {
    const auto code = std::string(json::parse(receipt.body).at("tracking_code").as_string());
    const auto r = post_json(port, "/api/v1/status", json::serialize(json::object{{"tracking_code", code}}));
    REQUIRE(r.status == 200);
    return json::parse(r.body);
  };
  const auto qs = status_of(q);
  const std::string received(qs.at("received_at").as_string());
  CHECK(qs.at("due").at("acknowledge").as_string() == plus_days(received, 3));
  CHECK(qs.at("due").at("reply").as_string() == plus_days(received, 10));
  CHECK(qs.at("due").at("outcome").as_string() == plus_days(received, 30));
  CHECK(std::string(qs.at("next_step_en").as_string()).find("within 3 days and reply within 10 days") !=
        std::string::npos);
  CHECK(std::string(qs.at("next_step_th").as_string()).find("ภายใน 3 วัน") != std::string::npos);
  const auto ss = status_of(s);
  CHECK(ss.at("due").at("acknowledge").as_string() == plus_days(received, 14));
  CHECK(ss.at("due").at("reply").as_string() == plus_days(received, 30));
  CHECK(ss.at("due").at("outcome").as_string() == plus_days(received, 90));  // unset: the deployment's
  const auto ns = status_of(n);
  CHECK(ns.at("due").at("acknowledge").as_string() == plus_days(received, 7));
  CHECK(std::string(ns.at("next_step_en").as_string()).find("within 7 days") != std::string::npos);

  Investigator quick(port, quick_admin);
  const std::string q_number(json::parse(q.body).at("case_number").as_string());
  const auto view = quick.get("/api/v1/cases/" + q_number);
  REQUIRE(view.status == 200);
  CHECK(view.body.find("\"acknowledge_due\":\"" + plus_days(received, 3) + "\"") != std::string::npos);
  const auto list = quick.get("/api/v1/cases");
  CHECK(list.body.find("\"outcome_due\":\"" + plus_days(received, 30) + "\"") != std::string::npos);
  // The case offers the agency's own categories to re-categorise to, and
  // the server holds to them: another is refused and nothing changes.
  const auto offered = json::parse(view.body).at("categories").as_array();
  REQUIRE(offered.size() == 2);
  CHECK(offered[0].at("id").as_string() == "procurement");  // in the order the agency chose
  CHECK(offered[0].at("label_th").as_string() == "การจัดซื้อจัดจ้างไม่โปร่งใส");
  CHECK(offered[1].at("id").as_string() == "bribery");
  const auto recat = quick.send("PATCH", "/api/v1/cases/" + q_number, R"({"category":"service"})");
  CHECK(recat.status == 400);
  CHECK(recat.body.find("\"unknown_category\"") != std::string::npos);
  CHECK(json::parse(quick.get("/api/v1/cases/" + q_number).body).at("category").as_string() == "bribery");
  CHECK(quick.send("PATCH", "/api/v1/cases/" + q_number, R"({"category":"procurement"})").status == 200);
  CHECK(quick.send("PATCH", "/api/v1/cases/" + q_number, R"({"category":"bribery"})").status == 200);

  // Statistics count by the agency's own categories (this month's case is
  // published once the month is over: public_pages_test.cpp).
  const auto stats = json::parse(request(port, "GET", "/api/v1/public/stats?agency=quick").body);
  const auto& by_category = stats.at("by_category").as_object();
  CHECK(by_category.size() == 2);
  CHECK(by_category.contains("bribery"));
  CHECK(by_category.at("procurement").as_int64() == 0);
  const auto csv = request(port, "GET", "/api/v1/public/stats?agency=quick&format=csv").body;
  CHECK(csv.find("\"category\",\"bribery\"") != std::string::npos);
  CHECK(csv.find("\"category\",\"service\"") == std::string::npos);

  // The logo: served as the PNG it is, without the text chunk it came with.
  const auto intake = json::parse(request(port, "GET", "/api/v1/intake?agency=quick").body);
  CHECK(intake.at("agency").at("logo").as_string() == "/api/v1/agencies/quick/logo");
  CHECK(json::parse(request(port, "GET", "/api/v1/intake?agency=slow").body).at("agency").at("logo").is_null());
  CHECK(qs.at("agency").at("logo").as_string() == "/api/v1/agencies/quick/logo");
  const auto img = request(port, "GET", "/api/v1/agencies/quick/logo");
  REQUIRE(img.status == 200);
  CHECK(img.header("content-type") == "image/png");
  CHECK(img.header("x-content-type-options") == "nosniff");
  CHECK(img.header("cache-control") == "public, max-age=3600");
  CHECK(img.body.rfind("\x89PNG\r\n\x1a\n", 0) == 0);
  CHECK(img.body.find("tEXt") == std::string::npos);
  CHECK(img.body.find("Somchai") == std::string::npos);
  CHECK(img.body.size() == png_with_text().size() - 12 - 39);
  CHECK(request(port, "GET", "/api/v1/agencies/slow/logo").status == 404);
  CHECK(request(port, "GET", "/api/v1/agencies/nobody/logo").status == 404);

  // Edits take effect at once: back to the deployment's days and list, logo gone.
  run_krasipd("agency edit --data-dir " + dir +
              " --slug slow --categories default --ack-days default --reply-days default");
  run_krasipd("agency edit --data-dir " + dir + " --slug quick --clear-logo --categories bribery");
  CHECK(category_ids(port, "slow").size() == 6);
  CHECK(file(port, "slow", "bribery").status == 201);
  CHECK(category_ids(port, "quick") == std::vector<std::string>{"bribery"});
  CHECK(file(port, "quick", "procurement").status == 400);
  CHECK(status_of(s).at("due").at("acknowledge").as_string() == plus_days(received, 7));
  CHECK(request(port, "GET", "/api/v1/agencies/quick/logo").status == 404);
  // Every change is in the agency's audit log.
  CHECK(server.run_command({"audit", "verify", "--data-dir", dir, "--agency", "quick"}) == 0);
}
