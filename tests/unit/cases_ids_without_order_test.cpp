// Issue 21, item 3: no order to read. A copy of the database must not date
// a reporter's rows by where their ids fall among investigators' rows (which
// are stamped to the second), nor tell an agency how much other agencies did
// between two of its audit entries. Rows are numbered at random; what a
// case shows in order keeps a per-case `ord`; the audit log is numbered per
// agency. Schema 21 renumbers what an existing database holds.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <vector>

#include "agency_one.hpp"
#include "krasip/cases/agencies/agency_setup.hpp"
#include "krasip/cases/agencies/data_paths.hpp"
#include "krasip/cases/audit/audit_log.hpp"
#include "krasip/cases/accounts/reader_directory.hpp"
#include "krasip/cases/common/server_secrets.hpp"
#include "krasip/cases/intake/complaint_input.hpp"
#include "krasip/cases/intake/intake_service.hpp"
#include "krasip/cases/triage/triage_service.hpp"
#include "krasip/crypto/encoding.hpp"
#include "krasip/crypto/keyed_hash.hpp"
#include "krasip/crypto/secure_bytes.hpp"
#include "krasip/storage/database.hpp"
#include "krasip/storage/migrations.hpp"
#include "krasip/storage/reader_pool.hpp"
#include "krasip/storage/write_queue.hpp"
#include "session_for.hpp"
#include "temp_dir.hpp"

using namespace krasip;
using namespace krasip::cases;

namespace {

constexpr std::int64_t kNow = 1764300000;  // 2025-11-28

std::vector<std::int64_t> ints(storage::Database& db, const std::string& sql) {
  std::vector<std::int64_t> out;
  auto st = db.prepare(sql);
  while (st.step()) out.push_back(st.get_int(0));
  return out;
}

// Ids written one after another, in that order, and nothing ordered about
// them: with six or more, all increasing (or all decreasing) by chance is
// one in 720.
bool unordered(const std::vector<std::int64_t>& ids) {
  return !std::is_sorted(ids.begin(), ids.end()) && !std::is_sorted(ids.rbegin(), ids.rend()) &&
         std::set<std::int64_t>(ids.begin(), ids.end()).size() == ids.size();
}

struct Fixture {
  test::TempDir dir{"ids-without-order"};
  DataPaths paths = DataPaths::in(dir.path() / "data");
  InitResult init = initialise_agency(paths, demo_agency(), FirstCustodian{"admin", "Admin"},
                                      crypto::PwhashLimits::interactive());
  ServerSecrets secrets = ServerSecrets::load(paths.pepper_file);
  storage::WriteQueue writer{paths.database};
  storage::ReaderPool pool{paths.database};
  AuditLog audit{secrets.pepper};
  ReaderDirectory readers{pool};
  IntakeService intake{secrets, readers, writer, [] { return kNow; }};
  TriageService triage{pool, writer, audit, [] { return kNow + 3600; }, Deadlines{}};

  std::string file() {
    ComplaintInput c;
    c.category = "bribery";
    c.subject = {"นายสมชาย ตัวอย่าง", "หัวหน้าสำนักปลัด", "สำนักปลัด"};
    c.description = "รายละเอียดของเรื่อง IDS";
    return intake.submit_and_wait(test::agency_one(), c).case_number;
  }
};

}  // namespace

TEST_CASE("ids: rows a filing writes are numbered at random, a case's messages keep their order") {
  Fixture f;
  const auto admin = test::session_for(f.pool, "admin", f.init.custodian_password);
  std::vector<std::string> numbers;
  for (int i = 0; i < 6; ++i) {
    numbers.push_back(f.file());
    // Between filings, an investigator's row (stamped to the second).
    f.triage.add_note(admin, numbers.back(), "บันทึก " + std::to_string(i));
  }
  auto db = f.pool.acquire();
  // In the order they were written: cases by number, their first envelope
  // and the reporters' keys by the case's order.
  const auto case_ids = ints(*db, "SELECT id FROM cases ORDER BY seq");
  CHECK(unordered(case_ids));
  CHECK(unordered(ints(*db, "SELECT reporter_key_id FROM cases ORDER BY seq")));
  CHECK(unordered(ints(*db, "SELECT e.id FROM envelopes e JOIN cases c ON c.id = e.case_id"
                            " WHERE e.field = 'complaint' ORDER BY c.seq")));
  CHECK(unordered(ints(*db, "SELECT n.id FROM notes n JOIN cases c ON c.id = n.case_id ORDER BY c.seq")));
  // The audit log: the agency's own numbers 1, 2, 3, ... in the chain's
  // order, ids at random, the chain intact.
  const auto seqs = ints(*db, "SELECT seq FROM audit_log WHERE agency_id = 1 ORDER BY seq");
  REQUIRE(seqs.size() >= 6);
  for (std::size_t i = 0; i < seqs.size(); ++i) CHECK(seqs[i] == static_cast<std::int64_t>(i) + 1);
  CHECK(unordered(ints(*db, "SELECT id FROM audit_log WHERE agency_id = 1 ORDER BY seq")));
  const auto v = f.audit.verify(*db, test::agency_one());
  CHECK(v.intact);
  CHECK(v.head_id == seqs.back());
  // What the console lists is the agency's number, newest first.
  const auto entries = f.triage.audit_entries(admin, std::nullopt, 1, 50);
  REQUIRE(!entries.empty());
  CHECK(entries.front().seq == seqs.back());

  // A case's conversation keeps the order it was written in, whatever the ids.
  for (int i = 0; i < 6; ++i) f.triage.reply(admin, numbers.front(), "ตอบครั้งที่ " + std::to_string(i));
  const auto detail = f.triage.view(admin, numbers.front());
  std::vector<std::string> bodies;
  for (const auto& m : detail.messages) bodies.push_back(m.body);
  REQUIRE(bodies.size() == 6);
  for (int i = 0; i < 6; ++i) CHECK(bodies[i] == "ตอบครั้งที่ " + std::to_string(i));
  CHECK(unordered(ints(*db, "SELECT id FROM messages ORDER BY ord")));
}

TEST_CASE("schema 21: an existing database is renumbered, keeps its links, its order and its audit chain") {
  test::TempDir dir("schema21");
  storage::Database db(dir.path() / "krasip.db", storage::OpenMode::read_write_create);
  db.exec("PRAGMA foreign_keys = ON");
  std::vector<storage::Migration> to20;
  for (const auto& m : storage::krasip_migrations()) {
    if (m.version <= 20) to20.push_back(m);
  }
  REQUIRE(storage::migrate(db, to20) == 20);
  db.exec("INSERT INTO agencies (id, slug, name_th, name_en, case_prefix, created_at)"
          " VALUES (2, 'ns', 'หนองสูง', 'Nong Sung', 'NS', 0)");
  // As schema 20 wrote them: ids counting up across every agency and kind.
  db.exec(R"sql(
INSERT INTO reader_keys (id, kind, public_key, created_at) VALUES (1, 'investigator', randomblob(32), 0),
  (2, 'reporter', randomblob(32), 0), (3, 'reporter', randomblob(32), 0);
INSERT INTO cases (id, uid, case_number, fiscal_year, seq, code_hash, reporter_salt, reporter_key_id, category,
  status, has_identity, received_at, updated_at, channel_id, agency_id, agency_seq, number_channel_id, channel_seq)
VALUES (1, randomblob(16), 'C-2569-00001', 2569, 1, randomblob(32), X'00', 2, 'bribery', 'received', 0, 0, 0, 1, 1, 1, 1, 1),
       (2, randomblob(16), 'C-2569-00002', 2569, 2, randomblob(32), X'00', 3, 'bribery', 'received', 0, 0, 0, 1, 1, 2, 1, 2);
INSERT INTO envelopes (id, case_id, field, nonce, ciphertext, created_at) VALUES
  (1, 1, 'complaint', X'00', X'01', 0), (2, 2, 'complaint', X'00', X'02', 0), (3, 1, 'message:a', X'00', X'03', 0),
  (4, 1, 'message:b', X'00', X'04', 0), (5, 1, 'message:c', X'00', X'05', 0), (6, 1, 'audit:x', X'06', X'07', 0);
INSERT INTO envelope_keys (envelope_id, reader_key_id, sealed_key) VALUES (1, 1, X'11'), (1, 2, X'12'),
  (2, 1, X'21'), (2, 3, X'23'), (3, 2, X'32'), (4, 1, X'41'), (5, 2, X'52'), (6, 1, X'61');
INSERT INTO messages (id, case_id, at, author, envelope_id) VALUES (1, 1, 0, 'reporter', 3),
  (2, 1, 10, 'investigator', 4), (3, 1, 0, 'reporter', 5);
INSERT INTO case_events (id, case_id, at, kind, status, visible_to_reporter) VALUES
  (1, 1, 0, 'status', 'received', 1), (2, 2, 0, 'status', 'received', 1), (3, 1, 10, 'status', 'acknowledged', 1);
)sql");
  // Three audit entries in the form of their time: agency 1, agency 2, then
  // agency 1 again with a sealed detail (envelope 6).
  const crypto::SecureBytes pepper = crypto::SecureBytes::random(32);
  const AuditLog audit(pepper);
  const auto key = crypto::derive_subkey(pepper, "krasip/audit-chain/v1");
  storage::Blob prev1(32, 0);
  storage::Blob prev2 = crypto::keyed_hash(key, {crypto::as_bytes(std::string_view("genesis")),
                                                 crypto::as_bytes(std::string_view("2"))});
  std::string head_hex;
  const auto old_entry = [&](int id, int agency, std::optional<int> envelope) {
    storage::Blob& prev = agency == 1 ? prev1 : prev2;
    const std::string sid = std::to_string(id);
    const std::string action = "case.view";
    storage::Blob hash = envelope
        ? crypto::keyed_hash(key, {prev, crypto::as_bytes(sid), crypto::as_bytes(std::string_view("5")),
                                   crypto::as_bytes(std::string_view("-")), crypto::as_bytes(action),
                                   crypto::as_bytes(std::string_view("1")), crypto::as_bytes(std::string_view("")),
                                   crypto::as_bytes(std::to_string(*envelope)), storage::Blob{0x06},
                                   storage::Blob{0x07}})
        : crypto::keyed_hash(key, {prev, crypto::as_bytes(sid), crypto::as_bytes(std::string_view("5")),
                                   crypto::as_bytes(std::string_view("-")), crypto::as_bytes(action),
                                   crypto::as_bytes(std::string_view("1")), crypto::as_bytes(std::string_view(""))});
    auto st = db.prepare("INSERT INTO audit_log (id, at, actor_user_id, action, case_id, detail, prev_hash, hash,"
                         " detail_envelope_id, agency_id) VALUES (?, 5, NULL, ?, 1, '', ?, ?, ?, ?)");
    st.bind(1, id).bind(2, action).bind(3, prev).bind(4, hash).bind(5, envelope ? std::optional<std::int64_t>(*envelope)
                                                                               : std::nullopt);
    st.bind(6, agency);
    st.run();
    prev = hash;
    if (agency == 1) head_hex = crypto::to_hex(hash);
  };
  old_entry(1, 1, std::nullopt);
  old_entry(2, 2, std::nullopt);
  old_entry(3, 1, 6);
  REQUIRE(audit.verify(db, test::agency_one()).intact);

  REQUIRE(storage::migrate(db, storage::krasip_migrations()) == storage::krasip_migrations().back().version);

  // Nothing points nowhere, and nothing was lost.
  CHECK(ints(db, "SELECT count(*) FROM pragma_foreign_key_check").front() == 0);
  CHECK(ints(db, "SELECT count(*) FROM envelope_keys").front() == 8);
  // Renumbered: the reporters' keys, the envelopes no audit entry names,
  // messages and events; the investigator's key and envelope 6 keep theirs.
  CHECK(ints(db, "SELECT count(*) FROM reader_keys WHERE kind = 'reporter' AND id IN (2, 3)").front() == 0);
  CHECK(ints(db, "SELECT id FROM reader_keys WHERE kind = 'investigator'") == std::vector<std::int64_t>{1});
  CHECK(ints(db, "SELECT count(*) FROM envelopes WHERE id IN (1, 2, 3, 4, 5)").front() == 0);
  CHECK(ints(db, "SELECT id FROM envelopes WHERE field = 'audit:x'") == std::vector<std::int64_t>{6});
  CHECK(ints(db, "SELECT count(*) FROM messages WHERE id IN (1, 2, 3)").front() == 0);
  CHECK(ints(db, "SELECT count(*) FROM case_events WHERE id IN (1, 2, 3)").front() == 0);
  // The links followed: each case's reporter key still holds its complaint,
  // each message its envelope; the conversation keeps its order.
  CHECK(ints(db, "SELECT count(*) FROM cases c JOIN envelopes e ON e.case_id = c.id AND e.field = 'complaint'"
                 " JOIN envelope_keys k ON k.envelope_id = e.id AND k.reader_key_id = c.reporter_key_id")
            .front() == 2);
  std::vector<std::string> fields;
  {
    auto st = db.prepare("SELECT e.field FROM messages m JOIN envelopes e ON e.id = m.envelope_id ORDER BY m.ord");
    while (st.step()) fields.push_back(st.get_text(0));
  }
  CHECK(fields == std::vector<std::string>{"message:a", "message:b", "message:c"});
  CHECK(ints(db, "SELECT status = 'acknowledged' FROM case_events WHERE case_id = 1 ORDER BY ord") ==
        std::vector<std::int64_t>{0, 1});

  // The audit log: each agency counts its own entries; the chains verify, a
  // head published before (by the entry's id, 3) still matches, and the
  // next entry continues the count.
  CHECK(ints(db, "SELECT seq FROM audit_log WHERE agency_id = 1 ORDER BY seq") == std::vector<std::int64_t>{1, 2});
  CHECK(ints(db, "SELECT seq FROM audit_log WHERE agency_id = 2") == std::vector<std::int64_t>{1});
  const std::vector<AuditLog::PublishedHead> published{{3, head_hex}};
  const auto v = audit.verify(db, test::agency_one(), published);
  CHECK(v.intact);
  CHECK(v.head_id == 2);
  CHECK(v.all_published_match());
  storage::AgencyRow two;
  two.id = 2;
  CHECK(audit.verify(db, AgencyScope::of(two)).intact);
  audit.append(db, {kNow, std::nullopt, "case.view", 1, ""});
  const auto after = audit.verify(db, test::agency_one());
  CHECK(after.intact);
  CHECK(after.head_id == 3);
}
