// Channels (issue 10): the migration of a database written by the previous
// release into one default channel, and the rules an administrator's
// channel must follow.
#include <doctest/doctest.h>

#include "agency_one.hpp"

#include <algorithm>

#include "krasip/cases/audit/audit_log.hpp"
#include "krasip/cases/common/case_crypto.hpp"
#include "krasip/cases/common/case_error.hpp"
#include "krasip/cases/agencies/channel_service.hpp"
#include "krasip/cases/accounts/reader_directory.hpp"
#include "krasip/cases/triage/triage_service.hpp"
#include "krasip/crypto/key_pair.hpp"
#include "krasip/crypto/secure_bytes.hpp"
#include "krasip/storage/audit_store.hpp"
#include "krasip/storage/case_store.hpp"
#include "krasip/storage/channel_store.hpp"
#include "krasip/storage/database.hpp"
#include "krasip/storage/key_store.hpp"
#include "krasip/storage/migrations.hpp"
#include "krasip/storage/reader_pool.hpp"
#include "krasip/storage/triage_store.hpp"
#include "krasip/storage/user_store.hpp"
#include "temp_dir.hpp"

using namespace krasip;
using krasip::test::TempDir;

namespace {

constexpr std::int64_t kAt = 1764300000;  // 2025-11-28, fiscal year 2569

std::int64_t scalar(storage::Database& db, const std::string& sql) {
  auto st = db.prepare(sql);
  REQUIRE(st.step());
  return st.get_int(0);
}

struct Person {
  crypto::KeyPair keys = crypto::KeyPair::generate();
  std::int64_t key_id = 0;
  std::int64_t user_id = 0;
};

Person add_user(storage::Database& db, std::int64_t id, const std::string& name, bool custodian,
                bool disabled = false) {
  Person p;
  p.key_id = storage::key_store::insert_reader_key(db, "investigator", p.keys.public_key, 0);
  p.user_id = id;
  db.exec("INSERT INTO users (id, username, display_name, is_custodian, key_id, wrap_salt, wrap_nonce,"
          " wrapped_secret, pwhash_ops, pwhash_mem, created_at, disabled_at) VALUES (" +
          std::to_string(id) + ", '" + name + "', '" + name + "', " + (custodian ? "1" : "0") + ", " +
          std::to_string(p.key_id) + ", X'00', X'00', X'00', 1, 1, 0, " + (disabled ? "1" : "NULL") + ")");
  return p;
}

storage::Database open_db(const TempDir& dir) {
  storage::Database db(dir.path() / "krasip.db", storage::OpenMode::read_write_create);
  db.exec("PRAGMA foreign_keys = ON");
  return db;
}

const std::string kUid1 = "00112233445566778899aabbccddeeff";
const std::string kUid2 = "ffeeddccbbaa99887766554433221100";

storage::Blob uid_blob(const std::string& hex) {
  storage::Blob b;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    b.push_back(static_cast<std::uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return b;
}

void add_case(storage::Database& db, std::int64_t id, const std::string& uid, std::int64_t reporter_key) {
  const std::string t = std::to_string(kAt);
  db.exec("INSERT INTO cases (id, uid, case_number, fiscal_year, seq, code_hash, reporter_salt,"
          " reporter_key_id, category, status, has_identity, received_at, updated_at) VALUES (" +
          std::to_string(id) + ", X'" + uid + "', 'NH-2569-0000" + std::to_string(id) + "', 2569, " +
          std::to_string(id) + ", X'" + std::string(62, '0') + std::to_string(id) + "0', X'00', " +
          std::to_string(reporter_key) + ", 'bribery', 'received', 1, " + t + ", " + t + ")");
  // From schema 10 on, counts are kept per agency (this is agency 1's).
  db.exec(std::string(storage::schema_version(db) >= 10 ? "INSERT INTO case_counts VALUES (1, "
                                                         : "INSERT INTO case_counts VALUES (") +
          "2569, 11, 'bribery', 'received', 1) ON CONFLICT DO UPDATE SET n = n + 1");
}

bool opens(storage::Database& db, std::int64_t case_id, const Person& p, const std::string& uid,
           const std::string& expected) {
  const auto env = storage::case_store::envelope_for(db, case_id, "complaint", p.key_id);
  return env && cases::open_case_record(*env, uid_blob(uid), p.keys) == expected;
}

std::int64_t total(const std::vector<storage::CountRow>& rows) {
  std::int64_t n = 0;
  for (const auto& r : rows) n += r.n;
  return n;
}

}  // namespace

TEST_CASE("schema 6: a previous release's cases move into one default channel, readable by the same people") {
  TempDir dir("schema6");
  auto db = open_db(dir);
  REQUIRE(storage::migrate(db, storage::krasip_migrations().first(5)) == 5);

  // The previous release: every case sealed to every active investigator
  // at filing; bob was excluded from the second before it was granted.
  const auto recovery = crypto::KeyPair::generate();
  const auto rec_id = storage::key_store::insert_reader_key(db, "recovery", recovery.public_key, 0);
  const auto ann = add_user(db, 1, "ann_custodian", true);
  const auto bob = add_user(db, 2, "bob_officer", false);
  const auto cid = add_user(db, 3, "cid_left", false, true);  // disabled before the upgrade
  const auto reporter = crypto::KeyPair::generate();
  const auto rep_id = storage::key_store::insert_reader_key(db, "reporter", reporter.public_key, kAt);
  add_case(db, 1, kUid1, rep_id);
  add_case(db, 2, kUid2, rep_id);
  const std::vector<crypto::Reader> all{{rec_id, recovery.public_key}, {ann.key_id, ann.keys.public_key},
                                        {bob.key_id, bob.keys.public_key}, {rep_id, reporter.public_key}};
  const std::vector<crypto::Reader> identity{{rec_id, recovery.public_key}, {ann.key_id, ann.keys.public_key}};
  storage::case_store::insert_envelope(db, 1, cases::seal_case_record(uid_blob(kUid1), "complaint", "FIRST-CASE", all), kAt);
  storage::case_store::insert_envelope(db, 1, cases::seal_case_record(uid_blob(kUid1), "identity", "WHO-1", identity), kAt);
  const std::vector<crypto::Reader> without_bob{all[0], all[1], all[3]};
  storage::case_store::insert_envelope(db, 2, cases::seal_case_record(uid_blob(kUid2), "complaint", "SECOND-CASE", without_bob), kAt);
  storage::case_store::insert_envelope(db, 2, cases::seal_case_record(uid_blob(kUid2), "identity", "WHO-2", identity), kAt);
  db.exec("INSERT INTO case_exclusions (case_id, user_id, reason, excluded_by, at) VALUES (2, 2, '', 1, " +
          std::to_string(kAt) + ")");
  const auto keys_before = scalar(db, "SELECT count(*) FROM envelope_keys");

  REQUIRE(storage::migrate(db, storage::krasip_migrations()) == storage::krasip_migrations().back().version);

  // One channel, the current accounts in it; nothing lost, every case in it.
  const auto channels = storage::channel_store::list(db, 1);
  REQUIRE(channels.size() == 1);
  CHECK(channels[0].slug == "default");
  CHECK_FALSE(channels[0].readers_th.empty());
  CHECK_FALSE(channels[0].identity_readers_en.empty());
  const auto view = cases::ChannelService::list(db, test::agency_one());
  CHECK(view[0].recipients == std::vector<std::string>{"ann_custodian", "bob_officer"});
  CHECK(view[0].custodians == std::vector<std::string>{"ann_custodian"});
  CHECK(scalar(db, "SELECT count(*) FROM cases WHERE channel_id = 1") == 2);
  CHECK(scalar(db, "SELECT count(*) FROM envelope_keys") == keys_before);

  // The same people open each case as before; the excluded and the
  // disabled do not.
  CHECK(storage::triage_store::may_read(db, 1, ann.user_id, ann.key_id, 1));
  CHECK(storage::triage_store::may_read(db, 1, bob.user_id, bob.key_id, 1));
  CHECK(storage::triage_store::may_read(db, 2, ann.user_id, ann.key_id, 1));
  CHECK_FALSE(storage::triage_store::may_read(db, 2, bob.user_id, bob.key_id, 1));
  CHECK_FALSE(storage::triage_store::may_read(db, 1, cid.user_id, cid.key_id, 1));
  CHECK(opens(db, 1, bob, kUid1, "FIRST-CASE"));
  CHECK(opens(db, 2, ann, kUid2, "SECOND-CASE"));
  storage::CaseFilter all_cases;
  CHECK(storage::triage_store::list_cases(db, all_cases, {1}, ann.key_id, ann.user_id, 10, 0).size() == 2);
  CHECK(storage::triage_store::list_cases(db, all_cases, {1}, bob.key_id, bob.user_id, 10, 0).size() == 1);

  // Statistics: public whole, each investigator's what they may see.
  CHECK(total(storage::stats_store::counts(db, 1, 2569)) == 2);
  CHECK(total(storage::stats_store::counts_for_user(db, 2569, ann.user_id)) == 2);
  CHECK(total(storage::stats_store::counts_for_user(db, 2569, bob.user_id)) == 1);
  CHECK(total(storage::stats_store::counts_for_user(db, 2569, cid.user_id)) == 0);

  // New complaints go to the default channel's readers, without naming it.
  storage::ReaderPool pool(dir.path() / "krasip.db");
  cases::ReaderDirectory directory(pool);
  const auto set = directory.current(test::agency_one());
  const auto& chosen = set->choose(std::nullopt);
  CHECK(chosen.channel.slug == "default");
  CHECK(chosen.case_readers.size() == 3);      // recovery, ann, bob
  CHECK(chosen.identity_readers.size() == 2);  // recovery, ann
  CHECK_THROWS_AS(set->choose(std::string("no-such")), cases::CaseError);

  // Grants: never to someone outside the case's channel.
  auto eve = add_user(db, 4, "eve_outside", true);
  auto eve_row = storage::user_store::find_by_username(db, "eve_outside");
  CHECK(cases::grant_cases(db, recovery, rec_id, *eve_row).cases == 0);
  CHECK_FALSE(storage::triage_store::may_read(db, 1, eve.user_id, eve.key_id, 1));
  // Made a recipient, she is granted both cases, but no identity: she is
  // not the channel's custodian.
  storage::channel_store::set_members(db, 1, "recipient", {1, 2, 4});
  const auto g = cases::grant_cases(db, recovery, rec_id, *eve_row);
  CHECK(g.cases == 2);
  CHECK(opens(db, 1, eve, kUid1, "FIRST-CASE"));
  CHECK_FALSE(storage::case_store::envelope_for(db, 1, "identity", eve.key_id));
}

namespace {

struct ChannelFixture {
  TempDir dir{"channels"};
  storage::Database db = open_db(dir);
  crypto::SecureBytes pepper{32};
  cases::AuditLog audit{pepper};
  cases::ChannelService channels{audit};
  Person ann, bob, cid, dee;

  ChannelFixture() {
    REQUIRE(storage::migrate(db, storage::krasip_migrations()) == storage::krasip_migrations().back().version);
    ann = add_user(db, 1, "ann", true);
    bob = add_user(db, 2, "bob", false);
    cid = add_user(db, 3, "cid", false, true);  // disabled
    dee = add_user(db, 4, "dee", true);
  }

  cases::ChannelSpec valid() const {
    cases::ChannelSpec s;
    s.id = "executives";
    s.name_th = "ร้องเรียนผู้บริหาร";
    s.name_en = "About the executives";
    s.readers_th = "ที่ทำการปกครองอำเภอ";
    s.readers_en = "The district office";
    s.identity_readers_th = "เจ้าหน้าที่อำเภอ";
    s.identity_readers_en = "The district officer";
    s.recipients = std::vector<std::string>{"ann", "bob"};
    s.custodians = std::vector<std::string>{"ann"};
    return s;
  }

  // The field a refused channel is refused for.
  std::string refused(const cases::ChannelSpec& s) {
    try {
      channels.add(db, test::agency_one(), s, kAt);
    } catch (const cases::CaseError& e) {
      return e.field();
    }
    return "accepted";
  }
};

}  // namespace

TEST_CASE("channels: what an administrator must give, and who may be a member") {
  ChannelFixture f;
  auto s = f.valid();
  s.id.reset();
  CHECK(f.refused(s) == "id");
  s = f.valid();
  s.id = "Exec utives";
  CHECK(f.refused(s) == "id");
  for (auto field : {&cases::ChannelSpec::name_th, &cases::ChannelSpec::name_en, &cases::ChannelSpec::readers_th,
                     &cases::ChannelSpec::readers_en, &cases::ChannelSpec::identity_readers_th,
                     &cases::ChannelSpec::identity_readers_en}) {
    s = f.valid();
    s.*field = "   ";
    CHECK(f.refused(s) != "accepted");
  }
  s = f.valid();
  s.name_th.reset();
  CHECK(f.refused(s) == "name_th");
  s = f.valid();
  s.name_en = std::string(101, 'x');
  CHECK(f.refused(s) == "name_en");
  s = f.valid();
  s.recipients = std::vector<std::string>{};
  CHECK(f.refused(s) == "recipients");
  s = f.valid();
  s.recipients = std::vector<std::string>{"ann", "cid"};  // disabled
  CHECK(f.refused(s) == "recipients");
  s = f.valid();
  s.recipients = std::vector<std::string>{"ann", "nobody"};
  CHECK(f.refused(s) == "recipients");
  s = f.valid();
  s.custodians.reset();
  CHECK(f.refused(s) == "custodians");
  s = f.valid();
  s.custodians = std::vector<std::string>{"bob"};  // not a designated custodian
  CHECK(f.refused(s) == "custodians");
  s = f.valid();
  s.custodians = std::vector<std::string>{"dee"};  // custodian, but not a recipient
  CHECK(f.refused(s) == "custodians");

  CHECK(f.refused(f.valid()) == "accepted");
  CHECK(f.refused(f.valid()) == "id");  // taken
  const auto list = cases::ChannelService::list(f.db, test::agency_one());
  REQUIRE(list.size() == 2);  // default + executives
  CHECK(list[1].channel.slug == "executives");
  CHECK(list[1].recipients == std::vector<std::string>{"ann", "bob"});
  CHECK(list[1].custodians == std::vector<std::string>{"ann"});
  CHECK(f.audit.verify(f.db, cases::AgencyScope::of(storage::AgencyRow{})).intact);
}

TEST_CASE("channels: an edit keeps what it does not name, and whoever leaves loses their keys") {
  ChannelFixture f;
  const auto v = f.channels.add(f.db, test::agency_one(), f.valid(), kAt);
  // A case in the channel, readable by ann and bob; identity ann's.
  const auto rep = crypto::KeyPair::generate();
  const auto rep_id = storage::key_store::insert_reader_key(f.db, "reporter", rep.public_key, kAt);
  add_case(f.db, 1, kUid1, rep_id);
  f.db.exec("UPDATE cases SET channel_id = " + std::to_string(v.channel.id));
  const std::vector<crypto::Reader> readers{{f.ann.key_id, f.ann.keys.public_key},
                                            {f.bob.key_id, f.bob.keys.public_key}};
  storage::case_store::insert_envelope(f.db, 1, cases::seal_case_record(uid_blob(kUid1), "complaint", "X", readers), kAt);
  storage::case_store::insert_envelope(f.db, 1, cases::seal_case_record(uid_blob(kUid1), "identity", "WHO", readers), kAt);
  CHECK(storage::triage_store::may_read(f.db, 1, f.bob.user_id, f.bob.key_id, 1));

  cases::ChannelSpec rename;
  rename.name_en = "Executives";
  const auto renamed = f.channels.edit(f.db, test::agency_one(), "executives", rename, kAt + 1);
  CHECK(renamed.channel.name_en == "Executives");
  CHECK(renamed.channel.name_th == "ร้องเรียนผู้บริหาร");
  CHECK(renamed.recipients == std::vector<std::string>{"ann", "bob"});

  cases::ChannelSpec drop_bob;
  drop_bob.recipients = std::vector<std::string>{"ann"};
  f.channels.edit(f.db, test::agency_one(), "executives", drop_bob, kAt + 2);
  CHECK_FALSE(storage::triage_store::may_read(f.db, 1, f.bob.user_id, f.bob.key_id, 1));
  CHECK(scalar(f.db, "SELECT count(*) FROM envelope_keys WHERE reader_key_id = " + std::to_string(f.bob.key_id)) == 0);
  CHECK(storage::triage_store::may_read(f.db, 1, f.ann.user_id, f.ann.key_id, 1));

  cases::ChannelSpec bad_id;
  bad_id.id = "other";
  CHECK_THROWS_AS(f.channels.edit(f.db, test::agency_one(), "executives", bad_id, kAt + 3), cases::CaseError);
  CHECK_THROWS_AS(f.channels.edit(f.db, test::agency_one(), "nope", rename, kAt + 3), cases::CaseError);
}
