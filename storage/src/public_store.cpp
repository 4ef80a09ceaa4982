#include "krasip/storage/public_store.hpp"

#include "krasip/storage/database.hpp"

namespace krasip::storage::public_store {

std::vector<CaseTimes> case_times(Database& db, std::int64_t agency_id, int fiscal_year) {
  // From the index alone (migration 17): the agency's cases are scattered
  // over the table when the deployment serves many agencies.
  auto st = db.cached(
      "SELECT received_at, acknowledged_at, first_reply_at, outcome_at FROM cases"
      " INDEXED BY cases_agency_year WHERE agency_id = ?1 AND fiscal_year = ?2");
  st->bind(1, agency_id).bind(2, fiscal_year);
  std::vector<CaseTimes> out;
  while (st->step()) {
    out.push_back({st->get_int(0), st->get_optional_int(1), st->get_optional_int(2), st->get_optional_int(3)});
  }
  return out;
}

std::vector<ChannelCount> channel_counts(Database& db, std::int64_t agency_id, int fiscal_year) {
  auto st = db.cached(
      "SELECT ch.slug, ch.name_th, ch.name_en,"
      "  COALESCE((SELECT SUM(n) FROM channel_counts cc"
      "            WHERE cc.channel_id = ch.id AND cc.fiscal_year = ?2), 0)"
      " FROM channels ch WHERE ch.agency_id = ?1 ORDER BY ch.position, ch.id");
  st->bind(1, agency_id).bind(2, fiscal_year);
  std::vector<ChannelCount> out;
  while (st->step()) out.push_back({st->get_text(0), st->get_text(1), st->get_text(2), st->get_int(3)});
  return out;
}

std::vector<MemberCount> member_counts(Database& db, std::int64_t agency_id) {
  auto st = db.cached(
      "SELECT m.channel_id, m.role, COUNT(*), SUM(u.agency_id <> ch.agency_id)"
      " FROM channel_members m JOIN channels ch ON ch.id = m.channel_id"
      " JOIN users u ON u.id = m.user_id"
      " WHERE ch.agency_id = ?1 AND u.disabled_at IS NULL"
      " GROUP BY m.channel_id, m.role");
  st->bind(1, agency_id);
  std::vector<MemberCount> out;
  while (st->step()) out.push_back({st->get_int(0), st->get_text(1), st->get_int(2), st->get_int(3)});
  return out;
}

void put_site_picture(Database& db, std::int64_t agency_id, const SitePicture& p,
                      std::optional<std::int64_t> uploaded_by) {
  auto st = db.cached(
      "INSERT INTO agency_site_pictures (agency_id, image, mime, page_url, uploaded_at, uploaded_by)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
      " ON CONFLICT (agency_id) DO UPDATE SET image = ?2, mime = ?3, page_url = ?4,"
      "  uploaded_at = ?5, uploaded_by = ?6");
  st->bind(1, agency_id).bind(2, p.image).bind(3, p.mime).bind(4, p.page_url).bind(5, p.uploaded_at);
  st->bind(6, uploaded_by);
  st->step();
}

std::optional<SitePicture> site_picture(Database& db, std::int64_t agency_id) {
  auto st = db.cached(
      "SELECT image, mime, page_url, uploaded_at FROM agency_site_pictures WHERE agency_id = ?1");
  st->bind(1, agency_id);
  if (!st->step()) return std::nullopt;
  return SitePicture{st->get_blob(0), st->get_text(1), st->get_text(2), st->get_int(3)};
}

}  // namespace krasip::storage::public_store
