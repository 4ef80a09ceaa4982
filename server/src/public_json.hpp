#pragma once
#include <boost/json/object.hpp>

#include "krasip/cases/agencies/protection_measures.hpp"
#include "krasip/cases/statistics/stats_service.hpp"
#include "krasip/server/api_routes.hpp"

namespace krasip::server {

// `?fiscal_year=` (B.E.), this fiscal year when absent; else invalid_field.
int fiscal_year_of(const Request& req);
// What an agency publishes (issue 13, item 1): the statistics of
// GET /api/v1/public/stats and the measures of GET /api/v1/public/measures.
boost::json::object published_stats_json(const cases::PublishedStats& p);
boost::json::object measures_json(const cases::ProtectionMeasures& m);

}  // namespace krasip::server
