#pragma once
#include "krasip/cases/catalog.hpp"
#include "krasip/cases/followup_service.hpp"
#include "krasip/cases/intake_service.hpp"
#include "krasip/cases/reader_directory.hpp"
#include "krasip/cases/status_service.hpp"
#include "krasip/server/router.hpp"
#include "krasip/storage/reader_pool.hpp"
#include "krasip/storage/records.hpp"
#include "krasip/storage/write_queue.hpp"

namespace krasip::server {

// The case logic the API translates to. Owned by main, outlives the server.
struct AppServices {
  cases::IntakeService& intake;
  cases::StatusService& status;
  cases::ReaderDirectory& readers;
  storage::ReaderPool& reader_pool;
  storage::WriteQueue& writer;
  storage::AgencyRow agency;
  cases::Limits limits;
  // Reporter follow-ups (issue 4): messages and evidence files. Null: the
  // routes are absent and GET /api/v1/intake announces no such features.
  cases::FollowUpService* followups = nullptr;
};

void add_intake_routes(Router& router, AppServices& app);
void add_status_routes(Router& router, AppServices& app);
void add_health_routes(Router& router, AppServices& app);
void add_followup_routes(Router& router, AppServices& app);

inline Router make_api_router(AppServices& app) {
  Router router;
  add_intake_routes(router, app);
  add_status_routes(router, app);
  add_health_routes(router, app);
  if (app.followups != nullptr) add_followup_routes(router, app);
  return router;
}

}  // namespace krasip::server
