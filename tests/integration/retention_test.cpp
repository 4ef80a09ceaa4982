// Retention (issue 13, item 6) through the real krasipd: a closed case past
// its channel's retention is purged by `krasipd purge` while the service
// runs, and nothing of it that a key could open, nor the keys, is left
// anywhere in the data folder.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>

#include "db_rows.hpp"
#include "fixtures.hpp"
#include "investigator_client.hpp"
#include "server_process.hpp"
#include "test_clock.hpp"

using namespace krasip::test;
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

const std::string kBoundary = "KrasipRetentionBoundary41";

HttpResult upload(unsigned short port, const std::string& code, const std::string& filename,
                  const std::string& bytes) {
  const std::string body =
      "--" + kBoundary + "\r\nContent-Disposition: form-data; name=\"tracking_code\"\r\n\r\n" + code +
      "\r\n--" + kBoundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename +
      "\"\r\nContent-Type: application/pdf\r\n\r\n" + bytes + "\r\n--" + kBoundary + "--\r\n";
  return request(port, "POST", "/api/v1/status/attachments", body,
                 "multipart/form-data; boundary=" + kBoundary);
}

HttpResult status_of(unsigned short port, const std::string& code) {
  return post_json(port, "/api/v1/status", json::serialize(json::object{{"tracking_code", code}}));
}

std::string pdf_with(const std::string& marker, std::size_t size) {
  std::string s = "%PDF-1.4\n1 0 obj\n<< /Title (" + marker + ") >>\nendobj\n";
  std::uint32_t x = 777;
  while (s.size() < size) {
    x = x * 1103515245u + 12345u;
    s.push_back(static_cast<char>('a' + (x >> 16) % 26));
  }
  return s;
}

std::string unhex(const std::string& hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}

// Three 24-byte pieces of a secret (start, middle, end): a piece of a
// blob split over pages is still whole somewhere if the blob is there.
std::vector<std::string> pieces(const std::string& secret) {
  if (secret.size() <= 24) return {secret};
  return {secret.substr(0, 24), secret.substr(secret.size() / 2 - 12, 24), secret.substr(secret.size() - 24)};
}

struct Secret {
  std::string what;
  std::string bytes;
};

}  // namespace

TEST_CASE("purge: a closed case past its retention leaves only its tombstone, while the service runs") {
  ServerProcess server;
  const auto port = server.port();
  const fs::path data = server.data_dir() / "data";
  auto carol_acc = add_account(server, "carol", true);
  Investigator carol(port, carol_acc);
  // The host lowers the deployment's floor and, before the agency's first
  // case (setting up: at once), its channel's retention to nothing.
  int rc = -1;
  const std::string dir_arg = " --data-dir " + data.string();
  CHECK(run_krasipd("deployment set" + dir_arg + " --retention-floor-days 0", {}, &rc).find("-> 0 days") !=
        std::string::npos);
  REQUIRE(rc == 0);
  // The purged codes' grace: the host's too, within its bounds.
  for (const char* bad : {"29", "3651", "1y"}) {
    CHECK(run_krasipd("deployment set" + dir_arg + " --purged-code-grace-days " + bad, {}, &rc)
              .find("--purged-code-grace-days takes a number of days, 30 to 3650 (default 365)") != std::string::npos);
    CHECK(rc == 2);
  }
  CHECK(run_krasipd("deployment show" + dir_arg, {}, &rc).find("purged codes answer \"purged\" for: 365 days") !=
        std::string::npos);
  const auto edited = run_krasipd("channel edit" + dir_arg + " --id default --retention-days 0", {}, &rc);
  REQUIRE(rc == 0);
  CHECK(edited.find("kept for: 0 days") != std::string::npos);

  // The case to purge: identity, a reporter file and message, an
  // investigator's message and note.
  const auto filed = post_json(port, "/api/v1/complaints", json::serialize(complaint(true)));
  REQUIRE(filed.status == 201);
  const std::string code(parse(filed).at("tracking_code").as_string());
  const std::string number(parse(filed).at("case_number").as_string());
  const std::string pdf = pdf_with("NARWHAL-EVIDENCE-5150", 96 * 1024);
  REQUIRE(upload(port, code, "บัญชีรายจ่าย.pdf", pdf).status == 201);
  const std::string kReporterMessage = "ผู้ร้องส่งหลักฐานเพิ่ม PELICAN-2208";
  const std::string kReply = "ได้รับหลักฐานแล้ว MARMOT-3317";
  const std::string kNote = "บันทึกภายใน OCELOT-9046";
  REQUIRE(post_json(port, "/api/v1/status/messages",
                    json::serialize(json::object{{"tracking_code", code}, {"body", kReporterMessage}}))
              .status == 201);
  const std::string c = "/api/v1/cases/" + number;
  REQUIRE(carol.send("POST", c + "/messages", json::serialize(json::object{{"body", kReply}})).status == 201);
  REQUIRE(carol.send("POST", c + "/notes", json::serialize(json::object{{"body", kNote}})).status == 201);
  REQUIRE(carol.get(c).status == 200);  // a case.view entry with a sealed detail
  // A case that stays open, in the same channel.
  const auto [kept_number, kept_code] = file_complaint(port, false);

  for (const char* s : {"acknowledged", "investigating", "substantiated", "closed"}) {
    REQUIRE(carol.send("PATCH", c, json::serialize(json::object{{"status", s}})).status == 200);
  }

  // What must be gone: every envelope's ciphertext and every key to it,
  // the reporter's salt and public key, the evidence file's bytes.
  const fs::path db = data / "krasip.db";
  const auto id = db_rows(db, "SELECT id FROM cases WHERE case_number = '" + number + "'").at(0).at(0);
  std::vector<Secret> secrets;
  for (const auto& r : db_rows(db, "SELECT field, hex(ciphertext) FROM envelopes WHERE case_id = " + id +
                                       " AND id NOT IN (SELECT detail_envelope_id FROM audit_log"
                                       " WHERE detail_envelope_id IS NOT NULL)")) {
    secrets.push_back({"ciphertext of " + r[0], unhex(r[1])});
  }
  for (const auto& r : db_rows(db, "SELECT e.field, hex(k.sealed_key) FROM envelope_keys k JOIN envelopes e"
                                   " ON e.id = k.envelope_id WHERE e.case_id = " + id)) {
    secrets.push_back({"sealed key to " + r[0], unhex(r[1])});
  }
  const auto reporter = db_rows(db, "SELECT hex(c.reporter_salt), hex(k.public_key) FROM cases c"
                                    " JOIN reader_keys k ON k.id = c.reporter_key_id WHERE c.id = " + id);
  secrets.push_back({"reporter salt", unhex(reporter.at(0).at(0))});
  secrets.push_back({"reporter public key", unhex(reporter.at(0).at(1))});
  const auto file_name = db_rows(db, "SELECT file_name FROM attachments WHERE case_id = " + id).at(0).at(0);
  const fs::path file = data / "attachments" / file_name;
  secrets.push_back({"evidence file", read_file(file)});
  for (const std::string& s : {std::string(kDescription), std::string(kReporterName), std::string(kNationalId),
                              kReporterMessage, kReply, kNote, std::string("NARWHAL-EVIDENCE-5150")}) {
    secrets.push_back({"plaintext " + s, s});
  }
  REQUIRE(secrets.size() > 12);  // complaint, identity, messages, note, file: each with keys
  {  // The search can fail: before the purge, every stored secret is found.
    const std::string before = read_tree(data);
    for (const auto& s : secrets) {
      if (s.what.rfind("plaintext ", 0) == 0) continue;
      CAPTURE(s.what);
      const auto p = pieces(s.bytes);
      CHECK(std::any_of(p.begin(), p.end(), [&](const std::string& x) { return before.find(x) != std::string::npos; }));
    }
  }

  const std::string fy = number.substr(number.find('-') + 1, 4);
  const auto stats_before = request(port, "GET", "/api/v1/public/stats?fiscal_year=" + fy);
  REQUIRE(stats_before.status == 200);
  // This month's cases are published once it is over (issue 21, item 1);
  // the day's publication does not move with the purge either.
  REQUIRE(parse(stats_before).at("received").as_int64() == 0);

  // The purge waits: the channel changed today (30 days' quiet), and its
  // readers hear of a purge 14 days before it (issue 20).
  TestClock later;
  const auto held = run_krasipd("purge" + dir_arg, {}, &rc);
  CHECK(rc == 0);
  CHECK(held.find("kept for now (its readers were told less than 14 days ago)") != std::string::npos);
  CHECK(held.find("1 case(s) announced") != std::string::npos);
  later.set_days(14);
  const auto quiet = run_krasipd("purge" + dir_arg + later.arg() + " --dry-run", {}, &rc);
  CHECK(quiet.find("its channel changed in the last 30 days") != std::string::npos);
  later.set_days(31);

  // A dry run names the case and deletes nothing.
  const auto dry = run_krasipd("purge" + dir_arg + later.arg() + " --dry-run", {}, &rc);
  CHECK(rc == 0);
  CHECK(dry.find("would purge " + number) != std::string::npos);
  CHECK(dry.find(kept_number) == std::string::npos);
  CHECK(fs::exists(file));
  CHECK(parse(status_of(port, code)).at("status").as_string() == "closed");
  CHECK(db_rows(db, "SELECT 1 FROM messages WHERE case_id = " + id).size() == 2);

  // The nightly backup, made before the purge: it still holds the case.
  const fs::path backups = server.data_dir() / "backups";
  run_krasipd("backup" + dir_arg + " --to " + backups.string(), {}, &rc);
  REQUIRE(rc == 0);
  const fs::path backup_folder = fs::directory_iterator(backups)->path();

  // The purge, with the service up.
  const auto out = run_krasipd("purge" + dir_arg + later.arg(), {}, &rc);
  CHECK(rc == 0);
  CHECK(out.find("purged " + number) != std::string::npos);
  CHECK(out.find("1 case(s) purged") != std::string::npos);
  CHECK_FALSE(fs::exists(file));

  const auto check_folder = [&](const char* when) {
    CAPTURE(when);
    const std::string bytes = read_tree(data);  // krasip.db, -wal, -shm, attachments/, secrets/
    REQUIRE(bytes.size() > 4096);
    for (const auto& s : secrets) {
      for (const auto& p : pieces(s.bytes)) {
        CAPTURE(s.what);
        CHECK(bytes.find(p) == std::string::npos);
      }
    }
  };
  check_folder("after purge, service running");

  // The tombstone answers the reporter's code, Thai first with a B.E. date.
  const auto gone = status_of(port, code);
  REQUIRE(gone.status == 200);
  const auto g = parse(gone);
  CHECK(g.at("purged").as_bool());
  CHECK(g.at("case_number").as_string() == number);
  const std::string thai(g.at("message_th").as_string());
  CHECK(thai.find("ถูกลบ") != std::string::npos);
  const auto be_year = std::to_string(std::stoi(std::string(g.at("purged_at").as_string()).substr(0, 4)) + 543);
  CHECK(thai.find(be_year) != std::string::npos);
  CHECK(std::string(g.at("message_en").as_string()).find("deleted on") != std::string::npos);
  CHECK_FALSE(g.as_object().contains("submission"));
  // Nothing more can be added to it.
  CHECK(post_json(port, "/api/v1/status/messages",
                  json::serialize(json::object{{"tracking_code", code}, {"body", "ยังอยู่ไหม"}}))
            .status == 410);
  CHECK(carol.get(c).status == 404);

  // The statistics of its year are as they were; the other case is whole.
  CHECK(request(port, "GET", "/api/v1/public/stats?fiscal_year=" + fy).body == stats_before.body);
  CHECK(parse(status_of(port, kept_code)).at("status").as_string() == "received");
  CHECK(carol.get("/api/v1/cases/" + kept_number).status == 200);

  // The agency's chain has the entry, listed for its administrators (with
  // no case to hide it behind), its detail sealed (issue 21, item 5): the
  // administrator who read the case opens it; dana, an administrator who
  // came after the case and never read it, sees only that a purge happened.
  auto admin_acc = init_admin(server);
  const auto audit = Investigator(port, admin_acc).get("/api/v1/audit");
  CHECK(audit.body.find("case.purge") != std::string::npos);
  CHECK(audit.body.find("case_number=" + number) != std::string::npos);
  auto dana_acc = add_account(server, "dana", false, true);
  const auto hers = Investigator(port, dana_acc).get("/api/v1/audit?per_page=200");
  REQUIRE(hers.status == 200);
  bool listed = false;
  const auto her_entries = parse(hers);
  for (const auto& e : her_entries.at("entries").as_array()) {
    if (e.at("action").as_string() != "case.purge") continue;
    listed = true;
    CHECK(e.at("detail").as_string() == "");
    CHECK(e.at("case_number").is_null());
  }
  CHECK(listed);
  CHECK(hers.body.find(number) == std::string::npos);
  // The purge journal names it by a keyed hash and the day: no number.
  const std::string journal = read_file(data / "purge-journal");
  CHECK(std::count(journal.begin(), journal.end(), '\n') == 2);  // its header and one purge
  CHECK(journal.find(number) == std::string::npos);
  const auto verified = run_krasipd("audit verify" + dir_arg, {}, &rc);
  CHECK(rc == 0);
  CHECK(verified.find("intact") != std::string::npos);

  // A second run finds nothing; a new case does not take the purged number.
  CHECK(run_krasipd("purge" + dir_arg, {}, &rc).find("0 case(s) purged") != std::string::npos);
  CHECK(rc == 0);
  const auto [next_number, next_code] = file_complaint(port, false);
  CHECK(next_number != number);

  CHECK(server.stop() == 0);
  check_folder("after the service stopped");

  // Restoring the backup made before the purge (issue 21, item 5). The data
  // folder is moved aside, with its journal; the pepper is put back.
  const fs::path live = server.data_dir() / "data.live";
  fs::rename(data, live);
  fs::create_directories(data / "secrets");
  fs::copy_file(live / "secrets" / "pepper.key", data / "secrets" / "pepper.key");
  fs::permissions(data / "secrets" / "pepper.key", fs::perms::owner_read | fs::perms::owner_write);
  const std::string restore = "restore --from " + backup_folder.string() + dir_arg;
  // Without its journal: refused, naming the file; nothing is restored.
  const auto refused = run_krasipd(restore, {}, &rc);
  CHECK(rc == 1);
  CHECK(refused.find("there is no purge journal at " + (data / "purge-journal").string()) != std::string::npos);
  CHECK(refused.find("--without-purge-journal") != std::string::npos);
  CHECK(refused.find("Nothing was restored") != std::string::npos);
  CHECK(std::distance(fs::directory_iterator(data), fs::directory_iterator()) == 1);  // secrets/ alone
  // With it: the case purged after the backup is purged again, and said so.
  const auto restored = run_krasipd(restore + " --purge-journal " + (live / "purge-journal").string() + later.arg(), {}, &rc);
  CAPTURE(restored);
  REQUIRE(rc == 0);
  CHECK(restored.find("The pepper matches") != std::string::npos);
  CHECK(restored.find("purged again: 1 cases") != std::string::npos);
  CHECK_FALSE(fs::exists(data / "attachments" / file_name));  // the backup's copy of its file
  CHECK(read_file(data / "purge-journal") == journal);  // in its place for the next restore
  CHECK(run_krasipd("audit verify" + dir_arg, {}, &rc).find("intact") != std::string::npos);
  CHECK(rc == 0);
  server.restart_with({});
  const auto again = status_of(server.port(), code);
  REQUIRE(again.status == 200);
  CHECK(parse(again).at("purged").as_bool());
  CHECK(parse(again).at("purged_at").as_string() == g.at("purged_at").as_string());
  CHECK(parse(status_of(server.port(), kept_code)).at("status").as_string() == "received");

  // A year after the purge, the daily run drops its code's hash: the code
  // answers as one never issued.
  later.set_days(31 + 366);
  const auto year_on = run_krasipd("purge" + dir_arg + later.arg(), {}, &rc);
  CHECK(rc == 0);
  CHECK(year_on.find("1 tracking code(s) of cases purged more than 365 days ago dropped") != std::string::npos);
  const auto unknown = status_of(server.port(), code);
  CHECK(unknown.status == 404);
  CHECK(parse(unknown).at("error").at("code").as_string() == "unknown_code");
}
