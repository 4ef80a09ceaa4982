#include "krasip/storage/channel_store.hpp"

#include <algorithm>

#include "krasip/storage/database.hpp"
#include "krasip/storage/key_store.hpp"

namespace krasip::storage::channel_store {

namespace {
constexpr const char* kColumns =
    "id, slug, name_th, name_en, description_th, description_en, readers_th, readers_en,"
    " identity_readers_th, identity_readers_en, identity_two_person, position,"
    " outcome_needs_confirmation, agency_id, retention_days, COALESCE(number_code, '') FROM channels";

ChannelRow read_channel(const Statement& st) {
  return {st.get_int(0),  st.get_text(1), st.get_text(2),      st.get_text(3),
          st.get_text(4), st.get_text(5), st.get_text(6),      st.get_text(7),
          st.get_text(8), st.get_text(9), st.get_int(10) != 0, st.get_int(11),
          st.get_int(12) != 0, st.get_int(13), st.get_int(14), st.get_text(15)};
}

bool code_taken(Database& db, std::int64_t agency_id, const std::string& code) {
  auto st = db.cached("SELECT 1 FROM channels WHERE agency_id = ? AND number_code = ?");
  st->bind(1, agency_id).bind(2, code);
  return st->step();
}

// The next free code of the agency: "" while its first channel has none,
// for 'default' or the first channel made; else by creation order.
std::string next_number_code(Database& db, std::int64_t agency_id, const std::string& slug,
                             std::optional<std::int64_t> self) {
  std::int64_t existing = 0;
  {
    auto st = db.cached("SELECT COUNT(*) FROM channels WHERE agency_id = ?1 AND (?2 IS NULL OR id != ?2)");
    st->bind(1, agency_id).bind(2, self);
    if (st->step()) existing = st->get_int(0);
  }
  if (!code_taken(db, agency_id, "") && (slug == "default" || existing == 0)) return "";
  for (std::int64_t n = existing + 1;; ++n) {
    auto code = number_code_for(n);
    if (!code.empty() && !code_taken(db, agency_id, code)) return code;
  }
}

ChannelMemberRow read_member(const Statement& st, int first) {
  return {st.get_int(first),        st.get_text(first + 1), st.get_text(first + 2),
          st.get_int(first + 3),    st.get_blob(first + 4), !st.get_optional_int(first + 5).has_value(),
          st.get_int(first + 6),    st.get_int(first + 7),  st.get_optional_int(first + 8)};
}

constexpr const char* kMemberColumns =
    " m.user_id, u.username, m.role, u.key_id, k.public_key, u.disabled_at, u.agency_id, m.since, m.proposed_by"
    " FROM channel_members m JOIN users u ON u.id = m.user_id JOIN reader_keys k ON k.id = u.key_id";
}  // namespace

std::vector<ChannelRow> list(Database& db, std::int64_t agency_id) {
  static const std::string sql =
      std::string("SELECT ") + kColumns + " WHERE agency_id = ? ORDER BY position, id";
  auto st = db.cached(sql.c_str());
  st->bind(1, agency_id);
  std::vector<ChannelRow> out;
  while (st->step()) out.push_back(read_channel(*st));
  return out;
}

std::optional<ChannelRow> find_by_slug(Database& db, std::int64_t agency_id, const std::string& slug) {
  static const std::string sql = std::string("SELECT ") + kColumns + " WHERE agency_id = ? AND slug = ?";
  auto st = db.cached(sql.c_str());
  st->bind(1, agency_id).bind(2, slug);
  if (!st->step()) return std::nullopt;
  return read_channel(*st);
}

std::optional<ChannelRow> find_by_id(Database& db, std::int64_t id) {
  static const std::string sql = std::string("SELECT ") + kColumns + " WHERE id = ?";
  auto st = db.cached(sql.c_str());
  st->bind(1, id);
  if (!st->step()) return std::nullopt;
  return read_channel(*st);
}

std::string number_code_for(std::int64_t n) {
  if (n <= 1) return "";
  std::string out;
  for (; n > 0; n = (n - 1) / 26) out.insert(out.begin(), static_cast<char>('A' + (n - 1) % 26));
  return out;
}

std::string number_code(Database& db, std::int64_t channel_id) {
  std::int64_t agency_id = 0;
  std::string slug;
  {
    auto st = db.cached("SELECT number_code, agency_id, slug FROM channels WHERE id = ?");
    st->bind(1, channel_id);
    if (!st->step()) return "";
    if (const auto code = st->get_optional_text(0)) return *code;
    agency_id = st->get_int(1);
    slug = st->get_text(2);
  }
  const auto code = next_number_code(db, agency_id, slug, channel_id);
  auto st = db.cached("UPDATE channels SET number_code = ? WHERE id = ?");
  st->bind(1, code).bind(2, channel_id);
  st->run();
  return code;
}

std::int64_t insert(Database& db, const ChannelRow& c, std::int64_t now) {
  const auto code = next_number_code(db, c.agency_id, c.slug, std::nullopt);
  auto st = db.cached(
      "INSERT INTO channels (slug, name_th, name_en, description_th, description_en, readers_th,"
      " readers_en, identity_readers_th, identity_readers_en, identity_two_person, position,"
      " created_at, updated_at, outcome_needs_confirmation, agency_id, retention_days, number_code)"
      " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,"
      "  (SELECT COALESCE(MAX(position), 0) + 1 FROM channels WHERE agency_id = ?14),?11,?12,?13,?14,?15,?16)");
  st->bind(1, c.slug).bind(2, c.name_th).bind(3, c.name_en).bind(4, c.description_th);
  st->bind(5, c.description_en).bind(6, c.readers_th).bind(7, c.readers_en);
  st->bind(8, c.identity_readers_th).bind(9, c.identity_readers_en);
  st->bind(10, c.identity_two_person ? 1 : 0).bind(11, now).bind(12, now);
  st->bind(13, c.outcome_needs_confirmation ? 1 : 0).bind(14, c.agency_id).bind(15, c.retention_days);
  st->bind(16, code);
  st->run();
  return db.last_insert_rowid();
}

void update(Database& db, const ChannelRow& c, std::int64_t now) {
  auto st = db.cached(
      "UPDATE channels SET name_th = ?, name_en = ?, description_th = ?, description_en = ?,"
      " readers_th = ?, readers_en = ?, identity_readers_th = ?, identity_readers_en = ?,"
      " identity_two_person = ?, updated_at = ?, outcome_needs_confirmation = ?, retention_days = ?"
      " WHERE id = ?");
  st->bind(1, c.name_th).bind(2, c.name_en).bind(3, c.description_th).bind(4, c.description_en);
  st->bind(5, c.readers_th).bind(6, c.readers_en).bind(7, c.identity_readers_th);
  st->bind(8, c.identity_readers_en).bind(9, c.identity_two_person ? 1 : 0).bind(10, now);
  st->bind(11, c.outcome_needs_confirmation ? 1 : 0).bind(12, c.retention_days).bind(13, c.id);
  st->run();
}

std::vector<std::pair<std::int64_t, ChannelMemberRow>> all_members(Database& db, std::int64_t agency_id) {
  static const std::string sql =
      std::string("SELECT m.channel_id,") + kMemberColumns +
      " WHERE m.channel_id IN (SELECT id FROM channels WHERE agency_id = ?)"
      " ORDER BY m.channel_id, m.role, m.user_id";
  auto st = db.cached(sql.c_str());
  st->bind(1, agency_id);
  std::vector<std::pair<std::int64_t, ChannelMemberRow>> out;
  while (st->step()) out.emplace_back(st->get_int(0), read_member(*st, 1));
  return out;
}

std::vector<ChannelMemberRow> members(Database& db, std::int64_t channel_id) {
  static const std::string sql =
      std::string("SELECT") + kMemberColumns + " WHERE m.channel_id = ? ORDER BY m.role, u.username";
  auto st = db.cached(sql.c_str());
  st->bind(1, channel_id);
  std::vector<ChannelMemberRow> out;
  while (st->step()) out.push_back(read_member(*st, 0));
  return out;
}

void set_members(Database& db, std::int64_t channel_id, const std::string& role,
                 const std::vector<std::int64_t>& user_ids, std::int64_t at,
                 std::optional<std::int64_t> proposed_by) {
  std::vector<std::int64_t> before;
  {
    auto st = db.cached("SELECT user_id FROM channel_members WHERE channel_id = ? AND role = ?");
    st->bind(1, channel_id).bind(2, role);
    while (st->step()) before.push_back(st->get_int(0));
  }
  for (const auto id : before) {
    if (std::find(user_ids.begin(), user_ids.end(), id) != user_ids.end()) continue;
    auto st = db.cached("DELETE FROM channel_members WHERE channel_id = ? AND role = ? AND user_id = ?");
    st->bind(1, channel_id).bind(2, role).bind(3, id);
    st->run();
  }
  for (const auto id : user_ids) {
    auto st = db.cached(
        "INSERT OR IGNORE INTO channel_members (channel_id, user_id, role, since, proposed_by) VALUES (?,?,?,?,?)");
    st->bind(1, channel_id).bind(2, id).bind(3, role).bind(4, at).bind(5, proposed_by);
    st->run();
  }
}

bool is_member(Database& db, std::int64_t channel_id, std::int64_t user_id, const std::string& role) {
  auto st = db.cached(
      "SELECT 1 FROM channel_members WHERE channel_id = ? AND role = ? AND user_id = ?");
  st->bind(1, channel_id).bind(2, role).bind(3, user_id);
  return st->step();
}

bool is_oversight_channel(Database& db, std::int64_t channel_id) {
  std::int64_t agency_id = 0;
  {
    auto st = db.cached("SELECT agency_id FROM channels WHERE id = ?");
    st->bind(1, channel_id);
    if (!st->step()) return false;
    agency_id = st->get_int(0);
  }
  const auto up = key_store::ancestors(db, agency_id);
  if (up.empty()) return false;
  std::string list = "[";
  for (const auto id : up) list += (list.size() > 1 ? "," : "") + std::to_string(id);
  auto st = db.cached(
      "SELECT 1 FROM channel_members m JOIN users u ON u.id = m.user_id"
      " WHERE m.channel_id = ?1 AND m.role = 'recipient'"
      " AND u.agency_id IN (SELECT value FROM json_each(?2)) LIMIT 1");
  st->bind(1, channel_id).bind(2, list + "]");
  return st->step();
}

bool is_case_member(Database& db, std::int64_t case_id, std::int64_t user_id, const std::string& role) {
  auto st = db.cached(
      "SELECT 1 FROM cases c JOIN channel_members m ON m.channel_id = c.channel_id"
      " WHERE c.id = ? AND m.role = ? AND m.user_id = ?");
  st->bind(1, case_id).bind(2, role).bind(3, user_id);
  return st->step();
}

void join_default(Database& db, std::int64_t user_id, bool custodian, std::int64_t at) {
  auto st = db.cached(
      "INSERT OR IGNORE INTO channel_members (channel_id, user_id, role, since)"
      " SELECT c.id, ?1, 'recipient', ?3 FROM channels c JOIN users u ON u.agency_id = c.agency_id"
      "  WHERE u.id = ?1 AND c.slug = 'default'"
      " UNION ALL SELECT c.id, ?1, 'custodian', ?3 FROM channels c JOIN users u ON u.agency_id = c.agency_id"
      "  WHERE u.id = ?1 AND c.slug = 'default' AND ?2 = 1");
  st->bind(1, user_id).bind(2, custodian ? 1 : 0).bind(3, at);
  st->run();
}

std::vector<std::int64_t> oversight_agencies(Database& db, std::int64_t channel_id) {
  const auto channel = find_by_id(db, channel_id);
  if (!channel) return {};
  const auto up = key_store::ancestors(db, channel->agency_id);
  std::vector<std::int64_t> out;
  for (const auto& m : members(db, channel_id)) {
    if (m.role != "recipient" || !m.active) continue;
    if (std::find(up.begin(), up.end(), m.agency_id) == up.end()) continue;
    if (std::find(out.begin(), out.end(), m.agency_id) == out.end()) out.push_back(m.agency_id);
  }
  return out;
}

bool agency_has_cases(Database& db, std::int64_t agency_id) {
  auto st = db.cached("SELECT 1 FROM cases INDEXED BY cases_agency_newest WHERE agency_id = ? LIMIT 1");
  st->bind(1, agency_id);
  return st->step();
}

}  // namespace krasip::storage::channel_store
