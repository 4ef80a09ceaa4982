#include "krasip/storage/purge_store.hpp"

#include "krasip/storage/database.hpp"
#include "krasip/storage/statement.hpp"

namespace krasip::storage::purge_store {

namespace {

// A case in a final status or not, with the retention in force for it and
// the time of its last move into its status (closed_at). ?2: one case.
constexpr const char* kCaseFacts =
    "SELECT c.id, c.case_number, c.agency_id, COALESCE(ch.slug, '') AS slug, c.fiscal_year,"
    "  c.status, c.received_at, COALESCE(c.channel_id, 0) AS channel_id, c.purge_notice_at,"
    "  COALESCE((SELECT MAX(e.at) FROM case_events e WHERE e.case_id = c.id AND e.kind = 'status'),"
    "           c.outcome_at, c.updated_at) AS closed,"
    "  MAX(COALESCE(c.retention_days, 0), COALESCE(ch.retention_days, 1826),"
    "      (SELECT retention_floor_days FROM deployment_settings WHERE id = 1)) AS days"
    " FROM cases c LEFT JOIN channels ch ON ch.id = c.channel_id"
    " WHERE c.purged_at IS NULL AND (?2 IS NULL OR c.id = ?2)";

ExpiredCase read_case(const Statement& st) {
  return {st.get_int(0), st.get_text(1), st.get_int(2), st.get_text(3), static_cast<int>(st.get_int(4)),
          st.get_text(5), st.get_int(6), st.get_int(7), st.get_int(8), st.get_int(9), st.get_optional_int(10)};
}

}  // namespace

std::vector<ExpiredCase> expired(Database& db, std::int64_t now, std::optional<std::int64_t> only) {
  // closed_at: the last status change (a final status now); a case closed
  // again after being reopened counts from the later closing.
  static const std::string sql =
      std::string("SELECT id, case_number, agency_id, slug, fiscal_year, status, received_at, closed, days,"
                  " channel_id, purge_notice_at FROM (") +
      kCaseFacts +
      "  AND c.status IN ('substantiated','unsubstantiated','referred','rejected','closed'))"
      " WHERE closed + days * 86400 <= ?1 ORDER BY id";
  auto st = db.cached(sql.c_str());
  st->bind(1, now).bind(2, only);
  std::vector<ExpiredCase> out;
  while (st->step()) out.push_back(read_case(*st));
  return out;
}

std::optional<ExpiredCase> not_purged(Database& db, std::int64_t case_id) {
  static const std::string sql =
      std::string("SELECT id, case_number, agency_id, slug, fiscal_year, status, received_at, closed, days,"
                  " channel_id, purge_notice_at FROM (") +
      kCaseFacts + ")";
  auto st = db.cached(sql.c_str());
  st->bind(1, 0).bind(2, case_id);
  if (!st->step()) return std::nullopt;
  return read_case(*st);
}

std::vector<std::pair<std::int64_t, Blob>> unpurged_uids(Database& db) {
  auto st = db.cached("SELECT id, uid FROM cases WHERE purged_at IS NULL ORDER BY id");
  std::vector<std::pair<std::int64_t, Blob>> out;
  while (st->step()) out.emplace_back(st->get_int(0), st->get_blob(1));
  return out;
}

void mark_noticed(Database& db, std::int64_t case_id, std::int64_t at) {
  auto st = db.cached("UPDATE cases SET purge_notice_at = ? WHERE id = ? AND purge_notice_at IS NULL");
  st->bind(1, at).bind(2, case_id);
  st->run();
}

std::int64_t channel_changed_at(Database& db, std::int64_t channel_id) {
  auto st = db.cached("SELECT updated_at FROM channels WHERE id = ?");
  st->bind(1, channel_id);
  return st->step() ? st->get_int(0) : 0;
}

std::int64_t retention_floor(Database& db) {
  auto st = db.cached("SELECT retention_floor_days FROM deployment_settings WHERE id = 1");
  return st->step() ? st->get_int(0) : 1825;
}

void set_retention_floor(Database& db, std::int64_t days) {
  auto st = db.cached("UPDATE deployment_settings SET retention_floor_days = ? WHERE id = 1");
  st->bind(1, days);
  st->run();
}

std::int64_t purged_code_grace(Database& db) {
  auto st = db.cached("SELECT purged_code_grace_days FROM deployment_settings WHERE id = 1");
  return st->step() ? st->get_int(0) : kDefaultPurgedCodeGraceDays;
}

void set_purged_code_grace(Database& db, std::int64_t days) {
  auto st = db.cached("UPDATE deployment_settings SET purged_code_grace_days = ? WHERE id = 1");
  st->bind(1, days);
  st->run();
}

std::int64_t drop_codes(Database& db, std::int64_t now) {
  // Each row its own random bytes: randomblob() is evaluated per row.
  auto st = db.cached(
      "UPDATE cases SET code_hash = randomblob(32), code_dropped = 1"
      " WHERE purged_at IS NOT NULL AND code_dropped = 0"
      "  AND purged_at <= ?1 - (SELECT purged_code_grace_days FROM deployment_settings WHERE id = 1) * 86400");
  st->bind(1, now);
  st->run();
  return db.changes();
}

std::vector<std::string> shred_case(Database& db, std::int64_t case_id, std::int64_t closed_at,
                                    std::int64_t now) {
  std::vector<std::string> files;
  {
    auto st = db.cached("SELECT file_name FROM attachments WHERE case_id = ? ORDER BY id");
    st->bind(1, case_id);
    while (st->step()) files.push_back(st->get_text(0));
  }
  // Keys first: without them every envelope below is noise, whatever stays.
  // Then the rows naming envelopes, then the envelopes. An audit entry's
  // sealed detail stays (the chain's hash covers its bytes); its keys go.
  // A table of a later schema that still names the case makes a foreign
  // key fail here: the purge stops rather than leave half a case.
  struct Step {
    const char* sql;
    int params;  // ?1 the case, ?2 now, ?3 closed_at
  };
  static constexpr Step kSteps[] = {
      {"DELETE FROM envelope_keys WHERE envelope_id IN (SELECT id FROM envelopes WHERE case_id = ?1)", 1},
      {"DELETE FROM suspended_keys WHERE envelope_id IN (SELECT id FROM envelopes WHERE case_id = ?1)", 1},
      {"DELETE FROM messages WHERE case_id = ?1", 1},
      {"DELETE FROM notes WHERE case_id = ?1", 1},
      {"DELETE FROM attachments WHERE case_id = ?1", 1},
      {"DELETE FROM case_exclusions WHERE case_id = ?1", 1},
      {"DELETE FROM exclusion_requests WHERE case_id = ?1", 1},
      {"DELETE FROM identity_requests WHERE case_id = ?1", 1},
      {"DELETE FROM pending_outcomes WHERE case_id = ?1", 1},
      {"DELETE FROM escalation_plan_keys WHERE request_id IN"
      " (SELECT id FROM escalation_requests WHERE case_id = ?1)", 1},
      {"DELETE FROM escalation_requests WHERE case_id = ?1", 1},
      {"DELETE FROM case_events WHERE case_id = ?1", 1},
      {"DELETE FROM envelopes WHERE case_id = ?1 AND NOT EXISTS (SELECT 1 FROM audit_log a"
      " WHERE a.case_id = ?1 AND a.detail_envelope_id = envelopes.id)", 1},
      // The reporter's key: the salt turns the tracking code into it; the
      // public key, with the salt, would let a guessed code be checked.
      {"UPDATE reader_keys SET public_key = randomblob(32), retired_at = ?2"
      " WHERE kind = 'reporter' AND id = (SELECT reporter_key_id FROM cases WHERE id = ?1)", 2},
      {"UPDATE cases SET reporter_salt = X'', assignee_id = NULL, priority = 'normal', has_identity = 0,"
      " identity_withheld = 0, flood_batch_id = NULL, closed_at = ?3, purged_at = ?2 WHERE id = ?1", 3},
  };
  for (const auto& step : kSteps) {
    auto st = db.cached(step.sql);
    st->bind(1, case_id);
    if (step.params >= 2) st->bind(2, now);
    if (step.params >= 3) st->bind(3, closed_at);
    st->run();
  }
  return files;
}

std::optional<std::int64_t> purged_at(Database& db, std::int64_t case_id) {
  auto st = db.cached("SELECT purged_at FROM cases WHERE id = ?");
  st->bind(1, case_id);
  if (!st->step()) return std::nullopt;
  return st->get_optional_int(0);
}

}  // namespace krasip::storage::purge_store
