#include "krasip/storage/key_store.hpp"

#include "krasip/storage/database.hpp"

namespace krasip::storage::key_store {

namespace {
// The rule migration 10 applied to the agency it found.
std::string default_slug(const AgencyRow& agency) {
  std::string slug;
  for (const char ch : agency.case_prefix) {
    const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-';
    const bool upper = ch >= 'A' && ch <= 'Z';
    if (!ok && !upper) return "agency-" + std::to_string(agency.id);
    slug.push_back(upper ? static_cast<char>(ch - 'A' + 'a') : ch);
  }
  if (slug.size() < 2 || slug.size() > 40) return "agency-" + std::to_string(agency.id);
  return slug;
}
}  // namespace

namespace {
constexpr const char* kAgencyColumns =
    "SELECT name_th, name_en, case_prefix, slug, id, parent_id, origins, disabled_at, ack_days,"
    " reply_days, outcome_days, categories, CASE WHEN logo IS NULL THEN '' ELSE logo_type END"
    " FROM agencies";

AgencyRow read_agency(const Statement& st) {
  AgencyRow a{st.get_text(0), st.get_text(1), st.get_text(2), st.get_text(3), st.get_int(4)};
  a.parent_id = st.get_optional_int(5);
  a.origins = st.get_text(6);
  a.disabled_at = st.get_optional_int(7);
  a.ack_days = st.get_optional_int(8);
  a.reply_days = st.get_optional_int(9);
  a.outcome_days = st.get_optional_int(10);
  a.categories = st.get_optional_text(11);
  a.logo_type = st.get_text(12);
  return a;
}
}  // namespace

// Row 1 exists from migration 10 on (a placeholder until init names it).
std::int64_t insert_agency(Database& db, const AgencyRow& agency, std::int64_t now) {
  if (agency.id == 0) {
    auto st = db.cached(
        "INSERT INTO agencies (slug, name_th, name_en, case_prefix, parent_id, origins, created_at,"
        " ack_days, reply_days, outcome_days, categories) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
    st->bind(1, agency.slug).bind(2, agency.name_th).bind(3, agency.name_en);
    st->bind(4, agency.case_prefix).bind(5, agency.parent_id).bind(6, agency.origins).bind(7, now);
    st->bind(8, agency.ack_days).bind(9, agency.reply_days).bind(10, agency.outcome_days);
    st->bind(11, agency.categories);
    st->run();
    return db.last_insert_rowid();
  }
  auto st = db.cached(
      "INSERT INTO agencies (id, slug, name_th, name_en, case_prefix, created_at)"
      " VALUES (?,?,?,?,?,?) ON CONFLICT (id) DO UPDATE SET slug = excluded.slug,"
      " name_th = excluded.name_th, name_en = excluded.name_en,"
      " case_prefix = excluded.case_prefix, created_at = excluded.created_at");
  st->bind(1, agency.id).bind(2, agency.slug.empty() ? default_slug(agency) : agency.slug);
  st->bind(3, agency.name_th).bind(4, agency.name_en).bind(5, agency.case_prefix).bind(6, now);
  st->run();
  return agency.id;
}

void update_agency(Database& db, const AgencyRow& a) {
  auto st = db.cached(
      "UPDATE agencies SET name_th = ?, name_en = ?, parent_id = ?, origins = ?, disabled_at = ?,"
      " ack_days = ?, reply_days = ?, outcome_days = ?, categories = ? WHERE id = ?");
  st->bind(1, a.name_th).bind(2, a.name_en).bind(3, a.parent_id).bind(4, a.origins);
  st->bind(5, a.disabled_at).bind(6, a.ack_days).bind(7, a.reply_days).bind(8, a.outcome_days);
  st->bind(9, a.categories).bind(10, a.id);
  st->run();
}

void set_agency_logo(Database& db, std::int64_t agency_id, const std::optional<AgencyLogo>& logo) {
  auto st = db.cached("UPDATE agencies SET logo = ?, logo_type = ? WHERE id = ?");
  if (logo) {
    st->bind(1, BlobView(logo->bytes)).bind(2, logo->type);
  } else {
    st->bind_null(1).bind_null(2);
  }
  st->bind(3, agency_id);
  st->run();
}

std::optional<AgencyLogo> agency_logo(Database& db, const std::string& slug) {
  auto st = db.cached(
      "SELECT logo, logo_type FROM agencies WHERE slug = ? AND logo IS NOT NULL"
      " AND disabled_at IS NULL");
  st->bind(1, slug);
  if (!st->step()) return std::nullopt;
  return AgencyLogo{st->get_blob(0), st->get_text(1)};
}

std::optional<AgencyRow> load_agency(Database& db, std::int64_t agency_id) {
  static const std::string sql = std::string(kAgencyColumns) + " WHERE id = ?";
  auto st = db.cached(sql.c_str());
  st->bind(1, agency_id);
  if (!st->step()) return std::nullopt;
  return read_agency(*st);
}

std::optional<AgencyRow> find_agency_by_slug(Database& db, const std::string& slug) {
  static const std::string sql = std::string(kAgencyColumns) + " WHERE slug = ?";
  auto st = db.cached(sql.c_str());
  st->bind(1, slug);
  if (!st->step()) return std::nullopt;
  return read_agency(*st);
}

std::vector<std::int64_t> ancestors(Database& db, std::int64_t agency_id) {
  // A parent chain is short (district, province); the CHECK and `agency
  // edit` keep it free of cycles, and the depth bound makes sure.
  auto st = db.cached(
      "WITH RECURSIVE up(id, depth) AS (SELECT parent_id, 1 FROM agencies WHERE id = ?"
      " UNION ALL SELECT a.parent_id, up.depth + 1 FROM agencies a JOIN up ON a.id = up.id"
      " WHERE up.depth < 16) SELECT id FROM up WHERE id IS NOT NULL ORDER BY depth");
  st->bind(1, agency_id);
  std::vector<std::int64_t> out;
  while (st->step()) out.push_back(st->get_int(0));
  return out;
}

std::vector<std::int64_t> descendants(Database& db, std::int64_t agency_id) {
  auto st = db.cached(
      "WITH RECURSIVE down(id, depth) AS (SELECT id, 1 FROM agencies WHERE parent_id = ?"
      " UNION ALL SELECT a.id, down.depth + 1 FROM agencies a JOIN down ON a.parent_id = down.id"
      " WHERE down.depth < 16) SELECT id FROM down ORDER BY depth, id");
  st->bind(1, agency_id);
  std::vector<std::int64_t> out;
  while (st->step()) out.push_back(st->get_int(0));
  return out;
}

void drop_keys_of_disabled(Database& db, std::int64_t disabled_before, std::int64_t* deleted) {
  auto st = db.cached(
      "DELETE FROM envelope_keys WHERE reader_key_id IN"
      " (SELECT key_id FROM users WHERE disabled_at IS NOT NULL AND disabled_at < ?)");
  st->bind(1, disabled_before);
  st->run();
  if (deleted != nullptr) *deleted += db.changes();
}

std::optional<ReaderKeyRow> recovery_key(Database& db, std::int64_t agency_id) {
  auto st = db.cached(
      "SELECT id, kind, public_key FROM reader_keys WHERE kind = 'recovery' AND agency_id = ?"
      " AND retired_at IS NULL ORDER BY id DESC LIMIT 1");
  st->bind(1, agency_id);
  if (!st->step()) return std::nullopt;
  return ReaderKeyRow{st->get_int(0), st->get_text(1), st->get_blob(2), std::nullopt, false};
}

std::vector<AgencyRow> list_agencies(Database& db) {
  std::vector<AgencyRow> out;
  {
    auto exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'agencies'");
    if (!exists.step()) {
      auto old = db.prepare("SELECT name_th, name_en, case_prefix FROM agency WHERE id = 1");
      if (old.step()) out.push_back({old.get_text(0), old.get_text(1), old.get_text(2), "", 1});
      return out;
    }
  }
  auto st = db.prepare((std::string(kAgencyColumns) + " ORDER BY id").c_str());
  while (st.step()) out.push_back(read_agency(st));
  return out;
}

std::int64_t insert_reader_key(Database& db, const std::string& kind, BlobView public_key,
                               std::int64_t now, std::optional<std::int64_t> agency_id) {
  // Without an agency the statement names no agency_id: reporter and
  // investigator keys, also written by tests on a schema before version 10.
  // A reporter's key is made by a filing: a random id, like the case's
  // (schema 21). Investigators' and recovery keys keep counting up, as
  // "the newest recovery key" is the highest id.
  auto st = agency_id ? db.cached("INSERT INTO reader_keys (id, kind, public_key, created_at, agency_id)"
                                  " VALUES (CASE WHEN ?1 = 'reporter' THEN random() & 0x3FFFFFFFFFFFFFFF END,"
                                  " ?1, ?2, ?3, ?4)")
                      : db.cached("INSERT INTO reader_keys (id, kind, public_key, created_at)"
                                  " VALUES (CASE WHEN ?1 = 'reporter' THEN random() & 0x3FFFFFFFFFFFFFFF END,"
                                  " ?1, ?2, ?3)");
  st->bind(1, kind).bind(2, public_key).bind(3, now);
  if (agency_id) st->bind(4, *agency_id);
  st->run();
  return db.last_insert_rowid();
}

std::vector<ReaderKeyRow> active_readers(Database& db) {
  auto st = db.cached(sql::kActiveReaders);
  std::vector<ReaderKeyRow> out;
  while (st->step()) {
    out.push_back({st->get_int(0), st->get_text(1), st->get_blob(2), st->get_optional_int(3),
                   st->get_int(4) != 0});
  }
  return out;
}

std::vector<ReaderKeyRow> active_readers(Database& db, std::int64_t agency_id) {
  std::vector<ReaderKeyRow> out;
  if (auto r = recovery_key(db, agency_id)) out.push_back(std::move(*r));
  auto st = db.cached(
      "SELECT k.id, k.kind, k.public_key, u.id, u.is_custodian FROM users u"
      " JOIN reader_keys k ON k.id = u.key_id WHERE u.agency_id = ? AND u.disabled_at IS NULL"
      " ORDER BY k.id");
  st->bind(1, agency_id);
  while (st->step()) {
    out.push_back({st->get_int(0), st->get_text(1), st->get_blob(2), st->get_optional_int(3),
                   st->get_int(4) != 0});
  }
  return out;
}

std::int64_t insert_user(Database& db, const NewUser& u) {
  const std::int64_t key_id = insert_reader_key(db, "investigator", u.public_key, u.created_at);
  // agency_id 0 leaves the column to its default (agency 1), so the same
  // call works on a schema before version 10 (migration tests).
  auto st = db.cached(
      u.agency_id != 0
          ? "INSERT INTO users (username, display_name, is_custodian, is_admin, key_id, wrap_salt,"
            " wrap_nonce, wrapped_secret, pwhash_ops, pwhash_mem, created_at, agency_id)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"
          : "INSERT INTO users (username, display_name, is_custodian, is_admin, key_id, wrap_salt,"
            " wrap_nonce, wrapped_secret, pwhash_ops, pwhash_mem, created_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?)");
  if (u.agency_id != 0) st->bind(12, u.agency_id);
  st->bind(1, u.username).bind(2, u.display_name).bind(3, u.is_custodian ? 1 : 0);
  st->bind(4, u.is_admin ? 1 : 0).bind(5, key_id).bind(6, u.wrap_salt).bind(7, u.wrap_nonce);
  st->bind(8, u.wrapped_secret).bind(9, u.pwhash_ops).bind(10, u.pwhash_mem);
  st->bind(11, u.created_at);
  st->run();
  return db.last_insert_rowid();
}

std::int64_t readers_version(Database& db) {
  auto st = db.cached("SELECT version FROM reader_directory_version WHERE id = 1");
  st->step();
  return st->get_int(0);
}

}  // namespace krasip::storage::key_store
