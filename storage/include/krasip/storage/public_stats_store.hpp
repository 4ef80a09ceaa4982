#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace krasip::storage {

class Database;

// The published statistics of each agency (schema 22, issue 21 item 1):
// what it publishes them for (a month or a week), the case counts of the
// completed periods they are made from, and the stored publication itself.
namespace public_stats_store {

// 'month' or 'week'.
std::string period(Database& db, std::int64_t agency_id);
void set_period(Database& db, std::int64_t agency_id, const std::string& period);

// One agency's cases of a fiscal year received before `received_before`
// (the end of the last completed period), counted by Bangkok month,
// category, status, source and channel. Only the publication reads the
// crossing, to make its one-dimension tables from it.
struct CaseCell {
  int month = 0;
  std::string category;
  std::string status;
  std::string source;
  std::int64_t channel_id = 0;
  std::int64_t n = 0;
};
std::vector<CaseCell> case_cells(Database& db, std::int64_t agency_id, int fiscal_year,
                                 std::int64_t received_before);

// The agency's channels in the reporters' order.
struct ChannelName {
  std::int64_t id = 0;
  std::string slug;
  std::string name_th;
  std::string name_en;
};
std::vector<ChannelName> channels(Database& db, std::int64_t agency_id);

// The four dates of each case received before `received_before` (purged
// tombstones keep theirs).
struct CaseDates {
  std::int64_t received_at = 0;
  std::optional<std::int64_t> acknowledged_at;
  std::optional<std::int64_t> first_reply_at;
  std::optional<std::int64_t> outcome_at;
};
std::vector<CaseDates> case_dates(Database& db, std::int64_t agency_id, int fiscal_year,
                                  std::int64_t received_before);

struct Snapshot {
  std::string published_on;  // the Bangkok date, "2026-12-07"
  std::string body;          // JSON, as served
};
std::optional<Snapshot> load(Database& db, std::int64_t agency_id, int fiscal_year, const std::string& period);
// Keeps the first publication of a day: a second computation of the same
// day (two first requests at once) changes nothing that was served.
void store(Database& db, std::int64_t agency_id, int fiscal_year, const std::string& period,
           const Snapshot& s);

}  // namespace public_stats_store
}  // namespace krasip::storage
