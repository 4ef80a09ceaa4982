#include "agency_param.hpp"

#include "krasip/cases/agencies/agency_registry.hpp"
#include "krasip/storage/database.hpp"

namespace krasip::server {

storage::AgencyRow requested_agency(AppServices &app, const Request &req) {
  auto slug = query_param(req.target(), "agency");
  auto db = app.reader_pool.acquire();
  return cases::intake_agency(
      *db, slug.empty() ? std::nullopt : std::optional(std::move(slug)));
}

} // namespace krasip::server
