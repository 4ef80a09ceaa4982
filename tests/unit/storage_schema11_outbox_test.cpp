// Schema 11 (issue 12): a schema-10 database gains an empty outbox, mail
// settings and alert preferences; the outbox store queues, deduplicates,
// hands out due mails, reschedules and marks sent.
#include <doctest/doctest.h>

#include <algorithm>

#include "krasip/storage/database.hpp"
#include "krasip/storage/mail_store.hpp"
#include "krasip/storage/migrations.hpp"
#include "temp_dir.hpp"

using namespace krasip;
using krasip::test::TempDir;
namespace ob = storage::outbox_store;

namespace {
std::int64_t scalar(storage::Database& db, const char* sql) {
  auto st = db.prepare(sql);
  REQUIRE(st.step());
  return st.get_int(0);
}
}  // namespace

TEST_CASE("schema 11: a schema-10 database gains an empty outbox; the outbox queues and retries") {
  TempDir dir("schema11");
  storage::Database db(dir.path() / "krasip.db", storage::OpenMode::read_write_create);
  db.exec("PRAGMA foreign_keys = ON");
  REQUIRE(storage::migrate(db, storage::krasip_migrations().first(10)) == 10);
  REQUIRE(storage::migrate(db, storage::krasip_migrations()) >= 11);
  CHECK(scalar(db, "SELECT count(*) FROM outbox") == 0);
  CHECK(scalar(db, "SELECT count(*) FROM mail_settings") == 0);
  CHECK(scalar(db, "SELECT count(*) FROM alert_prefs") == 0);
  CHECK_THROWS(db.exec("INSERT INTO outbox (agency_id, recipient, subject, body, next_attempt_at, created_at)"
                       " VALUES (99, 'a@b.c', 's', 'b', 0, 0)"));  // no such agency

  const std::int64_t t = 1764300000;
  CHECK(ob::enqueue(db, {1, std::nullopt, "a@b.go.th", "s1", "b1"}, t));
  CHECK_FALSE(ob::enqueue(db, {1, std::nullopt, "a@b.go.th", "s1", "b1"}, t + 5));  // the same, still waiting
  CHECK(ob::enqueue(db, {1, std::nullopt, "c@b.go.th", "s1", "b1"}, t + 1));
  CHECK(ob::unsent_count(db, t + 2) == 2);
  CHECK(ob::unsent_count(db, t + 1) == 1);  // as it stood then: only the first was queued
  CHECK(ob::unsent_count(db, t) == 0);

  auto due = ob::due(db, t + 1, 10);
  REQUIRE(due.size() == 2);
  CHECK(due[0].recipient == "a@b.go.th");
  ob::reschedule(db, due[0].id, t + 31, "SMTP server unreachable");
  due = ob::due(db, t + 2, 10);
  REQUIRE(due.size() == 1);
  CHECK(due[0].recipient == "c@b.go.th");
  CHECK(*ob::next_due_in(db, t + 2) == 0);
  ob::mark_sent(db, due[0].id, t + 2);
  CHECK(*ob::next_due_in(db, t + 2) == 29);
  CHECK(ob::due(db, t + 30, 10).empty());
  due = ob::due(db, t + 31, 10);
  REQUIRE(due.size() == 1);
  CHECK(due[0].attempts == 1);

  auto s = ob::summary(db, 1, t + 3);
  CHECK(s.unsent == 1);
  CHECK(*s.oldest_unsent_at == t);
  CHECK(*s.last_error == "SMTP server unreachable");
  CHECK(*s.last_sent_at == t + 2);
  // As it stood before the send: both waiting, nothing sent yet.
  s = ob::summary(db, 1, t + 2);
  CHECK(s.unsent == 2);
  CHECK_FALSE(s.last_sent_at.has_value());
  // Before either was queued: nothing, not even the later error.
  s = ob::summary(db, 1, t);
  CHECK(s.unsent == 0);
  CHECK_FALSE(s.oldest_unsent_at.has_value());
  CHECK_FALSE(s.last_error.has_value());
  CHECK(ob::summary(db, 2, t + 3).unsent == 0);  // another agency's mail is not counted
  // Once sent, the same mail may be queued again (a later event).
  CHECK(ob::enqueue(db, {1, std::nullopt, "c@b.go.th", "s1", "b1"}, t + 40));
  ob::mark_sent(db, due[0].id, t + 41);
  CHECK(ob::purge_sent(db, t + 10) == 1);  // the one sent at t + 2
  CHECK(ob::unsent_count(db, t + 50) == 1);
  CHECK(ob::unsent_count(db, t + 41) == 2);  // the first was sent at t + 41, not before
}

TEST_CASE("schema 24: a batched alert keeps the day only and a random id, waits for its batch, and moves with new times") {
  TempDir dir("schema24");
  storage::Database db(dir.path() / "krasip.db", storage::OpenMode::read_write_create);
  db.exec("PRAGMA foreign_keys = ON");
  REQUIRE(storage::migrate(db, storage::krasip_migrations().first(10)) == 10);
  REQUIRE(storage::migrate(db, storage::krasip_migrations()) >= 24);
  const std::int64_t day = 1764262800;       // 2025-11-28 00:00 Bangkok
  const std::int64_t batch = day + 48600;    // 13:30
  CHECK(ob::enqueue(db, {1, std::nullopt, "x@b.go.th", "verify", "b"}, day + 100));  // not batched
  CHECK(ob::enqueue_batched(db, {1, std::nullopt, "a@b.go.th", "s1", "b1"}, day, batch));
  CHECK_FALSE(ob::enqueue_batched(db, {1, std::nullopt, "a@b.go.th", "s1", "b1"}, day, batch));  // the same, waiting
  CHECK(ob::enqueue_batched(db, {1, std::nullopt, "c@b.go.th", "s1", "b1"}, day, batch));
  CHECK(scalar(db, "SELECT count(*) FROM outbox WHERE batched = 1 AND created_at = 1764262800") == 2);
  // Random 63-bit ids: not after the row written before them.
  CHECK(scalar(db, "SELECT count(*) FROM outbox WHERE batched = 1 AND id > 4294967296") == 2);
  auto due = ob::due(db, batch - 1, 10);
  REQUIRE(due.size() == 1);  // only the verification
  CHECK_FALSE(due[0].batched);
  due = ob::due(db, batch, 10);
  REQUIRE(due.size() == 3);
  CHECK(std::count_if(due.begin(), due.end(), [](const ob::MailRow& m) { return m.batched && m.next_attempt_at == batch; }) == 2);
  // New times at 12:00: what waits for a later batch moves to the new one; what is due stays due.
  CHECK(ob::rebatch(db, 1, day + 12 * 3600, day + 15 * 3600) == 2);
  CHECK(ob::due(db, batch, 10).size() == 1);
  CHECK(ob::due(db, day + 15 * 3600, 10).size() == 3);
  CHECK(ob::rebatch(db, 1, day + 15 * 3600, day + 16 * 3600) == 0);
  CHECK(ob::rebatch(db, 2, day, day + 16 * 3600) == 0);  // another agency's mail is not touched
}
