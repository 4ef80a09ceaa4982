#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "krasip/cases/agencies/catalog.hpp"
#include "krasip/cases/common/agency_scope.hpp"
#include "krasip/cases/common/deadlines.hpp"
#include "krasip/storage/reader_pool.hpp"

namespace krasip::cases {

// Counts for one Thai fiscal year (1 October – 30 September, B.E.), as an
// agency reports them in its ITA assessment.
struct FiscalYearStats {
  int fiscal_year = 0;
  std::int64_t received = 0;
  std::int64_t in_progress = 0;  // received, acknowledged, investigating
  std::int64_t completed = 0;    // every final status
  std::map<std::string, std::int64_t> by_category;
  // The categories reported, in order: the agency's own (issue 11), then
  // any other that cases of the year carry (one the agency has since
  // stopped offering). by_category has every one of them.
  std::vector<Label> categories;
  std::map<std::string, std::int64_t> by_status;
  // How the complaints came (issue 13, item 3): web, counter, phone,
  // letter, email; every source present, zero or not.
  std::map<std::string, std::int64_t> by_source;
  // Twelve entries in fiscal order: October of the previous C.E. year first.
  struct Month {
    int year_be;
    int month;
    std::int64_t received;
  };
  std::vector<Month> by_month;
};

// Below this many cases, no figure made from individual cases' dates
// (a median, a share within the deadline) is published: with two cases, a
// median of 3 days tells a colleague who saw one acknowledged on day 3
// when the other was. Nor is a count from 1 to this less one, nor one from
// which such a count could be worked out (public_snapshot.hpp); no public
// table crosses two axes (docs/security.md, "What an agency publishes").
inline constexpr std::int64_t kPublicMinimumBase = 5;

class StatsService {
 public:
  explicit StatsService(storage::ReaderPool& pool) : pool_(pool) {}
  // Every case of the agency: what it publishes.
  FiscalYearStats fiscal_year(AgencyScope agency, int fiscal_year_be);
  // Only the cases whose complaint `user_id`'s current key opens, in the
  // channels they receive, less those they are excluded from: an
  // investigator's count must not reveal a case kept from them (issue 10),
  // nor one of their channel they hold no key to (issue 20, item 9: a
  // recipient added later does not count earlier cases until granted).
  FiscalYearStats fiscal_year_for(int fiscal_year_be, std::int64_t user_id);

 private:
  FiscalYearStats tally(std::optional<AgencyScope> agency, int fiscal_year_be,
                        std::optional<std::int64_t> user_id);
  storage::ReaderPool& pool_;
};

// CSV (UTF-8 with BOM, so Excel opens Thai correctly): section,key,label_th,label_en,count.
std::string stats_csv(const FiscalYearStats& s);

}  // namespace krasip::cases
