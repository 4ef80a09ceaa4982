#pragma once
#include "krasip/server/api_routes.hpp"
#include "krasip/storage/records.hpp"

namespace krasip::server {

// The agency a public request names with `?agency=SLUG` (issue 11),
// resolved by the case logic (cases::intake_agency): unknown or disabled is
// 404 unknown_agency; no slug is the deployment's only open agency.
storage::AgencyRow requested_agency(AppServices &app, const Request &req);

} // namespace krasip::server
