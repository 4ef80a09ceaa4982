#include "krasip/storage/public_stats_store.hpp"

#include "krasip/storage/database.hpp"

namespace krasip::storage::public_stats_store {

std::string period(Database& db, std::int64_t agency_id) {
  auto st = db.cached("SELECT stats_period FROM agencies WHERE id = ?1");
  st->bind(1, agency_id);
  return st->step() ? st->get_text(0) : std::string("month");
}

void set_period(Database& db, std::int64_t agency_id, const std::string& period) {
  auto st = db.cached("UPDATE agencies SET stats_period = ?2 WHERE id = ?1");
  st->bind(1, agency_id).bind(2, period);
  st->step();
}

std::vector<CaseCell> case_cells(Database& db, std::int64_t agency_id, int fiscal_year,
                                 std::int64_t received_before) {
  auto st = db.cached(
      "SELECT CAST(strftime('%m', received_at + 25200, 'unixepoch') AS INTEGER), category, status, source,"
      " channel_id, COUNT(*) FROM cases"
      " WHERE agency_id = ?1 AND fiscal_year = ?2 AND received_at < ?3"
      " GROUP BY 1, 2, 3, 4, 5");
  st->bind(1, agency_id).bind(2, fiscal_year).bind(3, received_before);
  std::vector<CaseCell> out;
  while (st->step()) {
    out.push_back({static_cast<int>(st->get_int(0)), st->get_text(1), st->get_text(2), st->get_text(3),
                   st->get_int(4), st->get_int(5)});
  }
  return out;
}

std::vector<ChannelName> channels(Database& db, std::int64_t agency_id) {
  auto st = db.cached(
      "SELECT id, slug, name_th, name_en FROM channels WHERE agency_id = ?1 ORDER BY position, id");
  st->bind(1, agency_id);
  std::vector<ChannelName> out;
  while (st->step()) out.push_back({st->get_int(0), st->get_text(1), st->get_text(2), st->get_text(3)});
  return out;
}

std::vector<CaseDates> case_dates(Database& db, std::int64_t agency_id, int fiscal_year,
                                  std::int64_t received_before) {
  auto st = db.cached(
      "SELECT received_at, acknowledged_at, first_reply_at, outcome_at FROM cases"
      " INDEXED BY cases_agency_year WHERE agency_id = ?1 AND fiscal_year = ?2 AND received_at < ?3");
  st->bind(1, agency_id).bind(2, fiscal_year).bind(3, received_before);
  std::vector<CaseDates> out;
  while (st->step()) {
    out.push_back({st->get_int(0), st->get_optional_int(1), st->get_optional_int(2), st->get_optional_int(3)});
  }
  return out;
}

std::optional<Snapshot> load(Database& db, std::int64_t agency_id, int fiscal_year, const std::string& period) {
  auto st = db.cached(
      "SELECT published_on, body FROM public_stats_snapshots"
      " WHERE agency_id = ?1 AND fiscal_year = ?2 AND period = ?3");
  st->bind(1, agency_id).bind(2, fiscal_year).bind(3, period);
  if (!st->step()) return std::nullopt;
  return Snapshot{st->get_text(0), st->get_text(1)};
}

void store(Database& db, std::int64_t agency_id, int fiscal_year, const std::string& period,
           const Snapshot& s) {
  auto st = db.cached(
      "INSERT INTO public_stats_snapshots (agency_id, fiscal_year, period, published_on, body)"
      " VALUES (?1, ?2, ?3, ?4, ?5)"
      " ON CONFLICT (agency_id, fiscal_year, period) DO UPDATE SET published_on = ?4, body = ?5"
      " WHERE published_on <> ?4");
  st->bind(1, agency_id).bind(2, fiscal_year).bind(3, period).bind(4, s.published_on).bind(5, s.body);
  st->step();
}

}  // namespace krasip::storage::public_stats_store
