#include <doctest/doctest.h>

#include <map>

#include "fixtures.hpp"
#include "investigator_client.hpp"
#include "test_clock.hpp"

#include <ctime>

using namespace krasip::test;
namespace json = boost::json;

// Issue 11: one deployment, a district office and two subdistricts below it.
// Every route, as every role of each agency, against the other agencies'
// case numbers, users, channels, audit and statistics.

namespace {

std::string data_dir(const ServerProcess &s) {
  return (s.data_dir() / "data").string();
}

std::pair<std::string, std::string> file_to(unsigned short port,
                                            const std::string &agency,
                                            const std::string &channel = {}) {
  auto body = complaint(true);
  if (!channel.empty())
    body["channel"] = channel;
  const auto r = post_json(port, "/api/v1/complaints?agency=" + agency,
                           json::serialize(body));
  REQUIRE_MESSAGE(r.status == 201, r.body);
  const auto v = json::parse(r.body);
  return {std::string(v.at("case_number").as_string()),
          std::string(v.at("tracking_code").as_string())};
}

bool lists(const Investigator &who, const std::string &number) {
  const auto r = who.get("/api/v1/cases");
  REQUIRE(r.status == 200);
  return r.body.find(number) != std::string::npos;
}

// The published total (issue 21, item 1): null when withheld (1 to 4).
json::value received(unsigned short port, const std::string &agency) {
  const auto r = request(port, "GET", "/api/v1/public/stats?agency=" + agency);
  REQUIRE_MESSAGE(r.status == 200, r.body);
  return json::parse(r.body).at("received");
}

// A reporter's file for the case of `code` (plain text: no cleaner); its id.
std::string attach(unsigned short port, const std::string &code,
                   const std::string &marker) {
  const std::string boundary = "AgenciesTestBoundary51";
  const std::string body =
      "--" + boundary +
      "\r\nContent-Disposition: form-data; name=\"tracking_code\"\r\n\r\n" +
      code + "\r\n--" + boundary +
      "\r\nContent-Disposition: form-data; name=\"file\"; "
      "filename=\"minutes.txt\"\r\nContent-Type: text/plain\r\n\r\n"
      "Minutes of the meeting, " +
      marker + "\n\r\n--" + boundary + "--\r\n";
  const auto r = request(port, "POST", "/api/v1/status/attachments", body,
                         "multipart/form-data; boundary=" + boundary);
  REQUIRE_MESSAGE(r.status == 201, r.body);
  return std::string(json::parse(r.body).at("attachment").at("id").as_string());
}

} // namespace

TEST_CASE("agencies: each agency is sealed off from the others; a parent sees "
          "exactly the channels that name it") {
  TestClock clock;
  ServerProcess server({"--clock-offset-file", clock.file.string()});
  const auto port = server.port();
  const std::string dir = data_dir(server);
  auto nh_admin = init_admin(server); // agency 1, made by init (slug nh)

  // The operator adds the district office and a second subdistrict below it.
  const auto district_out =
      run_krasipd("agency add --fast-kdf --data-dir " + dir +
                  " --slug udon-district --name-th อำเภอเมืองอุดรธานี"
                  " --name-en Mueang-Udon-District --case-prefix UD");
  CHECK(district_out.find("RECOVERY KEY") != std::string::npos);
  auto ud_admin = account_in_output(district_out, "udon-district-admin");
  const auto second_out = run_krasipd(
      "agency add --fast-kdf --data-dir " + dir +
      " --slug nongsung --name-th อบต.หนองสูง --name-en Nong-Sung-SAO"
      " --case-prefix NS --parent udon-district --origin "
      "https://www.nongsung.go.th");
  auto ns_admin = account_in_output(second_out, "nongsung-admin");
  run_krasipd(
      "agency edit --data-dir " + dir +
      " --slug nh --parent udon-district --origin https://www.nonghai.go.th");

  // Accounts of each agency; the district's dora is a custodian.
  auto dora_acc = account_in_output(
      run_krasipd("user add --fast-kdf --data-dir " + dir +
                      " --agency udon-district --username dora"
                      " --name Dora --custodian --password-stdin",
                  "pw-for-dora-long-enough\n"),
      "dora");
  dora_acc.password = "pw-for-dora-long-enough";
  auto sam_acc =
      account_in_output(run_krasipd("user add --fast-kdf --data-dir " + dir +
                                        " --agency nongsung --username sam"
                                        " --name Sam --password-stdin",
                                    "pw-for-sam-long-enough\n"),
                        "sam");
  sam_acc.password = "pw-for-sam-long-enough";
  // With several agencies, a command must say which.
  int rc = 0;
  const auto vague = run_krasipd("user add --fast-kdf --data-dir " + dir +
                                     " --username vague --name V",
                                 "", &rc);
  CHECK(rc == 2);
  CHECK(vague.find("--agency") != std::string::npos);

  // Nong Sung's executives' channel goes to the district office (its parent).
  const std::string channel_args =
      " --id executives --name-th ร้องเรียนผู้บริหาร --name-en Executives "
      "--readers-th อำเภอ"
      " --readers-en District --identity-readers-th อำเภอ "
      "--identity-readers-en District";
  run_krasipd("channel add --data-dir " + dir + " --agency nongsung" +
              channel_args + " --recipients dora --custodians dora");
  // A sibling agency's account cannot be named: as if it did not exist.
  const auto sibling = run_krasipd(
      "channel add --data-dir " + dir + " --agency nongsung --id outsiders" +
          channel_args.substr(channel_args.find(" --name-th")) +
          " --recipients admin --custodians admin",
      "", &rc);
  CHECK(rc == 1);
  CHECK(sibling.find("no enabled account named admin") != std::string::npos);

  // Reporters: each agency's own form; numbers carry the agency's prefix.
  const auto [nh_case, nh_code] = file_to(port, "nh");
  const auto [ns_case, ns_code] = file_to(port, "nongsung", "default");
  const auto [ex_case, ex_code] = file_to(port, "nongsung", "executives");
  CHECK(nh_case.rfind("NH-", 0) == 0);
  CHECK(ns_case.rfind("NS-", 0) == 0);
  CHECK(ex_case.rfind("NS-", 0) == 0);
  CHECK(ns_case.substr(ns_case.size() - 5) == "00001"); // numbered per agency
  // and per channel (issue 20, item 9): the second channel's letter, its own count.
  CHECK(ex_case.rfind("NS-B-", 0) == 0);
  CHECK(ex_case.substr(ex_case.size() - 5) == "00001");
  // Another agency's channel is "no such channel"; the agency must be named.
  auto nh_body = complaint(false);
  nh_body["channel"] = "executives";
  CHECK(error_field(post_json(port, "/api/v1/complaints?agency=nh",
                              json::serialize(nh_body))) == "channel");
  const auto unnamed =
      post_json(port, "/api/v1/complaints", json::serialize(complaint(false)));
  CHECK(unnamed.status == 400);
  CHECK(error_field(unnamed) == "agency");
  const auto unknown =
      request(port, "GET", "/api/v1/intake?agency=no-such-place");
  CHECK(unknown.status == 404);
  CHECK(error_code(unknown) == "unknown_agency");
  const auto intake =
      json::parse(request(port, "GET", "/api/v1/intake?agency=nongsung").body);
  CHECK(intake.at("agency").at("slug").as_string() == "nongsung");
  CHECK(intake.at("channels").as_array().size() == 2);

  // The status page needs only the code, and names the agency.
  const auto status =
      post_json(port, "/api/v1/status",
                json::serialize(json::object{{"tracking_code", ex_code}}));
  REQUIRE(status.status == 200);
  CHECK(json::parse(status.body).at("agency").at("name_en").as_string() ==
        "Nong-Sung-SAO");

  // Only an agency's own website may frame its form.
  const auto ns_page =
      request(port, "GET", "/embed/report.html?agency=nongsung");
  CHECK(ns_page.header("content-security-policy")
            .find("frame-ancestors 'self' https://www.nongsung.go.th") !=
        std::string::npos);
  CHECK(ns_page.header("content-security-policy").find("nonghai") ==
        std::string::npos);
  const auto nh_page = request(port, "GET", "/embed/report.html?agency=nh");
  CHECK(nh_page.header("content-security-policy")
            .find("https://www.nonghai.go.th") != std::string::npos);
  CHECK(nh_page.header("content-security-policy").find("nongsung") ==
        std::string::npos);
  CHECK(request(port, "GET", "/embed/report.html?agency=nowhere")
            .header("content-security-policy")
            .find("frame-ancestors 'none'") != std::string::npos);

  Investigator nh(port, nh_admin), ud(port, ud_admin), ns(port, ns_admin),
      dora(port, dora_acc), sam(port, sam_acc);
  const std::vector<const Investigator *> who = {&nh, &ud, &ns, &dora, &sam};
  const char *names[] = {"nh-admin", "district-admin", "ns-admin",
                         "dora (district, executives)", "sam (ns)"};

  // Case routes: [nh_case, ns_case, ex_case] for each person.
  const std::map<std::string, std::vector<int>> can_view = {
      {nh_case, {200, 404, 404, 404, 404}},
      {ns_case, {404, 404, 200, 404, 200}},
      {ex_case, {404, 404, 404, 200, 404}},
  };
  const std::string never = "/api/v1/cases/NS-2569-99999";
  for (const auto &[number, expected] : can_view) {
    for (std::size_t i = 0; i < who.size(); ++i) {
      const std::string n = number;
      CAPTURE(n);
      CAPTURE(names[i]);
      const auto view = who[i]->get("/api/v1/cases/" + number);
      CHECK(view.status == expected[i]);
      CHECK(lists(*who[i], number) == (expected[i] == 200));
      const auto audit = who[i]->get("/api/v1/audit?case_number=" + number);
      CHECK(audit.status == expected[i]);
      const auto note = who[i]->send(
          "POST", "/api/v1/cases/" + number + "/notes", R"({"body":"บันทึก"})");
      CHECK(note.status == (expected[i] == 200 ? 201 : 404));
      if (expected[i] == 404) {
        // Not found looks the same as a number never issued, byte for byte.
        CHECK(view.body == who[i]->get(never).body);
        CHECK(who[i]
                  ->send("PATCH", "/api/v1/cases/" + number,
                         R"({"priority":"high"})")
                  .status == 404);
      }
    }
  }

  // Attachments: a file of a case is for those who may read the case. An
  // investigator of another agency, or of the parent without the channel,
  // gets the same 404 as for a file that never existed, by its id too.
  const auto ns_file = attach(port, ns_code, "NS-DEFAULT-FILE-8812");
  const auto ex_file = attach(port, ex_code, "EXECUTIVES-FILE-8813");
  const std::map<std::pair<std::string, std::string>, std::vector<int>>
      can_download = {
          {{ns_case, ns_file}, {404, 404, 200, 404, 200}},
          {{ex_case, ex_file}, {404, 404, 404, 200, 404}},
      };
  for (const auto &[target, expected] : can_download) {
    const std::string path =
        "/api/v1/cases/" + target.first + "/attachments/" + target.second;
    const std::string never_file = "/api/v1/cases/" + target.first +
                                   "/attachments/00112233445566778899aabbccddeeff";
    for (std::size_t i = 0; i < who.size(); ++i) {
      CAPTURE(path);
      CAPTURE(names[i]);
      const auto r = who[i]->get(path);
      CHECK(r.status == expected[i]);
      if (expected[i] == 200) {
        CHECK(r.body.find(target.second == ns_file ? "NS-DEFAULT-FILE-8812"
                                                   : "EXECUTIVES-FILE-8813") !=
              std::string::npos);
      } else {
        CHECK(r.body == who[i]->get(never_file).body);
        CHECK(r.body.find("FILE-881") == std::string::npos);
      }
    }
  }
  // The other agency's file id under a case of one's own: not found either.
  CHECK(nh.get("/api/v1/cases/" + nh_case + "/attachments/" + ns_file).status ==
        404);
  CHECK(dora.get("/api/v1/cases/" + ex_case + "/attachments/" + ns_file)
            .status == 404);

  // Users, channels, grants and the whole audit log stay within the agency.
  CHECK(nh.get("/api/v1/users").body.find("\"sam\"") == std::string::npos);
  CHECK(ns.get("/api/v1/users").body.find("\"sam\"") != std::string::npos);
  CHECK(ns.get("/api/v1/users").body.find("\"dora\"") == std::string::npos);
  CHECK(nh.get("/api/v1/channels").body.find("executives") ==
        std::string::npos);
  CHECK(ns.get("/api/v1/channels").body.find("executives") !=
        std::string::npos);
  CHECK(nh.send("PATCH", "/api/v1/channels/executives",
                R"({"name_en":"Taken over"})")
            .status == 404);
  const auto grant_foreign = nh.send("POST", "/api/v1/users/sam/grant", "{}");
  const auto grant_never =
      nh.send("POST", "/api/v1/users/nobody-at-all/grant", "{}");
  CHECK(grant_foreign.status == grant_never.status);
  CHECK(grant_foreign.body == grant_never.body);
  const auto nh_log = nh.get("/api/v1/audit?per_page=200");
  REQUIRE(nh_log.status == 200);
  CHECK(nh_log.body.find("NS-") == std::string::npos);
  CHECK(nh_log.body.find("sam") == std::string::npos);
  const auto ns_log = ns.get("/api/v1/audit?per_page=200");
  CHECK(ns_log.body.find(nh_case) == std::string::npos);

  // Statistics: an investigator's are what they read (the published ones,
  // per agency, at the end).
  CHECK(json::parse(dora.get("/api/v1/stats").body).at("received").as_int64() ==
        1);
  CHECK(json::parse(nh.get("/api/v1/stats").body).at("received").as_int64() ==
        1);

  // Each agency its own audit chain, verified on its own.
  CHECK(server.run_command({"audit", "verify", "--data-dir", dir, "--agency",
                            "nongsung"}) == 0);
  CHECK(server.run_command(
            {"audit", "verify", "--data-dir", dir, "--agency", "nh"}) == 0);

  // A disabled agency takes no complaint; its reporters still follow theirs.
  run_krasipd("agency disable --data-dir " + dir + " --slug nongsung");
  CHECK(request(port, "GET", "/api/v1/intake?agency=nongsung").status == 404);
  CHECK(post_json(port, "/api/v1/status",
                  json::serialize(json::object{{"tracking_code", ns_code}}))
            .status == 200);
  CHECK(ns.get("/api/v1/cases/" + ns_case).status == 200);
  // Two agencies still take complaints: the form must name one.
  CHECK(post_json(port, "/api/v1/complaints", json::serialize(complaint(false)))
            .status == 400);

  // Published statistics are per agency: once this month is over, the one
  // complaint of nh is counted (withheld: fewer than five), none of
  // another agency's reaches udon-district's, and a disabled agency
  // publishes nothing.
  const auto bkk = std::time(nullptr) + 7 * 3600;
  std::tm tm{};
  gmtime_r(&bkk, &tm);
  clock.set_days(32 - tm.tm_mday);  // into next month, whatever this one's length
  CHECK(received(port, "nh").is_null());
  CHECK(received(port, "udon-district") == json::value(0));
  CHECK(request(port, "GET", "/api/v1/public/stats?agency=nongsung").status == 404);
}
