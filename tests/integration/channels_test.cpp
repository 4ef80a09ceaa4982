// Channels (issue 10), through the real server: a complaint about the ปลัด
// goes only to the district office and the internal auditor; the ปลัด,
// though an investigator and a custodian, cannot list, open, count or
// even confirm it.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>

#include "fixtures.hpp"
#include "server_process.hpp"
#include "investigator_client.hpp"
#include "test_clock.hpp"
#include "krasip/crypto/tracking_code.hpp"

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
void two_channels(ServerProcess& server, const std::string& executives_custodians = "district,auditor") {
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
                        " --recipients district,auditor --custodians " + executives_custodians,
                    {}, &rc);
  CAPTURE(out);
  REQUIRE(rc == 0);
}

const std::string kBoundary = "KrasipEscalateBoundary41";
const std::string kEvidence = "%PDF-1.4\n% ESCALATED-EVIDENCE-5521 before the move\n%%EOF\n";

// A complaint in a channel: its number and tracking code.
std::pair<std::string, std::string> filed(unsigned short port, const std::string& channel, bool identity = true) {
  const auto r = file_in(port, channel, identity);
  REQUIRE(r.status == 201);
  return {std::string(parse(r).at("case_number").as_string()), std::string(parse(r).at("tracking_code").as_string())};
}

HttpResult status_of(unsigned short port, const std::string& code) {
  return post_json(port, "/api/v1/status", json::serialize(json::object{{"tracking_code", code}}));
}

HttpResult escalate(unsigned short port, const std::string& code, const std::string& channel,
                    const std::string& reason, bool move_identity) {
  return post_json(port, "/api/v1/status/escalate",
                   json::serialize(json::object{{"tracking_code", code}, {"channel", channel},
                                                {"reason", reason}, {"move_identity", move_identity}}));
}

HttpResult upload_evidence(unsigned short port, const std::string& code) {
  const std::string body = "--" + kBoundary +
                           "\r\nContent-Disposition: form-data; name=\"tracking_code\"\r\n\r\n" + code +
                           "\r\n--" + kBoundary +
                           "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"evidence.pdf\"\r\n"
                           "Content-Type: application/pdf\r\n\r\n" +
                           kEvidence + "\r\n--" + kBoundary + "--\r\n";
  return request(port, "POST", "/api/v1/status/attachments", body, "multipart/form-data; boundary=" + kBoundary);
}

// The answer and headers of a 404, without the date.
std::pair<std::string, std::map<std::string, std::string>> not_found_shape(const HttpResult& r) {
  auto headers = r.headers;
  headers.erase("date");
  return {r.body, {headers.begin(), headers.end()}};
}

// The same, the auditor a recipient but not a custodian.
void two_channels_with_auditor_recipient(ServerProcess& server) { two_channels(server, "district"); }

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
  // The published total counts both once their month is over (issue 21,
  // item 1); filing moved nothing in it.
  CHECK(total_received(request(port, "GET", "/api/v1/public/stats")) == 0);

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
  const auto grantable = district.get("/api/v1/users/palat/grantable");
  CHECK(grantable.status == 200);
  CHECK(grantable.body.find(about_palat) == std::string::npos);
  const auto grant = district.send("POST", "/api/v1/users/palat/grant",
                                   json::serialize(json::object{{"cases", json::array{json::string(about_palat)}}}));
  CHECK(grant.status == 400);
  CHECK(palat.get("/api/v1/cases/" + about_palat).status == 404);
  const auto data = (server.data_dir() / "data").string();
  int rc = -1;
  const auto out = run_krasipd("recovery grant --data-dir " + data + " --username palat", recovery_key_of(server) + "\n", &rc);
  CAPTURE(out);
  CHECK(rc == 0);
  CHECK(out.find("granted 0 cases") != std::string::npos);
  CHECK(palat.get("/api/v1/cases/" + about_palat).status == 404);
}

TEST_CASE("channels: administrators manage them through the API") {
  // Several step-ups in a row: the accounts' codes move the server's clock
  // a step each (test_clock.hpp).
  TestClock clock;
  ServerProcess server({"--clock-offset-file", clock.file.string()});
  const auto port = server.port();
  auto admin_acc = init_admin(server);
  admin_acc.clock = &clock;
  auto bob_acc = add_account(server, "bob");
  bob_acc.clock = &clock;
  auto dee_acc = add_account(server, "dee", true);
  dee_acc.clock = &clock;
  Investigator admin(port, admin_acc), bob(port, bob_acc);

  // One channel after init: the default one, filing needs no choice.
  const auto list = admin.get("/api/v1/channels");
  REQUIRE(list.status == 200);
  CHECK(parse(list).at("channels").as_array().size() == 1);
  CHECK(bob.get("/api/v1/channels").status == 403);
  // Nothing is filed yet: the agency is setting up, and channel changes
  // apply at once (issue 20; after its first case they are proposals).

  const std::string body =
      R"({"id":"oversight","name_th":"ร้องเรียนผู้บริหาร","name_en":"About the executives",)"
      R"("readers_th":"ผู้ตรวจสอบภายใน","readers_en":"The internal auditor",)"
      R"("identity_readers_th":"ผู้ตรวจสอบภายใน","identity_readers_en":"The internal auditor",)"
      R"("recipients":["dee"],"custodians":["dee"],"identity_two_person":true})";
  CHECK(bob.send("POST", "/api/v1/channels", body).status == 403);
  CHECK(admin.send("POST", "/api/v1/channels", body, false).status == 403);  // no CSRF token
  // Naming who reads asks for the password and a fresh code (issue 12).
  const auto bare = admin.send("POST", "/api/v1/channels", body);
  CHECK(bare.status == 403);
  CHECK(error_code(bare) == "step_up_required");
  // A proof is used up only by a change that is made: refusals for a bad
  // field leave it valid for the corrected request.
  const auto proof = step_up_proof(admin_acc);
  // Two-person identity access with one custodian: no one could approve.
  const auto alone = admin.send("POST", "/api/v1/channels", with_step_up(body, proof));
  CHECK(alone.status == 400);
  CHECK(error_field(alone) == "identity_two_person");
  std::string one_custodian = body;
  one_custodian.replace(one_custodian.find("\"identity_two_person\":true"), 26, "\"identity_two_person\":false");
  std::string taken = one_custodian;
  taken.replace(taken.find("\"oversight\""), 11, "\"default\"");
  const auto again = admin.send("POST", "/api/v1/channels", with_step_up(taken, proof));
  CHECK(again.status == 400);
  CHECK(error_field(again) == "id");
  const auto made = admin.send("POST", "/api/v1/channels", with_step_up(one_custodian, proof));
  REQUIRE(made.status == 201);
  CHECK_FALSE(parse(made).at("identity_two_person").as_bool());
  CHECK_FALSE(parse(made).at("outcome_needs_confirmation").as_bool());
  CHECK(parse(made).at("recipients").as_array().size() == 1);
  // Confirmation by a second recipient needs two of them.
  const auto one_recipient = admin.send("PATCH", "/api/v1/channels/oversight",
                                        with_step_up(R"({"outcome_needs_confirmation":true})", step_up_proof(admin_acc)));
  CHECK(one_recipient.status == 400);
  CHECK(error_field(one_recipient) == "outcome_needs_confirmation");
  // The proof that made the channel is used up.
  const auto replayed = admin.send("PATCH", "/api/v1/channels/oversight",
                                   with_step_up(R"({"recipients":["dee","bob"],"outcome_needs_confirmation":true})", proof));
  CHECK(replayed.status == 403);
  CHECK(error_code(replayed) == "step_up_failed");
  // Each account's codes are its own: a second administrator's fresh one.
  auto admin2_acc = add_account(server, "admin2", false, true);
  admin2_acc.clock = &clock;
  Investigator admin2(port, admin2_acc);
  const auto marked = admin2.send("PATCH", "/api/v1/channels/oversight",
                                  with_step_up(R"({"recipients":["dee","bob"],"outcome_needs_confirmation":true})",
                                               step_up_proof(admin2_acc)));
  REQUIRE(marked.status == 200);
  CHECK(parse(marked).at("outcome_needs_confirmation").as_bool());
  CHECK(parse(admin.get("/api/v1/channels")).at("channels").as_array().at(1).at("outcome_needs_confirmation").as_bool());
  CHECK(admin.send("PATCH", "/api/v1/channels/oversight", R"({"outcome_needs_confirmation":"yes"})").status == 400);
  // The same readers sent back unchanged ask for nothing.
  CHECK(admin.send("PATCH", "/api/v1/channels/oversight", R"({"recipients":["bob","dee"],"custodians":["dee"]})").status ==
        200);
  auto admin3_acc = add_account(server, "admin3", false, true);
  admin3_acc.clock = &clock;
  Investigator admin3(port, admin3_acc);
  const auto proof3 = step_up_proof(admin3_acc);
  const auto no_custodian =
      admin3.send("PATCH", "/api/v1/channels/oversight", with_step_up(R"({"custodians":["bob"]})", proof3));
  CHECK(no_custodian.status == 400);
  CHECK(error_field(no_custodian) == "custodians");
  REQUIRE(admin3.send("PATCH", "/api/v1/channels/oversight",
                      with_step_up(R"({"recipients":["dee"],"outcome_needs_confirmation":false})", proof3))
              .status == 200);
  // Any real change asks for the step-up, texts too (what the reporter reads).
  CHECK(error_code(admin.send("PATCH", "/api/v1/channels/oversight", R"({"name_en":"Oversight"})")) == "step_up_required");
  const auto renamed = admin.send("PATCH", "/api/v1/channels/oversight",
                                  with_step_up(R"({"name_en":"Oversight"})", step_up_proof(admin_acc)));
  CHECK(renamed.status == 200);
  CHECK(parse(renamed).at("name_en").as_string() == "Oversight");
  CHECK(admin.send("PATCH", "/api/v1/channels/nope", R"({"name_en":"x"})").status == 404);

  // Now there are two: the reporter must choose.
  CHECK(parse(request(port, "GET", "/api/v1/intake")).at("channels").as_array().size() == 2);
  CHECK(file_in(port, std::nullopt).status == 400);
  (void)number_of(file_in(port, std::string("oversight")));
  (void)number_of(file_in(port, std::string("default")));
  Investigator dee(port, dee_acc);
  CHECK(total_received(dee.get("/api/v1/stats")) == 2);  // default (joined at creation) + oversight
  CHECK(total_received(bob.get("/api/v1/stats")) == 1);

  // From the first case on, a change that weakens protection waits for a
  // second person: renaming the channel (what reporters read) is a proposal.
  const auto later = admin.send("PATCH", "/api/v1/channels/oversight",
                                with_step_up(R"({"outcome_needs_confirmation":false,"name_en":"Executives"})",
                                             step_up_proof(admin_acc)));
  REQUIRE_MESSAGE(later.status == 202, later.body);
  CHECK(parse(later).at("name_en").as_string() == "Oversight");
  CHECK(parse(later).at("proposal").at("state").as_string() == "pending");
}

TEST_CASE("channels: the reporter of a staff complaint moves it to the executives' channel") {
  ServerProcess server;
  const auto port = server.port();
  auto palat_acc = add_account(server, "palat", true);
  auto nittaya_acc = add_account(server, "nittaya");
  auto district_acc = add_account(server, "district", true);
  auto auditor_acc = add_account(server, "auditor");
  two_channels_with_auditor_recipient(server);
  Investigator palat(port, palat_acc), nittaya(port, nittaya_acc), district(port, district_acc),
      auditor(port, auditor_acc);

  // Two staff complaints: the first moves without the identity, the second with it.
  const auto [kept_back, kept_code] = filed(port, "default");
  const auto [moved, moved_code] = filed(port, "default");

  // Before the move: a file and a message from the reporter, a reply and a
  // note from the staff channel.
  const auto up = upload_evidence(port, kept_code);
  CAPTURE(up.body);
  REQUIRE(up.status == 201);
  const std::string file_id(parse(up).at("attachment").at("id").as_string());
  REQUIRE(post_json(port, "/api/v1/status/messages",
                    json::serialize(json::object{{"tracking_code", kept_code},
                                                 {"body", "ผู้ที่รับเรื่องของฉันเป็นคนสนิทของผู้ถูกร้อง"}}))
              .status == 201);
  REQUIRE(nittaya.send("POST", "/api/v1/cases/" + kept_back + "/messages", R"({"body":"รับเรื่องแล้ว REPLY-BEFORE-MOVE"})").status == 201);
  REQUIRE(nittaya.send("POST", "/api/v1/cases/" + kept_back + "/notes", R"({"body":"บันทึกภายใน NOTE-BEFORE-MOVE"})").status == 201);

  // The status page knows where the case is and where it may go.
  const auto before = parse(status_of(port, kept_code));
  CHECK(before.at("channel").at("id").as_string() == "default");
  REQUIRE(before.at("can_move_to").as_array().size() == 1);
  CHECK(before.at("can_move_to").at(0).at("id").as_string() == "executives");
  CHECK(before.at("can_move_to").at(0).at("identity_readers_th").as_string() == "เจ้าหน้าที่อำเภอ และผู้ตรวจสอบภายใน");

  // Refusals, as the other status routes answer them.
  const std::string reason = "ปลัดและเจ้าหน้าที่สำนักปลัดเกี่ยวข้องกับเรื่องที่ร้อง";
  const auto same = escalate(port, kept_code, "default", reason, false);
  CHECK(same.status == 400);
  CHECK(error_field(same) == "channel");
  const auto unknown_channel = escalate(port, kept_code, "the-mayor", reason, false);
  CHECK(unknown_channel.status == 400);
  CHECK(error_field(unknown_channel) == "channel");
  const auto no_reason = escalate(port, kept_code, "executives", "  ", false);
  CHECK(no_reason.status == 400);
  CHECK(error_field(no_reason) == "reason");
  CHECK(escalate(port, kept_code, "executives", std::string(501, 'x'), false).status == 400);
  std::string mistyped = kept_code;
  mistyped.back() = mistyped.back() == '9' ? '0' : static_cast<char>(mistyped.back() + 1);
  CHECK(escalate(port, mistyped, "executives", reason, false).status == 400);
  const auto never_code = krasip::crypto::TrackingCode::generate().formatted();
  const auto unknown_code = escalate(port, never_code, "executives", reason, false);
  CHECK(unknown_code.status == 404);
  CHECK(unknown_code.body == status_of(port, never_code).body);
  CHECK(nittaya.get("/api/v1/cases/" + kept_back).status == 200);  // nothing moved

  // The moves.
  const auto r1 = escalate(port, kept_code, "executives", reason, false);
  CAPTURE(r1.body);
  REQUIRE(r1.status == 200);
  CHECK(parse(r1).at("identity").as_string() == "not_moved");
  CHECK(parse(r1).at("channel").at("name_en").as_string() == "About the executives");
  const auto r2 = escalate(port, moved_code, "executives", reason, true);
  REQUIRE(r2.status == 200);
  CHECK(parse(r2).at("identity").as_string() == "moved");

  // The original recipients: the one 404 of a number never issued, on every route.
  std::string never = kept_back;
  never.replace(never.size() - 5, 5, "99999");
  for (auto* who : {&palat, &nittaya}) {
    for (const auto& number : {kept_back, moved}) {
      CAPTURE(number);
      const auto a = who->get("/api/v1/cases/" + number);
      CHECK(a.status == 404);
      CHECK(not_found_shape(a) == not_found_shape(who->get("/api/v1/cases/" + never)));
      CHECK(who->get("/api/v1/cases/" + number + "/attachments/" + file_id).status == 404);
      CHECK(who->get("/api/v1/cases").body.find(number) == std::string::npos);
    }
  }
  CHECK(total_received(palat.get("/api/v1/stats")) == 0);
  CHECK(total_received(district.get("/api/v1/stats")) == 2);
  // Nor does moving a case change what is published that day.
  CHECK(total_received(request(port, "GET", "/api/v1/public/stats")) == 0);

  // The district officer and the auditor open everything the reporter
  // held: the complaint, the messages both ways, the file from before.
  for (auto* who : {&district, &auditor}) {
    const auto view = who->get("/api/v1/cases/" + kept_back);
    REQUIRE(view.status == 200);
    CHECK(view.body.find("ZEBRA-7731") != std::string::npos);
    CHECK(view.body.find("ผู้ที่รับเรื่องของฉันเป็นคนสนิทของผู้ถูกร้อง") != std::string::npos);
    CHECK(view.body.find("REPLY-BEFORE-MOVE") != std::string::npos);
    CHECK(view.body.find("NOTE-BEFORE-MOVE") == std::string::npos);  // investigators' only: not movable
    CHECK(view.body.find(reason) != std::string::npos);             // the history says why
    const auto dl = who->get("/api/v1/cases/" + kept_back + "/attachments/" + file_id);
    CHECK(dl.status == 200);
    CHECK(dl.body == kEvidence);
  }
  // The identity: only where the reporter moved it, and only to the custodian.
  const std::string why = R"({"reason":"ต้องติดต่อผู้ร้องเพื่อขอข้อเท็จจริงเพิ่ม"})";
  CHECK(district.send("POST", "/api/v1/cases/" + kept_back + "/identity", why).status == 403);
  const auto who_moved = district.send("POST", "/api/v1/cases/" + moved + "/identity", why);
  CHECK(who_moved.status == 200);
  CHECK(who_moved.body.find(kReporterName) != std::string::npos);
  CHECK(auditor.send("POST", "/api/v1/cases/" + moved + "/identity", why).status == 403);

  // The Palat can neither exclude the district officer nor close the case.
  const auto exclude = palat.send("POST", "/api/v1/cases/" + moved + "/exclusions",
                                  R"({"username":"district","reason":"ไม่เป็นกลางกับเรื่องนี้เลย"})");
  CHECK(exclude.status == 404);
  CHECK(exclude.body == palat.send("POST", "/api/v1/cases/" + never + "/exclusions",
                                   R"({"username":"district","reason":"ไม่เป็นกลางกับเรื่องนี้เลย"})").body);
  CHECK(palat.send("PATCH", "/api/v1/cases/" + moved, R"({"status":"rejected","outcome_message":"ไม่มีมูล"})").status == 404);
  CHECK(district.get("/api/v1/cases/" + moved).status == 200);

  // Both sides see the move: the reporter's timeline and the console's history.
  const auto after = parse(status_of(port, kept_code));
  CHECK(after.at("channel").at("id").as_string() == "executives");
  bool seen = false;
  for (const auto& e : after.at("activity").as_array()) {
    if (e.at("kind").as_string() != "escalated") continue;
    seen = true;
    CHECK(e.at("from").at("name_th").as_string() == "ร้องเรียนเจ้าหน้าที่");
    CHECK(e.at("to").at("name_th").as_string() == "ร้องเรียนผู้บริหารหรือปลัด");
    CHECK(e.at("reason").as_string() == reason);
    CHECK(e.at("identity").as_string() == "not_moved");
  }
  CHECK(seen);
  CHECK(status_of(port, kept_code).body.find(kReporterName) == std::string::npos);
  const auto history = parse(district.get("/api/v1/cases/" + kept_back)).at("history").as_array();
  CHECK(std::any_of(history.begin(), history.end(), [](const json::value& h) {
    return h.at("kind").as_string() == "escalated" && h.at("visible_to_reporter").as_bool();
  }));

  // Nothing of the move in clear on disk (the reason, the log), and the
  // route only counted in the log, as every reporter route.
  const std::string disk = read_tree(server.data_dir() / "data");
  CHECK(disk.find(reason) == std::string::npos);
  CHECK(disk.find("from=default") == std::string::npos);
  CHECK(read_file(server.log_file()).find("route=/api/v1/status/escalate") == std::string::npos);

  // The recovery key holder gives the new readers, case by case, what the
  // reporter could not move (the staff's internal note), never the identity
  // the reporter kept back.
  const auto data = (server.data_dir() / "data").string();
  int rc = -1;
  auto out = run_krasipd("recovery grant --data-dir " + data + " --username district", recovery_key_of(server) + "\n", &rc);
  CHECK(rc == 0);
  CHECK(out.find("granted 0 cases") != std::string::npos);  // the wholesale grant skips cases they open
  out = run_krasipd("recovery grant --data-dir " + data + " --username district --case " + kept_back,
                    recovery_key_of(server) + "\n", &rc);
  CAPTURE(out);
  CHECK(rc == 0);
  CHECK(district.get("/api/v1/cases/" + kept_back).body.find("NOTE-BEFORE-MOVE") != std::string::npos);
  CHECK(district.send("POST", "/api/v1/cases/" + kept_back + "/identity", why).status == 403);
  // Never to someone outside the channel.
  out = run_krasipd("recovery grant --data-dir " + data + " --username palat --case " + kept_back,
                    recovery_key_of(server) + "\n", &rc);
  CHECK(palat.get("/api/v1/cases/" + kept_back).status == 404);
}
