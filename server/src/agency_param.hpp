#pragma once
#include <boost/json.hpp>

#include "krasip/server/api_routes.hpp"
#include "krasip/storage/records.hpp"

namespace krasip::server {

// The agency a public request names with `?agency=SLUG` (issue 11),
// resolved by the case logic (cases::intake_agency): unknown or disabled is
// 404 unknown_agency; no slug is the deployment's only open agency.
storage::AgencyRow requested_agency(AppServices &app, const Request &req);

// An agency as the public pages show it: slug, names and, when it has one,
// the address of its logo (GET /api/v1/agencies/{slug}/logo), else null.
boost::json::object agency_json(const storage::AgencyRow &agency);

} // namespace krasip::server
