// Channels (issue 10), through the real server: a complaint about the ปลัด
// goes only to the district office and the internal auditor; the ปลัด,
// though an investigator and a custodian, cannot list, open, count or
// even confirm it.
#include <doctest/doctest.h>

#include "fixtures.hpp"
#include "investigator_client.hpp"

using namespace krasip::test;
namespace json = boost::json;

namespace {

int total_received(const HttpResult& r) { return static_cast<int>(parse(r).at("received").as_int64()); }

std::string recovery_key_of(const ServerProcess& s) {
  const auto& init = s.init_output();
  const auto at = init.find("\n\n  ", init.find("AGENCY RECOVERY KEY")) + 4;
  return init.substr(at, init.find('\n', at) - at);
}

HttpResult file_in(unsigned short port, const std::optional<std::string>& channel, bool identity = true) {
  auto body = complaint(identity);
  if (channel) body["channel"] = *channel;
  return post_json(port, "/api/v1/complaints", json::serialize(body));
}

std::string number_of(const HttpResult& r) {
  REQUIRE(r.status == 201);
  return std::string(parse(r).at("case_number").as_string());
}

// The demo's two channels (scripts/run sets up the same).
void two_channels(ServerProcess& server) {
  const auto data = (server.data_dir() / "data").string();
  int rc = -1;
  auto out = run_krasipd("channel edit --data-dir " + data +
                             " --id default --name-th 'ร้องเรียนเจ้าหน้าที่' --name-en 'About staff'"
                             " --readers-th 'เจ้าหน้าที่สำนักปลัด' --readers-en 'The Palat office officers'"
                             " --identity-readers-th 'ปลัด อบต.' --identity-readers-en 'The Palat'"
                             " --recipients palat,nittaya --custodians palat",
                         {}, &rc);
  CAPTURE(out);
  REQUIRE(rc == 0);
  out = run_krasipd("channel add --data-dir " + data +
                        " --id executives --name-th 'ร้องเรียนผู้บริหารหรือปลัด' --name-en 'About the executives'"
                        " --readers-th 'ที่ทำการปกครองอำเภอ และผู้ตรวจสอบภายใน'"
                        " --readers-en 'The district office and the internal auditor'"
                        " --identity-readers-th 'เจ้าหน้าที่อำเภอ และผู้ตรวจสอบภายใน'"
                        " --identity-readers-en 'The district officer and the internal auditor'"
                        " --recipients district,auditor --custodians district,auditor",
                    {}, &rc);
  CAPTURE(out);
  REQUIRE(rc == 0);
}

}  // namespace

TEST_CASE("channels: a complaint about the Palat is sealed only to the district office and the auditor") {
  ServerProcess server;
  const auto port = server.port();
  auto palat_acc = add_account(server, "palat", true);  // an investigator and a custodian
  auto nittaya_acc = add_account(server, "nittaya");
  auto district_acc = add_account(server, "district", true);
  auto auditor_acc = add_account(server, "auditor", true);
  two_channels(server);

  // The reporter sees both channels and who reads each, by role.
  const auto intake = parse(request(port, "GET", "/api/v1/intake"));
  const auto& channels = intake.at("channels").as_array();
  REQUIRE(channels.size() == 2);
  CHECK(channels[1].at("id").as_string() == "executives");
  CHECK(channels[1].at("readers_th").as_string() == "ที่ทำการปกครองอำเภอ และผู้ตรวจสอบภายใน");
  CHECK(channels[1].at("identity_readers_en").as_string() == "The district officer and the internal auditor");
  CHECK(channels[1].as_object().if_contains("recipients") == nullptr);  // no account names to the public

  // With two channels the reporter must choose one, and a real one.
  const auto none = file_in(port, std::nullopt);
  CHECK(none.status == 400);
  CHECK(error_field(none) == "channel");
  const auto unknown = file_in(port, std::string("the-mayor"));
  CHECK(unknown.status == 400);
  CHECK(error_field(unknown) == "channel");

  const auto about_palat = number_of(file_in(port, std::string("executives")));
  const auto about_staff = number_of(file_in(port, std::string("default")));

  Investigator palat(port, palat_acc), nittaya(port, nittaya_acc), district(port, district_acc),
      auditor(port, auditor_acc);

  // The Palat: not listed, not counted, and the number answers exactly as
  // a number never issued.
  CHECK(palat.get("/api/v1/cases").body.find(about_palat) == std::string::npos);
  CHECK(palat.get("/api/v1/cases").body.find(about_staff) != std::string::npos);
  const auto opened = palat.get("/api/v1/cases/" + about_palat);
  std::string never = about_palat;
  never.replace(never.size() - 5, 5, "99999");
  const auto never_issued = palat.get("/api/v1/cases/" + never);
  CHECK(opened.status == 404);
  CHECK(opened.body == never_issued.body);
  auto a_headers = opened.headers, b_headers = never_issued.headers;
  a_headers.erase("date");
  b_headers.erase("date");
  CHECK(a_headers == b_headers);
  for (const auto& path : {std::string("/identity"), std::string("/notes"), std::string("/messages")}) {
    CAPTURE(path);
    const std::string body = path == "/identity" ? R"({"reason":"ต้องติดต่อพยานเพื่อสอบข้อเท็จจริง"})"
                                                 : R"({"body":"บันทึก"})";
    const auto a = palat.send("POST", "/api/v1/cases/" + about_palat + path, body);
    const auto b = palat.send("POST", "/api/v1/cases/" + never + path, body);
    CHECK(a.status == 404);
    CHECK(a.body == b.body);
  }
  // Nor does paging "after" it tell the number exists.
  const auto after_it = palat.get("/api/v1/cases?after=" + about_palat);
  const auto after_never = palat.get("/api/v1/cases?after=" + never);
  CHECK(after_it.status == 400);
  CHECK(after_it.body == after_never.body);
  CHECK(district.get("/api/v1/cases?after=" + about_palat).status == 200);
  CHECK(total_received(palat.get("/api/v1/stats")) == 1);     // the staff case only
  CHECK(total_received(district.get("/api/v1/stats")) == 1);  // the executives' case only
  CHECK(total_received(request(port, "GET", "/api/v1/public/stats")) == 2);

  // The district officer and the auditor open it; the officer (custodian of
  // the channel) sees who reported.
  CHECK(district.get("/api/v1/cases").body.find(about_palat) != std::string::npos);
  CHECK(district.get("/api/v1/cases/" + about_palat).status == 200);
  CHECK(auditor.get("/api/v1/cases/" + about_palat).status == 200);
  const auto who = district.send("POST", "/api/v1/cases/" + about_palat + "/identity",
                                 R"({"reason":"ต้องติดต่อผู้ร้องเพื่อขอข้อเท็จจริงเพิ่ม"})");
  CHECK(who.status == 200);
  CHECK(who.body.find(kReporterName) != std::string::npos);
  // A reply from the district office is sealed to the channel too.
  CHECK(district.send("POST", "/api/v1/cases/" + about_palat + "/messages", R"({"body":"รับเรื่องแล้ว"})").status == 201);
  CHECK(palat.get("/api/v1/cases/" + about_palat).status == 404);

  // The staff channel's case is not the executives channel's recipients'.
  CHECK(district.get("/api/v1/cases/" + about_staff).status == 404);
  CHECK(district.get("/api/v1/cases").body.find(about_staff) == std::string::npos);
  CHECK(nittaya.get("/api/v1/cases/" + about_staff).status == 200);

  // No grant gives the Palat keys to it: not a colleague's, not the recovery key's.
  const auto grant = district.send("POST", "/api/v1/users/palat/grant", "{}");
  CHECK(grant.status == 200);
  CHECK(parse(grant).at("cases").as_int64() == 0);
  const auto data = (server.data_dir() / "data").string();
  int rc = -1;
  const auto out = run_krasipd("recovery grant --data-dir " + data + " --username palat", recovery_key_of(server) + "\n", &rc);
  CAPTURE(out);
  CHECK(rc == 0);
  CHECK(out.find("granted 0 cases") != std::string::npos);
  CHECK(palat.get("/api/v1/cases/" + about_palat).status == 404);
}

TEST_CASE("channels: administrators manage them through the API") {
  ServerProcess server;
  const auto port = server.port();
  auto admin_acc = init_admin(server);
  auto bob_acc = add_account(server, "bob");
  auto dee_acc = add_account(server, "dee", true);
  Investigator admin(port, admin_acc), bob(port, bob_acc);

  // One channel after init: the default one, filing needs no choice.
  const auto list = admin.get("/api/v1/channels");
  REQUIRE(list.status == 200);
  CHECK(parse(list).at("channels").as_array().size() == 1);
  CHECK(bob.get("/api/v1/channels").status == 403);
  (void)number_of(file_in(port, std::nullopt));

  const std::string body =
      R"({"id":"oversight","name_th":"ร้องเรียนผู้บริหาร","name_en":"About the executives",)"
      R"("readers_th":"ผู้ตรวจสอบภายใน","readers_en":"The internal auditor",)"
      R"("identity_readers_th":"ผู้ตรวจสอบภายใน","identity_readers_en":"The internal auditor",)"
      R"("recipients":["dee"],"custodians":["dee"],"identity_two_person":true})";
  CHECK(bob.send("POST", "/api/v1/channels", body).status == 403);
  CHECK(admin.send("POST", "/api/v1/channels", body, false).status == 403);  // no CSRF token
  // Two-person identity access with one custodian: no one could approve.
  const auto alone = admin.send("POST", "/api/v1/channels", body);
  CHECK(alone.status == 400);
  CHECK(error_field(alone) == "identity_two_person");
  std::string one_custodian = body;
  one_custodian.replace(one_custodian.find("\"identity_two_person\":true"), 26, "\"identity_two_person\":false");
  const auto made = admin.send("POST", "/api/v1/channels", one_custodian);
  REQUIRE(made.status == 201);
  CHECK_FALSE(parse(made).at("identity_two_person").as_bool());
  CHECK_FALSE(parse(made).at("outcome_needs_confirmation").as_bool());
  CHECK(parse(made).at("recipients").as_array().size() == 1);
  // Confirmation by a second recipient needs two of them.
  const auto one_recipient =
      admin.send("PATCH", "/api/v1/channels/oversight", R"({"outcome_needs_confirmation":true})");
  CHECK(one_recipient.status == 400);
  CHECK(error_field(one_recipient) == "outcome_needs_confirmation");
  const auto marked = admin.send("PATCH", "/api/v1/channels/oversight",
                                 R"({"recipients":["dee","bob"],"outcome_needs_confirmation":true})");
  REQUIRE(marked.status == 200);
  CHECK(parse(marked).at("outcome_needs_confirmation").as_bool());
  CHECK(parse(admin.get("/api/v1/channels")).at("channels").as_array().at(1).at("outcome_needs_confirmation").as_bool());
  CHECK(admin.send("PATCH", "/api/v1/channels/oversight", R"({"outcome_needs_confirmation":"yes"})").status == 400);
  REQUIRE(admin.send("PATCH", "/api/v1/channels/oversight",
                     R"({"recipients":["dee"],"outcome_needs_confirmation":false})").status == 200);
  const auto again = admin.send("POST", "/api/v1/channels", one_custodian);
  CHECK(again.status == 400);
  CHECK(error_field(again) == "id");
  const auto no_custodian = admin.send("PATCH", "/api/v1/channels/oversight", R"({"custodians":["bob"]})");
  CHECK(no_custodian.status == 400);
  CHECK(error_field(no_custodian) == "custodians");
  const auto renamed = admin.send("PATCH", "/api/v1/channels/oversight", R"({"name_en":"Oversight"})");
  CHECK(renamed.status == 200);
  CHECK(parse(renamed).at("name_en").as_string() == "Oversight");
  CHECK(admin.send("PATCH", "/api/v1/channels/nope", R"({"name_en":"x"})").status == 404);

  // Now there are two: the reporter must choose.
  CHECK(parse(request(port, "GET", "/api/v1/intake")).at("channels").as_array().size() == 2);
  CHECK(file_in(port, std::nullopt).status == 400);
  (void)number_of(file_in(port, std::string("oversight")));
  Investigator dee(port, dee_acc);
  CHECK(total_received(dee.get("/api/v1/stats")) == 2);  // default (joined at creation) + oversight
  CHECK(total_received(bob.get("/api/v1/stats")) == 1);
}
