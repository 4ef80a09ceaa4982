#pragma once
#include <boost/json/object.hpp>

#include "krasip/cases/agencies/protection_measures.hpp"
#include "krasip/cases/statistics/stats_service.hpp"
#include "krasip/server/api_routes.hpp"
#include "krasip/storage/records.hpp"

#include <string>
#include <string_view>

namespace krasip::server {

// `?fiscal_year=` (B.E.), the fiscal year of `now` when absent; else invalid_field.
int fiscal_year_of(const Request& req, std::int64_t now);
// What an agency publishes (issue 13, item 1): the day's publication of its
// statistics (issue 21, item 1), as stored, made on the first request of the
// day when not yet made; `asked_period` (`?period=`), when given, must be the
// one the agency publishes by, else 400 invalid_field naming `period`.
std::string public_stats_body(AppServices& app, const storage::AgencyRow& agency, int fiscal_year, std::int64_t now,
                              std::string_view asked_period = {});
// Its CSV (UTF-8 with BOM): a withheld count is an empty cell.
std::string published_csv(const boost::json::object& stats);
// The measures of GET /api/v1/public/measures.
boost::json::object measures_json(const cases::ProtectionMeasures& m);

}  // namespace krasip::server
