#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "krasip/cases/agencies/catalog.hpp"
#include "krasip/cases/common/deadlines.hpp"
#include "krasip/cases/statistics/stats_service.hpp"
#include "krasip/storage/public_stats_store.hpp"
#include "krasip/storage/records.hpp"

namespace krasip::storage {
class Database;
}

namespace krasip::cases {

// What an agency publishes is a publication, not a query (issue 21, item
// 1): computed once a day, at the roll (00:00 Bangkok by the service's
// clock), from the cases of completed periods only, stored, and served as
// stored until the next day. A poll around a filing sees nothing move, and
// the next publication dates the complaint to its period, no finer.

enum class StatsPeriod { month, week };
std::string_view period_name(StatsPeriod p);
std::optional<StatsPeriod> parse_period(std::string_view text);

// 00:00 Bangkok opening the period that holds `now` (the 1st of the month,
// or the Monday): what was received before it lies in completed periods.
// Never later than the start of `now`'s day.
std::int64_t completed_before(std::int64_t now, StatsPeriod p);

// A published count: nullopt is withheld.
using Published = std::optional<std::int64_t>;

// The small-number rule for one table whose cells add up to a total that is
// published too (every table of a publication adds up to `received`): a
// count from 1 to minimum-1 is withheld; and while the published figures
// would still pin a withheld one down (fewer than two withheld, or their sum
// less the others' least of 1 each below minimum-1), the smallest published
// non-zero cell is withheld with them. Afterwards each withheld count could,
// from the table and its total, be anything from 1 to minimum-1: it says no
// more than "fewer than minimum", and no subtraction tells which. When even
// every non-zero cell withheld would pin them (5 cases, one in each of five
// categories), the zeros are withheld too: the whole table is. A total
// that is itself withheld (1 to minimum-1 cases in all) withholds every cell.
std::vector<Published> withhold_small(const std::vector<std::int64_t>& cells, bool total_published,
                                      std::int64_t minimum = kPublicMinimumBase);

// What the publication is made from.
struct PublicTally {
  int fiscal_year = 0;
  StatsPeriod period = StatsPeriod::month;
  std::int64_t published_at = 0;      // the roll: 00:00 Bangkok of the day
  std::int64_t completed_before = 0;  // cases received before this only
  std::vector<Label> categories;      // the agency's, in its order
  std::vector<storage::public_stats_store::ChannelName> channels;
  std::vector<storage::public_stats_store::CaseCell> cells;
  std::vector<storage::public_stats_store::CaseDates> dates;
  Deadlines deadlines;
};

struct PublicSnapshot {
  int fiscal_year = 0;
  StatsPeriod period = StatsPeriod::month;
  std::string published_on;            // the Bangkok date
  std::optional<std::string> through;  // the last day covered; none yet in this year
  Published received, in_progress, completed;
  std::vector<std::pair<std::string, Published>> by_category, by_source, outcomes;
  struct Month {
    int year_be;
    int month;
    Published received;
  };
  std::vector<Month> by_month;
  struct Channel {
    std::string slug, name_th, name_en;
    Published received;
  };
  std::vector<Channel> by_channel;
  Deadlines deadlines;
  // Counts behind the service figures: published from minimum cases up.
  Published acknowledged, with_outcome, acknowledge_base, acknowledged_in_time, reply_base, replied_in_time;
  std::optional<double> median_days_to_acknowledge, median_days_to_outcome;
  std::optional<double> acknowledged_in_time_percent, replied_in_time_percent;
};

PublicSnapshot publish(const PublicTally& t, std::int64_t minimum = kPublicMinimumBase);

// The stored and served body (JSON): the figures, the period and the date
// published, and the labels the public page shows them with.
std::string snapshot_body(const PublicSnapshot& s);

// Reads what the publication of `now`'s day is made from: the agency's
// cases of the fiscal year received before the current period.
PublicTally tally_for(storage::Database& db, const storage::AgencyRow& agency, int fiscal_year, StatsPeriod period,
                      const Deadlines& deadlines, std::int64_t now);

// The agency's publication of `now`'s day for a fiscal year: the stored one
// when it was published today, else made now (from completed periods only,
// so the same whenever in the day it is made) by `store`, which runs on the
// writer and keeps the day's first. Returns the body as stored.
using SnapshotWriter = std::function<void(const std::function<void(storage::Database&)>&)>;
std::string published_body(storage::Database& reader, const SnapshotWriter& write, const storage::AgencyRow& agency,
                           int fiscal_year, StatsPeriod period, const Deadlines& deadlines, std::int64_t now);

}  // namespace krasip::cases
