#include "krasip/storage/triage_store.hpp"

#include <algorithm>
#include <string>

#include "krasip/storage/case_store.hpp"
#include "krasip/storage/database.hpp"
#include "krasip/storage/key_store.hpp"
#include "krasip/storage/two_person_store.hpp"

namespace krasip::storage::triage_store {

namespace {
// Overdue once the due day is over (deadlines_for): received before
// now - (days + 1) days + 1 s, with the case's agency's own days.
// ?5 now, ?6/?7/?15 the deployment's acknowledge, reply and outcome days.
const std::string kOverdue =
    "EXISTS (SELECT 1 FROM agencies a WHERE a.id = c.agency_id AND ("
    "   (c.status = 'received' AND c.received_at < ?5 - (COALESCE(a.ack_days, ?6) + 1) * 86400 + 1)"
    "   OR (c.first_reply_at IS NULL"
    "       AND c.received_at < ?5 - (COALESCE(a.reply_days, ?7) + 1) * 86400 + 1"
    "       AND c.status NOT IN ('substantiated','unsubstantiated','referred','rejected','closed'))"
    "   OR (c.status IN ('received','acknowledged','investigating')"
    "       AND c.received_at < ?5 - (COALESCE(a.outcome_days, ?15) + 1) * 86400 + 1)))";
// What a reader may list (as may_read): a key (?8) to the complaint, not
// excluded, a recipient (?9) of the case's channel.
const std::string kReadable =
    " AND EXISTS (SELECT 1 FROM envelopes e JOIN envelope_keys k ON k.envelope_id = e.id"
    "   WHERE e.case_id = c.id AND e.field = 'complaint' AND k.reader_key_id = ?8)"
    " AND NOT EXISTS (SELECT 1 FROM case_exclusions x WHERE x.case_id = c.id AND x.user_id = ?9)"
    " AND EXISTS (SELECT 1 FROM channel_members m WHERE m.channel_id = c.channel_id"
    "   AND m.role = 'recipient' AND m.user_id = ?9)";

void bind_overdue(Statement& st, const CaseFilter& f) {
  st.bind(5, f.overdue_at).bind(6, f.default_ack_days);
  st.bind(7, f.default_reply_days).bind(15, f.default_outcome_days);
}

std::string json_list(const std::vector<std::int64_t>& ids) {
  std::string list = "[";
  for (const auto id : ids) list += (list.size() > 1 ? "," : "") + std::to_string(id);
  return list + "]";
}
}  // namespace

std::vector<CaseRow> list_cases(Database& db, const CaseFilter& f,
                                const std::vector<std::int64_t>& agency_ids,
                                std::int64_t reader_key_id, std::int64_t user_id, std::int64_t limit,
                                std::int64_t offset) {
  // Absent filters are bound as NULL and drop out. The keyset bound
  // (`after=`) gets its own statement: as a plain range on received_at it
  // lets SQLite seek into the index; written as "?12 IS NULL OR ..." it
  // would make every deep page scan the index from the newest case down.
  // The agency comes first in the index (issue 11), so a page costs the
  // same whether the deployment holds one agency or thousands: one agency
  // (the usual account) seeks straight to its own newest case; several (an
  // account of a supervising agency named in channels below it) are a
  // short list read from a JSON array.
  if (agency_ids.empty()) return {};
  static const std::string kColumns =
      "SELECT c.id, c.uid, c.case_number, c.fiscal_year, c.status, c.priority, c.category,"
      " c.assignee_id, c.has_identity, c.received_at, c.updated_at, c.reporter_salt,"
      " c.reporter_key_id, c.acknowledged_at, c.first_reply_at, c.outcome_at, c.channel_id,"
      " c.agency_id, c.source FROM cases c INDEXED BY cases_agency_newest";
  static const std::string kFilters =
      " AND (?1 IS NULL OR c.status = ?1) AND (?2 IS NULL OR c.category = ?2)"
      " AND (?3 IS NULL OR c.assignee_id = ?3)"
      " AND (?4 = 0 OR " +
      kOverdue + ")" + kReadable +
      // Last, after what the index answers: one flood batch (issue 22), or
      // the cases of none.
      " AND (?16 IS NULL OR c.flood_batch_id = ?16) AND (?17 = 0 OR c.flood_batch_id IS NULL)";
  static const std::string kKeyset = " AND c.received_at <= ?12 AND (c.received_at < ?12 OR c.id < ?13)";
  static const std::string kTail = " ORDER BY c.received_at DESC, c.id DESC LIMIT ?10 OFFSET ?11";
  static const std::string kOne = " WHERE c.agency_id = ?14";
  static const std::string kMany = " WHERE c.agency_id IN (SELECT value FROM json_each(?14))";
  static const std::string sql[2][2] = {
      {kColumns + kOne + kFilters + kTail, kColumns + kOne + kFilters + kKeyset + kTail},
      {kColumns + kMany + kFilters + kTail, kColumns + kMany + kFilters + kKeyset + kTail}};
  const bool keyset = f.before_received_at.has_value();
  const bool many = agency_ids.size() > 1;
  auto st = db.cached(sql[many ? 1 : 0][keyset ? 1 : 0].c_str());
  st->bind(1, f.status).bind(2, f.category).bind(3, f.assignee_id);
  st->bind(4, f.overdue_only ? 1 : 0);
  bind_overdue(*st, f);
  st->bind(8, reader_key_id).bind(9, user_id);
  st->bind(16, f.flood_batch_id).bind(17, f.without_batched ? 1 : 0);
  st->bind(10, limit).bind(11, offset);
  if (keyset) st->bind(12, *f.before_received_at).bind(13, f.before_id.value_or(0));
  if (many) {
    st->bind(14, json_list(agency_ids));
  } else {
    st->bind(14, agency_ids.front());
  }
  std::vector<CaseRow> out;
  while (st->step()) out.push_back(case_store::read_case(*st));
  return out;
}

std::vector<BatchSummaryRow> batch_summaries(Database& db, const CaseFilter& f,
                                             const std::vector<std::int64_t>& agency_ids, std::int64_t reader_key_id,
                                             std::int64_t user_id, std::int64_t limit) {
  if (agency_ids.empty()) return {};
  // The partial index holds only batched cases: the cost is the agency's
  // batched cases, however many others it has.
  static const std::string sql =
      "SELECT b.uid, count(*), sum(c.status IN ('received','acknowledged','investigating')),"
      " sum(" +
      kOverdue +
      "), b.day, b.id"
      " FROM cases c INDEXED BY cases_flood_batch JOIN flood_batches b ON b.id = c.flood_batch_id"
      " WHERE c.agency_id IN (SELECT value FROM json_each(?14)) AND c.flood_batch_id IS NOT NULL" +
      kReadable + " GROUP BY b.id ORDER BY b.day DESC, b.id DESC LIMIT ?10";
  auto st = db.cached(sql.c_str());
  bind_overdue(*st, f);
  st->bind(8, reader_key_id).bind(9, user_id).bind(10, limit);
  st->bind(14, json_list(agency_ids));
  std::vector<BatchSummaryRow> out;
  while (st->step()) {
    out.push_back({st->get_blob(0), st->get_int(1), st->get_int(2), st->get_int(3), st->get_int(4), st->get_int(5)});
  }
  return out;
}

std::vector<std::int64_t> listed_agencies(Database& db, std::int64_t user_id, std::int64_t own_agency_id) {
  auto st = db.cached(
      "SELECT DISTINCT ch.agency_id FROM channel_members m JOIN channels ch ON ch.id = m.channel_id"
      " WHERE m.user_id = ? AND m.role = 'recipient' ORDER BY ch.agency_id");
  st->bind(1, user_id);
  std::vector<std::int64_t> out;
  while (st->step()) out.push_back(st->get_int(0));
  if (std::find(out.begin(), out.end(), own_agency_id) == out.end()) out.push_back(own_agency_id);
  return out;
}

bool can_open(Database& db, std::int64_t case_id, std::int64_t reader_key_id) {
  auto st = db.cached(
      "SELECT 1 FROM envelopes e JOIN envelope_keys k ON k.envelope_id = e.id"
      " WHERE e.case_id = ? AND e.field = 'complaint' AND k.reader_key_id = ?");
  st->bind(1, case_id).bind(2, reader_key_id);
  return st->step();
}

bool may_read(Database& db, std::int64_t case_id, std::int64_t user_id, std::int64_t reader_key_id,
              std::int64_t agency_id) {
  // As list_cases: a key to the complaint, a recipient of the case's
  // channel, not excluded. One indexed lookup each.
  auto st = db.cached(
      "SELECT c.agency_id FROM cases c"
      " JOIN channel_members m ON m.channel_id = c.channel_id AND m.role = 'recipient'"
      "   AND m.user_id = ?2"
      " WHERE c.id = ?1"
      " AND EXISTS (SELECT 1 FROM envelopes e JOIN envelope_keys k ON k.envelope_id = e.id"
      "   WHERE e.case_id = c.id AND e.field = 'complaint' AND k.reader_key_id = ?3)"
      " AND NOT EXISTS (SELECT 1 FROM case_exclusions x WHERE x.case_id = c.id AND x.user_id = ?2)");
  st->bind(1, case_id).bind(2, user_id).bind(3, reader_key_id);
  if (!st->step()) return false;
  // And the account is of the case's agency or of one above it (issue 11):
  // a key and a membership alone never cross into an unrelated agency,
  // whatever a bug elsewhere let into channel_members.
  const std::int64_t case_agency = st->get_int(0);
  if (case_agency == agency_id) return true;
  const auto up = key_store::ancestors(db, case_agency);
  return std::find(up.begin(), up.end(), agency_id) != up.end();
}

bool is_excluded(Database& db, std::int64_t case_id, std::int64_t user_id) {
  auto st = db.cached("SELECT 1 FROM case_exclusions WHERE case_id = ? AND user_id = ?");
  st->bind(1, case_id).bind(2, user_id);
  return st->step();
}

namespace {
// Columns `first`.. of a LEFT JOIN on an envelope and one reader's key to it.
std::optional<ReadableEnvelope> sealed_at(const Statement& st, int first) {
  if (!st.get_optional_int(first + 4)) return std::nullopt;  // no key for this reader
  return ReadableEnvelope{st.get_int(first), st.get_text(first + 1), st.get_blob(first + 2),
                          st.get_blob(first + 3), st.get_blob(first + 5)};
}
}  // namespace

std::vector<ExclusionRow> exclusions(Database& db, std::int64_t case_id, std::int64_t reader_key_id) {
  auto st = db.cached(
      "SELECT x.user_id, u.username, x.reason, x.excluded_by, x.at,"
      " e.id, e.field, e.nonce, e.ciphertext, k.reader_key_id, k.sealed_key,"
      " x.approved_by, COALESCE(b.username, ''), COALESCE(a.username, '')"
      " FROM case_exclusions x JOIN users u ON u.id = x.user_id"
      " LEFT JOIN users b ON b.id = x.excluded_by LEFT JOIN users a ON a.id = x.approved_by"
      " LEFT JOIN envelopes e ON e.id = x.reason_envelope_id"
      " LEFT JOIN envelope_keys k ON k.envelope_id = e.id AND k.reader_key_id = ?2"
      " WHERE x.case_id = ?1 ORDER BY x.at, x.user_id");
  st->bind(1, case_id).bind(2, reader_key_id);
  std::vector<ExclusionRow> out;
  while (st->step()) {
    out.push_back({st->get_int(0), st->get_text(1), st->get_text(2), st->get_optional_int(3),
                   st->get_int(4), sealed_at(*st, 5), st->get_optional_int(11), st->get_text(12),
                   st->get_text(13)});
  }
  return out;
}

void exclude(Database& db, std::int64_t case_id, std::int64_t user_id, std::int64_t key_id,
             std::optional<std::int64_t> reason_envelope_id, std::optional<std::int64_t> by,
             std::int64_t at, std::optional<std::int64_t> approved_by) {
  {
    auto st = db.cached(
        "INSERT OR IGNORE INTO case_exclusions (case_id, user_id, reason, excluded_by, at,"
        " reason_envelope_id, approved_by) VALUES (?,?,'',?,?,?,?)");
    st->bind(1, case_id).bind(2, user_id).bind(3, by).bind(4, at).bind(5, reason_envelope_id);
    st->bind(6, approved_by);
    st->run();
  }
  drop_exclusion_request(db, case_id, user_id);
  two_person_store::revoke_open_requests(db, case_id, user_id);
  {
    auto st = db.cached(
        "DELETE FROM envelope_keys WHERE reader_key_id = ?"
        " AND envelope_id IN (SELECT id FROM envelopes WHERE case_id = ?)");
    st->bind(1, key_id).bind(2, case_id);
    st->run();
  }
  auto st = db.cached(
      "UPDATE cases SET assignee_id = NULL WHERE id = ? AND assignee_id = ?");
  st->bind(1, case_id).bind(2, user_id);
  st->run();
}

bool lift_exclusion(Database& db, std::int64_t case_id, std::int64_t user_id) {
  auto st = db.cached("DELETE FROM case_exclusions WHERE case_id = ? AND user_id = ?");
  st->bind(1, case_id).bind(2, user_id);
  st->run();
  return db.changes() > 0;
}

bool add_exclusion_request(Database& db, std::int64_t case_id, std::int64_t user_id,
                           std::int64_t requested_by, std::int64_t reason_envelope_id, std::int64_t at) {
  auto st = db.cached(
      "INSERT OR IGNORE INTO exclusion_requests (case_id, user_id, requested_by, reason_envelope_id, at)"
      " VALUES (?,?,?,?,?)");
  st->bind(1, case_id).bind(2, user_id).bind(3, requested_by).bind(4, reason_envelope_id).bind(5, at);
  st->run();
  return db.changes() > 0;
}

namespace {
constexpr const char* kRequestColumns =
    "SELECT r.user_id, u.username, r.requested_by, COALESCE(b.username, ''), r.reason_envelope_id, r.at,"
    " e.id, e.field, e.nonce, e.ciphertext, k.reader_key_id, k.sealed_key"
    " FROM exclusion_requests r JOIN users u ON u.id = r.user_id"
    " LEFT JOIN users b ON b.id = r.requested_by"
    " LEFT JOIN envelopes e ON e.id = r.reason_envelope_id"
    " LEFT JOIN envelope_keys k ON k.envelope_id = e.id AND k.reader_key_id = ?2"
    " WHERE r.case_id = ?1";

ExclusionRequestRow read_request(const Statement& st) {
  return {st.get_int(0), st.get_text(1), st.get_int(2), st.get_text(3),
          st.get_int(4), st.get_int(5),  sealed_at(st, 6)};
}
}  // namespace

std::optional<ExclusionRequestRow> find_exclusion_request(Database& db, std::int64_t case_id,
                                                          std::int64_t user_id) {
  static const std::string kSql = std::string(kRequestColumns) + " AND r.user_id = ?3";
  auto st = db.cached(kSql.c_str());
  st->bind(1, case_id).bind(2, std::int64_t{-1}).bind(3, user_id);
  if (!st->step()) return std::nullopt;
  return read_request(*st);
}

void drop_exclusion_request(Database& db, std::int64_t case_id, std::int64_t user_id) {
  auto st = db.cached("DELETE FROM exclusion_requests WHERE case_id = ? AND user_id = ?");
  st->bind(1, case_id).bind(2, user_id);
  st->run();
}

std::vector<ExclusionRequestRow> exclusion_requests(Database& db, std::int64_t case_id,
                                                    std::int64_t reader_key_id) {
  static const std::string kSql = std::string(kRequestColumns) + " ORDER BY r.at, r.user_id";
  auto st = db.cached(kSql.c_str());
  st->bind(1, case_id).bind(2, reader_key_id);
  std::vector<ExclusionRequestRow> out;
  while (st->step()) out.push_back(read_request(*st));
  return out;
}

std::vector<std::int64_t> custodians_who_can_open(Database& db, std::int64_t case_id) {
  auto st = db.cached(
      "SELECT u.id FROM users u WHERE u.is_custodian = 1 AND u.disabled_at IS NULL"
      " AND EXISTS (SELECT 1 FROM envelopes e JOIN envelope_keys k ON k.envelope_id = e.id"
      "   WHERE e.case_id = ?1 AND e.field = 'complaint' AND k.reader_key_id = u.key_id)"
      " AND NOT EXISTS (SELECT 1 FROM case_exclusions x WHERE x.case_id = ?1 AND x.user_id = u.id)"
      " AND EXISTS (SELECT 1 FROM cases c JOIN channel_members m ON m.channel_id = c.channel_id"
      "   WHERE c.id = ?1 AND m.user_id = u.id AND m.role = 'custodian')"
      " ORDER BY u.id");
  st->bind(1, case_id);
  std::vector<std::int64_t> out;
  while (st->step()) out.push_back(st->get_int(0));
  return out;
}

bool has_referral(Database& db, std::int64_t case_id) {
  auto st = db.cached("SELECT 1 FROM case_events WHERE case_id = ? AND kind = 'referral' LIMIT 1");
  st->bind(1, case_id);
  return st->step();
}

void set_status(Database& db, std::int64_t case_id, const std::string& status, std::int64_t at) {
  case_store::adjust_count(db, case_id, -1);
  auto st = db.cached(
      "UPDATE cases SET status = ?1, updated_at = ?2,"
      " acknowledged_at = CASE WHEN acknowledged_at IS NULL AND ?1 <> 'received' THEN ?2"
      "   ELSE acknowledged_at END,"
      " outcome_at = CASE WHEN ?1 IN ('substantiated','unsubstantiated','referred','rejected',"
      "   'closed') AND outcome_at IS NULL THEN ?2 ELSE outcome_at END,"
      // The retention in force when the case ends: lowering it later does
      // not shorten this case's (issue 20, item 4).
      " retention_days = CASE WHEN ?1 IN ('substantiated','unsubstantiated','referred','rejected','closed')"
      "   THEN (SELECT ch.retention_days FROM channels ch WHERE ch.id = cases.channel_id) ELSE retention_days END"
      " WHERE id = ?3");
  st->bind(1, status).bind(2, at).bind(3, case_id);
  st->run();
  case_store::adjust_count(db, case_id, +1);
}

void set_category(Database& db, std::int64_t case_id, const std::string& category,
                  std::int64_t at) {
  case_store::adjust_count(db, case_id, -1);
  auto st = db.cached("UPDATE cases SET category = ?, updated_at = ? WHERE id = ?");
  st->bind(1, category).bind(2, at).bind(3, case_id);
  st->run();
  case_store::adjust_count(db, case_id, +1);
}

void set_priority(Database& db, std::int64_t case_id, const std::string& priority,
                  std::int64_t at) {
  auto st = db.cached("UPDATE cases SET priority = ?, updated_at = ? WHERE id = ?");
  st->bind(1, priority).bind(2, at).bind(3, case_id);
  st->run();
}

void set_assignee(Database& db, std::int64_t case_id, std::optional<std::int64_t> user_id,
                  std::int64_t at) {
  auto st = db.cached("UPDATE cases SET assignee_id = ?, updated_at = ? WHERE id = ?");
  st->bind(1, user_id).bind(2, at).bind(3, case_id);
  st->run();
}

void mark_first_reply(Database& db, std::int64_t case_id, std::int64_t at) {
  auto st = db.cached(
      "UPDATE cases SET first_reply_at = COALESCE(first_reply_at, ?1), updated_at = ?1"
      " WHERE id = ?2");
  st->bind(1, at).bind(2, case_id);
  st->run();
}

void add_event(Database& db, std::int64_t case_id, const CaseEventRow& e) {
  auto st = db.cached(
      "INSERT INTO case_events (id, case_id, at, kind, status, visible_to_reporter, actor_user_id,"
      " detail, detail_envelope_id, ord) VALUES (random() & 0x3FFFFFFFFFFFFFFF, ?1, ?2, ?3, ?4, ?5, ?6,"
      " ?7, ?8, (SELECT COALESCE(MAX(ord), 0) + 1 FROM case_events WHERE case_id = ?1))");
  st->bind(1, case_id).bind(2, e.at).bind(3, e.kind).bind(4, e.status);
  st->bind(5, e.visible_to_reporter ? 1 : 0).bind(6, e.actor_user_id).bind(7, e.detail);
  st->bind(8, e.detail_envelope_id);
  st->run();
}

std::vector<CaseEventRow> events(Database& db, std::int64_t case_id, std::int64_t reader_key_id) {
  auto st = db.cached(
      "SELECT v.at, v.kind, v.status, v.actor_user_id, v.detail, v.visible_to_reporter,"
      " v.detail_envelope_id, e.id, e.field, e.nonce, e.ciphertext, k.reader_key_id, k.sealed_key"
      " FROM case_events v LEFT JOIN envelopes e ON e.id = v.detail_envelope_id"
      " LEFT JOIN envelope_keys k ON k.envelope_id = e.id AND k.reader_key_id = ?2"
      " WHERE v.case_id = ?1 ORDER BY v.ord");
  st->bind(1, case_id).bind(2, reader_key_id);
  std::vector<CaseEventRow> out;
  while (st->step()) {
    out.push_back({st->get_int(0), st->get_text(1), st->get_optional_text(2),
                   st->get_optional_int(3), st->get_optional_text(4), st->get_int(5) != 0,
                   st->get_optional_int(6), sealed_at(*st, 7)});
  }
  return out;
}

std::vector<PlaintextDetail> plaintext_details(Database& db) {
  std::vector<PlaintextDetail> out;
  {
    auto st = db.prepare(
        "SELECT case_id, user_id, reason FROM case_exclusions"
        " WHERE reason_envelope_id IS NULL AND reason <> '' ORDER BY case_id, user_id");
    while (st.step()) {
      out.push_back({PlaintextDetail::Kind::exclusion_reason, st.get_int(0), st.get_int(1),
                     st.get_text(2)});
    }
  }
  auto st = db.prepare(
      "SELECT case_id, id, detail FROM case_events"
      " WHERE detail_envelope_id IS NULL AND detail IS NOT NULL ORDER BY id");
  while (st.step()) {
    out.push_back({PlaintextDetail::Kind::event_detail, st.get_int(0), st.get_int(1), st.get_text(2)});
  }
  return out;
}

void replace_plaintext_detail(Database& db, const PlaintextDetail& d, std::int64_t envelope_id) {
  auto st = db.cached(d.kind == PlaintextDetail::Kind::exclusion_reason
                          ? "UPDATE case_exclusions SET reason = '', reason_envelope_id = ?1"
                            " WHERE case_id = ?2 AND user_id = ?3"
                          : "UPDATE case_events SET detail = NULL, detail_envelope_id = ?1"
                            " WHERE case_id = ?2 AND id = ?3");
  st->bind(1, envelope_id).bind(2, d.case_id).bind(3, d.row_key);
  st->run();
}

std::int64_t add_note(Database& db, std::int64_t case_id, std::int64_t author_user_id,
                      std::int64_t envelope_id, std::int64_t at) {
  auto st = db.cached(
      "INSERT INTO notes (id, case_id, at, author_user_id, envelope_id, ord)"
      " VALUES (random() & 0x3FFFFFFFFFFFFFFF, ?1, ?2, ?3, ?4,"
      " (SELECT COALESCE(MAX(ord), 0) + 1 FROM notes WHERE case_id = ?1))");
  st->bind(1, case_id).bind(2, at).bind(3, author_user_id).bind(4, envelope_id);
  st->run();
  return db.last_insert_rowid();
}

std::vector<NoteRow> notes_for(Database& db, std::int64_t case_id, std::int64_t reader_key_id) {
  auto st = db.cached(
      "SELECT n.id, n.at, n.author_user_id, e.id, e.field, e.nonce, e.ciphertext, k.sealed_key"
      " FROM notes n JOIN envelopes e ON e.id = n.envelope_id"
      " JOIN envelope_keys k ON k.envelope_id = e.id AND k.reader_key_id = ?"
      " WHERE n.case_id = ? ORDER BY n.ord");
  st->bind(1, reader_key_id).bind(2, case_id);
  std::vector<NoteRow> out;
  while (st->step()) {
    out.push_back({st->get_int(0), st->get_int(1), st->get_int(2),
                   ReadableEnvelope{st->get_int(3), st->get_text(4), st->get_blob(5),
                                    st->get_blob(6), st->get_blob(7)}});
  }
  return out;
}

std::vector<ReadableEnvelope> envelopes_for(Database& db, std::int64_t case_id,
                                            std::int64_t reader_key_id) {
  auto st = db.cached(
      "SELECT e.id, e.field, e.nonce, e.ciphertext, k.sealed_key FROM envelopes e"
      " JOIN envelope_keys k ON k.envelope_id = e.id AND k.reader_key_id = ?"
      " WHERE e.case_id = ? ORDER BY e.id");
  st->bind(1, reader_key_id).bind(2, case_id);
  std::vector<ReadableEnvelope> out;
  while (st->step()) {
    out.push_back({st->get_int(0), st->get_text(1), st->get_blob(2), st->get_blob(3),
                   st->get_blob(4)});
  }
  return out;
}

bool has_key(Database& db, std::int64_t envelope_id, std::int64_t reader_key_id) {
  auto st = db.cached("SELECT 1 FROM envelope_keys WHERE envelope_id = ? AND reader_key_id = ?");
  st->bind(1, envelope_id).bind(2, reader_key_id);
  return st->step();
}

void add_sealed_key(Database& db, std::int64_t envelope_id, std::int64_t reader_key_id,
                    BlobView sealed) {
  auto st = db.cached(
      "INSERT OR IGNORE INTO envelope_keys (envelope_id, reader_key_id, sealed_key) VALUES (?,?,?)");
  st->bind(1, envelope_id).bind(2, reader_key_id).bind(3, sealed);
  st->run();
}

std::vector<std::int64_t> cases_to_grant(Database& db, std::int64_t from_key, std::int64_t to_key,
                                         std::optional<std::int64_t> to_user) {
  auto st = db.cached(
      "SELECT e.case_id FROM envelopes e JOIN envelope_keys k ON k.envelope_id = e.id"
      " WHERE e.field = 'complaint' AND k.reader_key_id = ?1"
      " AND NOT EXISTS (SELECT 1 FROM envelope_keys k2 WHERE k2.envelope_id = e.id"
      "   AND k2.reader_key_id = ?2)"
      " AND NOT EXISTS (SELECT 1 FROM case_exclusions x WHERE x.case_id = e.case_id"
      "   AND x.user_id = ?3)"
      // Never to someone outside the case's channel (issue 10).
      " AND EXISTS (SELECT 1 FROM cases c JOIN channel_members m ON m.channel_id = c.channel_id"
      "   AND m.role = 'recipient' AND m.user_id = ?3 WHERE c.id = e.case_id)"
      " ORDER BY e.case_id");
  st->bind(1, from_key).bind(2, to_key).bind(3, to_user.value_or(-1));
  std::vector<std::int64_t> out;
  while (st->step()) out.push_back(st->get_int(0));
  return out;
}

}  // namespace krasip::storage::triage_store
