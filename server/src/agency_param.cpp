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

boost::json::object agency_json(const storage::AgencyRow &agency) {
  boost::json::object o{{"slug", agency.slug},
                        {"name_th", agency.name_th},
                        {"name_en", agency.name_en}};
  if (agency.logo_type.empty()) {
    o["logo"] = nullptr;
  } else {
    o["logo"] = "/api/v1/agencies/" + agency.slug + "/logo";
  }
  return o;
}

} // namespace krasip::server
