// Issue 13, items 1 and 2: what an agency publishes (statistics, protection
// measures made from its configuration) and the ITA evidence pack its
// administrators download, HTML and PDF, through the real server.
#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <regex>

#include "fixtures.hpp"
#include "investigator_client.hpp"
#include "test_clock.hpp"
#include "db_rows.hpp"

#include <thread>
#include "krasip/cases/common/thai_time.hpp"
#include "krasip/cases/statistics/public_snapshot.hpp"

using namespace krasip::test;
namespace json = boost::json;

namespace {

std::string data_dir(const ServerProcess& s) { return (s.data_dir() / "data").string(); }

json::object measures(unsigned short port, const std::string& agency = "nh") {
  const auto r = request(port, "GET", "/api/v1/public/measures?agency=" + agency);
  REQUIRE_MESSAGE(r.status == 200, r.body);
  return json::parse(r.body).as_object();
}

json::object channel(const json::object& m, std::string_view id) {
  for (const auto& c : m.at("channels").as_array()) {
    if (c.at("id").as_string() == id) return c.as_object();
  }
  FAIL("no channel " << id);
  return {};
}

std::string section_text(const json::object& m, std::string_view id) {
  std::string out;
  for (const auto& s : m.at("sections").as_array()) {
    if (s.at("id").as_string() != id) continue;
    for (const auto& p : s.at("points").as_array()) {
      out += std::string(p.at("th").as_string()) + "\n" + std::string(p.at("en").as_string()) + "\n";
    }
  }
  return out;
}

// The service's Bangkok calendar, with the test clock at 0.
krasip::cases::CivilDate bangkok_today() { return krasip::cases::bangkok_date(std::time(nullptr)); }
int days_in_month(const krasip::cases::CivilDate& d) {
  const int y = d.month == 12 ? d.year + 1 : d.year;
  const int m = d.month == 12 ? 1 : d.month + 1;
  return static_cast<int>(krasip::cases::days_from_civil({y, m, 1}) - krasip::cases::days_from_civil({d.year, d.month, 1}));
}
krasip::cases::CivilDate first_of_next_month(const krasip::cases::CivilDate& d) {
  return d.month == 12 ? krasip::cases::CivilDate{d.year + 1, 1, 1} : krasip::cases::CivilDate{d.year, d.month + 1, 1};
}
krasip::cases::CivilDate last_day(const krasip::cases::CivilDate& d) { return {d.year, d.month, days_in_month(d)}; }
std::string iso(const krasip::cases::CivilDate& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

std::string stats_body(unsigned short port, int fy) {
  const auto r = request(port, "GET", "/api/v1/public/stats?agency=nh&fiscal_year=" + std::to_string(fy));
  REQUIRE_MESSAGE(r.status == 200, r.body);
  return r.body;
}

int this_fiscal_year() {
  const std::time_t now = std::time(nullptr) + 7 * 3600;
  std::tm tm{};
  gmtime_r(&now, &tm);
  return tm.tm_year + 1900 + 543 + (tm.tm_mon + 1 >= 10 ? 1 : 0);
}

// pdftotext's text, or with `fonts` pdffonts' list of the embedded fonts.
std::string pdf_text(const std::string& pdf, bool fonts = false) {
  const auto path = std::filesystem::temp_directory_path() / ("krasip-pack-" + std::to_string(::getpid()) + ".pdf");
  {
    std::ofstream out(path, std::ios::binary);
    out << pdf;
  }
  std::string text;
  FILE* p = ::popen(((fonts ? "pdffonts " : "pdftotext -enc UTF-8 ") + path.string() + (fonts ? "" : " -")).c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[4096];
  while (const auto n = std::fread(buf, 1, sizeof buf, p)) text.append(buf, n);
  CHECK(::pclose(p) == 0);
  std::filesystem::remove(path);
  return text;
}

std::string without_spaces(std::string s) {
  std::erase(s, ' ');
  return s;
}

std::string read_fixture(const char* name) {
  std::ifstream in(std::string(KRASIP_FIXTURES_DIR) + "/" + name, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("public measures: made from the channels' configuration, and change with it") {
  TestClock clock;  // several step-ups in a row (test_clock.hpp)
  ServerProcess server({"--clock-offset-file", clock.file.string()});
  const auto port = server.port();
  auto admin_acc = init_admin(server);
  admin_acc.clock = &clock;
  add_account(server, "nittaya", true);
  Investigator admin(port, admin_acc);

  auto m = measures(port);
  CHECK(m.at("agency").at("slug").as_string() == "nh");
  CHECK(m.at("records_ip_address").as_bool() == false);
  CHECK(m.at("deadlines").at("acknowledge_days").as_int64() == 7);
  auto def = channel(m, "default");
  const auto recipients_before = def.at("recipients").as_int64();
  CHECK(recipients_before == 2);  // the administrator and nittaya
  CHECK(def.at("custodians").as_int64() == 2);
  CHECK(def.at("identity_two_person").as_bool() == false);
  CHECK(section_text(m, "identity").find("two-person") == std::string::npos);
  CHECK(section_text(m, "no_address").find("IP address") != std::string::npos);
  CHECK(section_text(m, "tracking_code").find("only key") != std::string::npos);
  // Roles and counts, never who.
  const auto body = json::serialize(m);
  CHECK(body.find("nittaya") == std::string::npos);
  CHECK(body.find(admin_acc.username) == std::string::npos);

  // The administrator asks for two custodians per identity: the published
  // measures say so at once.
  auto r = admin.send("PATCH", "/api/v1/channels/default",
                      with_step_up(R"({"identity_two_person":true})", step_up_proof(admin_acc)));
  REQUIRE_MESSAGE(r.status == 200, r.body);
  m = measures(port);
  CHECK(channel(m, "default").at("identity_two_person").as_bool());
  CHECK(section_text(m, "identity").find("two-person rule") != std::string::npos);
  CHECK(section_text(m, "identity").find("หลักสองคน") != std::string::npos);

  // A second channel with one reader: counted, and escalation to it offered.
  add_account(server, "auditor", true);
  // Changing who reads asks for the password and a fresh code (step-up).
  r = admin.send("POST", "/api/v1/channels",
                 with_step_up(R"({"id":"executives","name_th":"ร้องเรียนผู้บริหาร","name_en":"About the executives",
                     "readers_th":"ผู้ตรวจสอบภายใน","readers_en":"The internal auditor",
                     "identity_readers_th":"ผู้ตรวจสอบภายใน","identity_readers_en":"The internal auditor",
                     "recipients":["auditor"],"custodians":["auditor"]})",
                              step_up_proof(admin_acc)));
  REQUIRE_MESSAGE(r.status == 201, r.body);
  m = measures(port);
  CHECK(channel(m, "executives").at("recipients").as_int64() == 1);
  CHECK(section_text(m, "readers").find("About the executives") != std::string::npos);
  CHECK(section_text(m, "escalation").find("move the complaint to another channel") != std::string::npos);

  // Removing a reader lowers the count.
  // A second administrator: each account has one fresh code per 30 s.
  auto admin2_acc = add_account(server, "admin2", false, true);
  admin2_acc.clock = &clock;
  Investigator admin2(port, admin2_acc);
  r = admin2.send("PATCH", "/api/v1/channels/default",
                  with_step_up(R"({"identity_two_person":false,"recipients":[")" + admin_acc.username +
                                   R"("],"custodians":[")" + admin_acc.username + R"("]})",
                               step_up_proof(admin2_acc)));
  REQUIRE_MESSAGE(r.status == 200, r.body);
  m = measures(port);
  CHECK(channel(m, "default").at("identity_two_person").as_bool() == false);
  CHECK(channel(m, "default").at("recipients").as_int64() == 1);
  CHECK(request(port, "GET", "/api/v1/public/measures?agency=nowhere").status == 404);
}

TEST_CASE("public statistics: a daily publication of completed months; a filing moves nothing until the month is over") {
  TestClock clock;
  // Checked every second: the roll publishes without waiting for a request.
  ServerProcess server({"--clock-offset-file", clock.file.string(), "--session-sweep-seconds", "1"});
  const auto port = server.port();
  auto admin_acc = init_admin(server);
  admin_acc.clock = &clock;
  Investigator admin(port, admin_acc);
  const int fy = this_fiscal_year();
  const auto today = bangkok_today();

  // The day's publication, made at its first request: this month is not in it.
  const auto before = stats_body(port, fy);
  auto s = json::parse(before).as_object();
  CHECK(s.at("published_on").as_string() == iso(today));
  CHECK(s.at("period").as_string() == "month");
  CHECK(s.at("received").as_int64() == 0);
  CHECK(s.at("withheld_below").as_int64() == 5);

  std::vector<std::string> numbers;
  for (int i = 0; i < 5; ++i) numbers.push_back(file_complaint(port, false).first);
  for (int i = 0; i < 5; ++i) {
    REQUIRE(admin.send("PATCH", "/api/v1/cases/" + numbers[i], R"({"status":"acknowledged"})").status == 200);
  }
  REQUIRE(admin.send("PATCH", "/api/v1/cases/" + numbers[4], R"({"status":"investigating"})").status == 200);
  REQUIRE(admin.send("PATCH", "/api/v1/cases/" + numbers[4], R"({"status":"substantiated"})").status == 200);
  // Polling around the filings shows nothing: the same bytes, CSV too.
  CHECK(stats_body(port, fy) == before);
  const auto csv_before = request(port, "GET", "/api/v1/public/stats?agency=nh&format=csv&fiscal_year=" + std::to_string(fy));
  CHECK(csv_before.status == 200);

  // The setting: an agency publishes by month unless it chose weeks; any
  // other period is refused by name.
  auto r = request(port, "GET", "/api/v1/public/stats?agency=nh&period=week&fiscal_year=" + std::to_string(fy));
  CHECK(r.status == 400);
  CHECK(json::parse(r.body).at("error").at("field").as_string() == "period");
  CHECK(r.body.find("month") != std::string::npos);
  r = admin.send("PATCH", "/api/v1/admin/agency", R"({"stats_period":"fortnight"})");
  CHECK(r.status == 400);
  CHECK(json::parse(r.body).at("error").at("field").as_string() == "stats_period");
  CHECK(json::parse(admin.get("/api/v1/admin/agency").body).at("stats_period").as_string() == "month");

  // The next day, if still this month: a new publication, the same counts.
  if (today.day < days_in_month(today)) {
    clock.set_days(1);
    s = json::parse(stats_body(port, fy)).as_object();
    CHECK(s.at("published_on").as_string() != iso(today));
    CHECK(s.at("received").as_int64() == 0);
  }

  // Past the roll into the next month: the month is complete, and counted.
  // The roll check publishes it before anyone asks (within its second).
  clock.set_days(days_in_month(today) - today.day + 1);
  const auto db = server.data_dir() / "data" / "krasip.db";
  const std::string published_sql =
      "SELECT body, fiscal_year FROM public_stats_snapshots WHERE period = 'month' AND published_on = '" +
      iso(first_of_next_month(today)) + "' AND fiscal_year = " +
      std::to_string(krasip::cases::fiscal_year_be(first_of_next_month(today)));
  std::vector<std::vector<std::string>> rows;
  for (int i = 0; i < 100 && rows.empty(); ++i) {
    rows = db_rows(db, published_sql);
    if (rows.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  REQUIRE_MESSAGE(!rows.empty(), "no publication at the roll");
  const auto after = stats_body(port, fy);
  if (rows.at(0).at(1) == std::to_string(fy)) CHECK(after == rows.at(0).at(0));  // served as stored
  s = json::parse(after).as_object();
  CHECK(s.at("published_on").as_string() == iso(first_of_next_month(today)));
  CHECK(s.at("through").as_string() == iso(last_day(today)));
  CHECK(s.at("received").as_int64() == 5);
  CHECK(s.at("by_channel").as_array().at(0).at("received").as_int64() == 5);
  CHECK(s.at("by_source").at("web").as_int64() == 5);
  for (const auto& m : s.at("by_month").as_array()) {
    CHECK(m.at("received").as_int64() == (m.at("month").as_int64() == today.month ? 5 : 0));
  }
  CHECK_FALSE(s.contains("by_status"));
  // Four in progress and one substantiated: each fewer than five, so
  // withheld, and so is the completed count that would give them away.
  CHECK(s.at("in_progress").is_null());
  CHECK(s.at("completed").is_null());
  CHECK(s.at("outcomes").at("substantiated").is_null());
  auto sv = s.at("service").as_object();
  CHECK(sv.at("acknowledged").as_int64() == 5);
  CHECK(sv.at("median_days_to_acknowledge").as_double() == 0.0);
  CHECK(sv.at("acknowledged_in_time_percent").as_double() == 100.0);
  // One outcome: neither the median nor its count.
  CHECK(sv.at("with_outcome").is_null());
  CHECK(sv.at("median_days_to_outcome").is_null());
  // No date finer than the month: the only dates are the publication's,
  // the end of the period it covers and the fiscal year's bounds.
  const std::regex date(R"(\d{4}-\d{2}-\d{2})");
  for (auto it = std::sregex_iterator(after.begin(), after.end(), date); it != std::sregex_iterator(); ++it) {
    const auto d = it->str();
    CAPTURE(d);
    CHECK((d == iso(first_of_next_month(today)) || d == iso(last_day(today)) ||
           d == std::string(s.at("period_start").as_string()).substr(0, 10) ||
           d == std::string(s.at("period_end").as_string()).substr(0, 10)));
  }
  // Served as stored: asked again, the same bytes.
  CHECK(stats_body(port, fy) == after);
  const auto csv = request(port, "GET", "/api/v1/public/stats?agency=nh&format=csv&fiscal_year=" + std::to_string(fy)).body;
  CHECK(csv != csv_before.body);
  CHECK(csv.find("\"in_progress\",\"อยู่ระหว่างดำเนินการ\",\"In progress\",\r\n") != std::string::npos);

  // An agency may publish by week instead (krasipd agency edit
  // --stats-period week); then month is the period it refuses.
  int code = 0;
  const auto out = run_krasipd("agency edit --data-dir " + data_dir(server) + " --slug nh --stats-period day", {}, &code);
  CHECK(code != 0);
  CHECK(out.find("stats-period") != std::string::npos);
  run_krasipd("agency edit --data-dir " + data_dir(server) + " --slug nh --stats-period week", {}, &code);
  REQUIRE(code == 0);
  r = request(port, "GET", "/api/v1/public/stats?agency=nh&period=week&fiscal_year=" + std::to_string(fy));
  REQUIRE_MESSAGE(r.status == 200, r.body);
  s = json::parse(r.body).as_object();
  CHECK(s.at("period").as_string() == "week");
  // Counted once the week of the filing is over (Monday to Sunday).
  const auto filed = std::time(nullptr) - clock.offset();
  const bool week_over = krasip::cases::completed_before(std::time(nullptr) + clock.offset(),
                                                         krasip::cases::StatsPeriod::week) > filed;
  CHECK(s.at("received").as_int64() == (week_over ? 5 : 0));
  r = request(port, "GET", "/api/v1/public/stats?agency=nh&period=month&fiscal_year=" + std::to_string(fy));
  CHECK(r.status == 400);
  CHECK(json::parse(r.body).at("error").at("field").as_string() == "period");
}

TEST_CASE("ITA evidence pack: administrators of each agency get their own, HTML and PDF") {
  TestClock clock;
  ServerProcess server({"--clock-offset-file", clock.file.string()});
  const auto port = server.port();
  auto admin_acc = init_admin(server);
  auto alice_acc = add_account(server, "alice");
  admin_acc.clock = &clock;
  alice_acc.clock = &clock;
  const int fy = this_fiscal_year();
  for (int i = 0; i < 6; ++i) file_complaint(port, false);
  // The pack shows the published statistics (issue 21, item 1): this
  // month's complaints once the month is over.
  const auto today = bangkok_today();
  clock.set_days(days_in_month(today) - today.day + 1);
  Investigator admin(port, admin_acc);
  Investigator alice(port, alice_acc);

  const std::string target = "/api/v1/admin/evidence-pack?fiscal_year=" + std::to_string(fy);
  CHECK(alice.get(target).status == 403);
  CHECK(request(port, "GET", target).status == 401);

  // The picture of the agency's page goes through krasip-cleaner.
  const auto jpeg = read_fixture("tiny.jpg");
  REQUIRE_FALSE(jpeg.empty());
  CHECK(alice.send_body("PUT", "/api/v1/admin/site-picture", jpeg, "image/jpeg").status == 403);
  auto r = admin.send_body("PUT", "/api/v1/admin/site-picture?page_url=https%3A%2F%2Fwww.nonghai.go.th%2Fcomplaints",
                           jpeg, "image/jpeg");
  REQUIRE_MESSAGE(r.status == 200, r.body);
  CHECK(json::parse(r.body).at("mime").as_string() == "image/jpeg");
  r = admin.send_body("PUT", "/api/v1/admin/site-picture", "<html>not a picture</html>", "image/png");
  CHECK(r.status == 400);

  const auto html = admin.get(target);
  REQUIRE_MESSAGE(html.status == 200, html.body);
  CHECK(html.header("content-type").find("text/html") != std::string::npos);
  CHECK(html.body.find("องค์การบริหารส่วนตำบลหนองไฮ") != std::string::npos);
  CHECK(html.body.find("data:image/jpeg;base64,") != std::string::npos);
  CHECK(html.body.find("https://www.nonghai.go.th/complaints") != std::string::npos);
  CHECK(html.body.find("/embed/report.html?agency=nh") != std::string::npos);
  CHECK(html.body.find("<script") == std::string::npos);
  CHECK(html.body.find("ช่องทาง “") != std::string::npos);  // the measures
  CHECK(html.body.find("<td class=\"n\">6</td>") != std::string::npos);  // received this year
  CHECK(html.body.find("through " + iso(last_day(today))) != std::string::npos);

  // The head hash: the chain's last entry (the picture upload is not audited,
  // the logins are), as the console's heads show it.
  const auto head = json::parse(admin.get("/api/v1/audit/heads").body).at("month_ends").as_array().back();
  const std::string hash(head.at("hash").as_string());
  CHECK(html.body.find(hash) != std::string::npos);

  const auto pdf = admin.get(target + "&format=pdf");
  REQUIRE_MESSAGE(pdf.status == 200, pdf.body.substr(0, 300));
  CHECK(pdf.header("content-type").find("application/pdf") != std::string::npos);
  REQUIRE(pdf.body.rfind("%PDF", 0) == 0);
  // pdftotext puts spaces between some Thai glyph clusters (it guesses
  // words from gaps); compare without any.
  const auto text = without_spaces(pdf_text(pdf.body));
  CAPTURE(text);
  CHECK(text.find("องค์การบริหารส่วนตำบลหนองไฮ") != std::string::npos);
  CHECK(text.find("NongHaiSubdistrictAdministrativeOrganization") != std::string::npos);
  CHECK(text.find(hash) != std::string::npos);
  CHECK(text.find("ปีงบประมาณพ.ศ." + std::to_string(fy)) != std::string::npos);
  CHECK(text.find("รับเรื่องทั้งหมด\nReceived\n\n6\n") != std::string::npos);
  CHECK(text.find("มาตรการคุ้มครองผู้ร้องเรียน") != std::string::npos);
  // In the shipped Sarabun, whatever fonts the host has (none may cover Thai).
  const auto fonts = pdf_text(pdf.body, true);
  CAPTURE(fonts);
  CHECK(fonts.find("Sarabun-Regular") != std::string::npos);
  CHECK(fonts.find("Sarabun-Bold") != std::string::npos);
  CHECK(fonts.find("DejaVu") == std::string::npos);

  // Another agency's administrator gets their agency's pack, not this one.
  const auto out = run_krasipd("agency add --fast-kdf --data-dir " + data_dir(server) +
                               " --slug nongsung --name-th อบต.หนองสูง --name-en Nong-Sung-SAO --case-prefix NS");
  auto ns_acc = account_in_output(out, "nongsung-admin");
  ns_acc.clock = &clock;
  Investigator ns(port, ns_acc);
  const auto theirs = ns.get(target);
  REQUIRE_MESSAGE(theirs.status == 200, theirs.body);
  CHECK(theirs.body.find("อบต.หนองสูง") != std::string::npos);
  CHECK(theirs.body.find("องค์การบริหารส่วนตำบลหนองไฮ") == std::string::npos);
  CHECK(theirs.body.find("data:image/jpeg") == std::string::npos);
  CHECK(theirs.body.find(hash) == std::string::npos);
}
