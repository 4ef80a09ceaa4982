#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "krasip/cases/agencies/catalog.hpp"
#include "krasip/cases/common/agency_scope.hpp"
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
  // Twelve entries in fiscal order: October of the previous C.E. year first.
  struct Month {
    int year_be;
    int month;
    std::int64_t received;
  };
  std::vector<Month> by_month;
};

class StatsService {
 public:
  explicit StatsService(storage::ReaderPool& pool) : pool_(pool) {}
  // Every case of the agency: what it publishes.
  FiscalYearStats fiscal_year(AgencyScope agency, int fiscal_year_be);
  // Only the cases of the channels `user_id` receives, less those they are
  // excluded from: an investigator's count must not reveal a case kept
  // from them (issue 10).
  FiscalYearStats fiscal_year_for(int fiscal_year_be, std::int64_t user_id);

 private:
  FiscalYearStats tally(std::optional<AgencyScope> agency, int fiscal_year_be,
                        std::optional<std::int64_t> user_id);
  storage::ReaderPool& pool_;
};

// CSV (UTF-8 with BOM, so Excel opens Thai correctly): section,key,label_th,label_en,count.
std::string stats_csv(const FiscalYearStats& s);

}  // namespace krasip::cases
