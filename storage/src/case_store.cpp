#include "krasip/storage/case_store.hpp"

#include <cstdio>
#include <initializer_list>

#include "krasip/storage/channel_store.hpp"
#include "krasip/storage/database.hpp"
#include "krasip/storage/key_store.hpp"

namespace krasip::storage::case_store {

namespace {

constexpr const char* kCaseColumns =
    "id, uid, case_number, fiscal_year, status, priority, category, assignee_id, has_identity,"
    " received_at, updated_at, reporter_salt, reporter_key_id, acknowledged_at, first_reply_at,"
    " outcome_at, channel_id, agency_id, source";

}  // namespace

CaseRow read_case(const Statement& st) {
  CaseRow r;
  r.id = st.get_int(0);
  r.uid = st.get_blob(1);
  r.case_number = st.get_text(2);
  r.fiscal_year = static_cast<int>(st.get_int(3));
  r.status = st.get_text(4);
  r.priority = st.get_text(5);
  r.category = st.get_text(6);
  r.assignee_id = st.get_optional_int(7);
  r.has_identity = st.get_int(8) != 0;
  r.received_at = st.get_int(9);
  r.updated_at = st.get_int(10);
  r.reporter_salt = st.get_blob(11);
  r.reporter_key_id = st.get_int(12);
  r.acknowledged_at = st.get_optional_int(13);
  r.first_reply_at = st.get_optional_int(14);
  r.outcome_at = st.get_optional_int(15);
  r.channel_id = st.get_optional_int(16);
  r.agency_id = st.get_int(17);
  r.source = st.get_text(18);
  return r;
}

namespace {
// PREFIX-YEAR-NNNNN in the agency's first channel, PREFIX-CODE-YEAR-NNNNN
// in the others (schema 20). Prefixes are capital letters only and codes
// letters, so no two agencies' or channels' numbers can meet; the column is
// UNIQUE besides.
std::string format_case_number(const std::string& prefix, const std::string& channel_code,
                               int fiscal_year, std::int64_t seq) {
  char buf[96];
  const std::string head = channel_code.empty() ? prefix : prefix + "-" + channel_code;
  std::snprintf(buf, sizeof buf, "%s-%d-%05lld", head.c_str(), fiscal_year, static_cast<long long>(seq));
  return buf;
}

// MAX(...) + 1 of a number column over the rows that match the values.
std::int64_t next_value(Database& db, const char* sql, std::initializer_list<std::int64_t> values) {
  auto st = db.cached(sql);
  int i = 0;
  for (const auto v : values) st->bind(++i, v);
  return st->step() ? st->get_int(0) : 1;
}

}  // namespace

std::string insert_case(Database& db, const NewCase& c) {
  const std::int64_t reporter_key =
      key_store::insert_reader_key(db, "reporter", c.reporter_public_key, c.received_at);

  // The case belongs to its channel's agency and takes that channel's next
  // number of the fiscal year (issue 20: a gap in one channel's list says
  // nothing about another's). seq (per year) and agency_seq (per agency and
  // year) are kept for their unique indexes; neither is shown.
  std::int64_t agency_id = 1;
  {
    auto st = db.cached("SELECT agency_id FROM channels WHERE id = ?");
    st->bind(1, c.channel_id);
    if (st->step()) agency_id = st->get_int(0);
  }
  const std::int64_t seq = next_value(
      db, "SELECT COALESCE(MAX(seq), 0) + 1 FROM cases WHERE fiscal_year = ?", {c.fiscal_year});
  const std::int64_t agency_seq = next_value(
      db, "SELECT COALESCE(MAX(agency_seq), 0) + 1 FROM cases WHERE agency_id = ? AND fiscal_year = ?",
      {agency_id, c.fiscal_year});
  const std::int64_t channel_seq = next_value(
      db, "SELECT COALESCE(MAX(channel_seq), 0) + 1 FROM cases WHERE number_channel_id = ? AND fiscal_year = ?",
      {c.channel_id, c.fiscal_year});
  const auto agency = key_store::load_agency(db, agency_id);
  const std::string number = format_case_number(agency ? agency->case_prefix : "C",
                                                channel_store::number_code(db, c.channel_id),
                                                c.fiscal_year, channel_seq);

  std::int64_t case_id = 0;
  {
    auto st = db.cached(
        "INSERT INTO cases (id, uid, case_number, fiscal_year, seq, code_hash, reporter_salt,"
        " reporter_key_id, category, status, has_identity, received_at, updated_at, channel_id,"
        " agency_id, agency_seq, source, number_channel_id, channel_seq)"
        " VALUES (random() & 0x3FFFFFFFFFFFFFFF, ?,?,?,?,?,?,?,?,'received',?,?,?,?,?,?,?,?,?)");
    st->bind(1, c.uid).bind(2, number).bind(3, c.fiscal_year).bind(4, seq);
    st->bind(5, c.code_hash).bind(6, c.reporter_salt).bind(7, reporter_key);
    st->bind(8, c.category).bind(9, c.has_identity ? 1 : 0);
    st->bind(10, c.received_at).bind(11, c.received_at).bind(12, c.channel_id);
    st->bind(13, agency_id).bind(14, agency_seq).bind(15, c.source);
    st->bind(16, c.channel_id).bind(17, channel_seq);
    st->run();
    case_id = db.last_insert_rowid();
  }
  for (const auto& env : c.envelopes) insert_envelope(db, case_id, env, c.received_at, reporter_key);
  {
    auto st = db.cached(
        "INSERT INTO case_events (id, case_id, at, kind, status, visible_to_reporter, ord)"
        " VALUES (random() & 0x3FFFFFFFFFFFFFFF, ?1, ?2, 'status', 'received', 1,"
        " (SELECT COALESCE(MAX(ord), 0) + 1 FROM case_events WHERE case_id = ?1))");
    st->bind(1, case_id).bind(2, c.received_at);
    st->run();
  }
  adjust_count(db, case_id, +1);
  return number;
}

void adjust_count(Database& db, std::int64_t case_id, int delta) {
  auto st = db.cached(
      "INSERT INTO case_counts (agency_id, fiscal_year, month, category, status, n)"
      " SELECT agency_id, fiscal_year,"
      "        CAST(strftime('%m', received_at + 25200, 'unixepoch') AS INTEGER), category, status, ?"
      " FROM cases WHERE id = ?"
      " ON CONFLICT (agency_id, fiscal_year, month, category, status) DO UPDATE SET n = n + excluded.n");
  st->bind(1, delta).bind(2, case_id);
  st->run();
  // The same per channel, for the statistics an investigator sees.
  auto ch = db.cached(
      "INSERT INTO channel_counts (channel_id, fiscal_year, month, category, status, n)"
      " SELECT channel_id, fiscal_year,"
      "        CAST(strftime('%m', received_at + 25200, 'unixepoch') AS INTEGER), category, status, ?"
      " FROM cases WHERE id = ? AND channel_id IS NOT NULL"
      " ON CONFLICT (fiscal_year, channel_id, month, category, status) DO UPDATE SET n = n + excluded.n");
  ch->bind(1, delta).bind(2, case_id);
  ch->run();
}

std::int64_t insert_envelope(Database& db, std::int64_t case_id, const EnvelopeRow& env,
                             std::int64_t at, std::int64_t reporter_key) {
  {
    auto st = db.cached(
        "INSERT INTO envelopes (id, case_id, field, nonce, ciphertext, created_at)"
        " VALUES (random() & 0x3FFFFFFFFFFFFFFF, ?,?,?,?,?)");
    st->bind(1, case_id).bind(2, env.field).bind(3, env.nonce).bind(4, env.ciphertext);
    st->bind(5, at);
    st->run();
  }
  const std::int64_t envelope_id = db.last_insert_rowid();
  for (const auto& k : env.keys) {
    auto st = db.cached(
        "INSERT INTO envelope_keys (envelope_id, reader_key_id, sealed_key) VALUES (?,?,?)");
    st->bind(1, envelope_id);
    st->bind(2, k.reader_key_id == kThisCaseReporter ? reporter_key : k.reader_key_id);
    st->bind(3, k.sealed);
    st->run();
  }
  return envelope_id;
}

std::vector<ReaderKeyRow> complaint_readers(Database& db, std::int64_t case_id) {
  auto st = db.cached(
      "SELECT r.id, r.kind, r.public_key, u.id, COALESCE(u.is_custodian, 0)"
      " FROM envelopes e JOIN envelope_keys k ON k.envelope_id = e.id"
      " JOIN reader_keys r ON r.id = k.reader_key_id LEFT JOIN users u ON u.key_id = r.id"
      " WHERE e.case_id = ? AND e.field = 'complaint' AND r.retired_at IS NULL"
      " AND (u.id IS NULL OR u.disabled_at IS NULL) ORDER BY r.id");
  st->bind(1, case_id);
  std::vector<ReaderKeyRow> out;
  while (st->step()) {
    out.push_back({st->get_int(0), st->get_text(1), st->get_blob(2), st->get_optional_int(3),
                   st->get_int(4) != 0});
  }
  return out;
}

std::optional<CaseRow> find_by_code_hash(Database& db, BlobView code_hash) {
  static const std::string sql =
      std::string("SELECT ") + kCaseColumns + " FROM cases WHERE code_hash = ?";
  auto st = db.cached(sql.c_str());
  st->bind(1, code_hash);
  if (!st->step()) return std::nullopt;
  return read_case(*st);
}

std::optional<CaseRow> find_by_id(Database& db, std::int64_t case_id) {
  static const std::string sql = std::string("SELECT ") + kCaseColumns + " FROM cases WHERE id = ?";
  auto st = db.cached(sql.c_str());
  st->bind(1, case_id);
  if (!st->step()) return std::nullopt;
  return read_case(*st);
}

std::optional<CaseRow> find_by_number(Database& db, const std::string& case_number) {
  static const std::string sql =
      std::string("SELECT ") + kCaseColumns + " FROM cases WHERE case_number = ?";
  auto st = db.cached(sql.c_str());
  st->bind(1, case_number);
  if (!st->step()) return std::nullopt;
  return read_case(*st);
}

std::optional<ReadableEnvelope> envelope_for(Database& db, std::int64_t case_id,
                                             const std::string& field,
                                             std::int64_t reader_key_id) {
  auto st = db.cached(
      "SELECT e.id, e.field, e.nonce, e.ciphertext, k.sealed_key FROM envelopes e"
      " JOIN envelope_keys k ON k.envelope_id = e.id AND k.reader_key_id = ?"
      " WHERE e.case_id = ? AND e.field = ?");
  st->bind(1, reader_key_id).bind(2, case_id).bind(3, field);
  if (!st->step()) return std::nullopt;
  return ReadableEnvelope{st->get_int(0), st->get_text(1), st->get_blob(2), st->get_blob(3),
                          st->get_blob(4)};
}

std::vector<EventRow> events(Database& db, std::int64_t case_id, bool reporter_visible_only) {
  auto st = db.cached(
      "SELECT at, kind, status FROM case_events WHERE case_id = ?"
      " AND (visible_to_reporter = 1 OR ? = 0) ORDER BY ord");
  st->bind(1, case_id).bind(2, reporter_visible_only ? 1 : 0);
  std::vector<EventRow> out;
  while (st->step()) out.push_back({st->get_int(0), st->get_text(1), st->get_optional_text(2)});
  return out;
}

std::vector<MessageRow> messages_for(Database& db, std::int64_t case_id,
                                     std::int64_t reader_key_id) {
  auto st = db.cached(
      "SELECT m.id, m.at, m.author, e.id, e.field, e.nonce, e.ciphertext, k.sealed_key"
      " FROM messages m JOIN envelopes e ON e.id = m.envelope_id"
      " JOIN envelope_keys k ON k.envelope_id = e.id AND k.reader_key_id = ?"
      " WHERE m.case_id = ? ORDER BY m.ord");
  st->bind(1, reader_key_id).bind(2, case_id);
  std::vector<MessageRow> out;
  while (st->step()) {
    out.push_back({st->get_int(0), st->get_int(1), st->get_text(2),
                   ReadableEnvelope{st->get_int(3), st->get_text(4), st->get_blob(5),
                                    st->get_blob(6), st->get_blob(7)}});
  }
  return out;
}

}  // namespace krasip::storage::case_store
