#pragma once
#include <boost/asio/thread_pool.hpp>
#include <atomic>
#include <cstddef>

#include <filesystem>
#include <string>
#include <vector>

#include "krasip/cases/alerts/alert_prefs.hpp"
#include "krasip/cases/audit/audit_log.hpp"
#include "krasip/cases/agencies/catalog.hpp"
#include "krasip/cases/common/server_secrets.hpp"
#include "krasip/cases/accounts/enrolment_service.hpp"
#include "krasip/cases/accounts/login_service.hpp"
#include "krasip/cases/common/clock.hpp"
#include "krasip/cases/governance/governance_service.hpp"
#include "krasip/cases/accounts/session_store.hpp"
#include "krasip/cases/statistics/stats_service.hpp"
#include "krasip/cases/triage/triage_service.hpp"
#include "krasip/cases/reporter/code_replacement.hpp"
#include "krasip/cases/reporter/escalation_service.hpp"
#include "krasip/cases/reporter/followup_service.hpp"
#include "krasip/cases/intake/intake_service.hpp"
#include "krasip/cases/accounts/reader_directory.hpp"
#include "krasip/cases/reporter/status_service.hpp"
#include "krasip/server/router.hpp"
#include "krasip/storage/reader_pool.hpp"
#include "krasip/storage/records.hpp"
#include "krasip/storage/write_queue.hpp"

namespace krasip::server {

class FormTokens;  // form_tokens.hpp

// The case logic the API translates to. Owned by main, outlives the server.
struct AppServices {
  cases::IntakeService& intake;
  cases::StatusService& status;
  cases::ReaderDirectory& readers;
  storage::ReaderPool& reader_pool;
  storage::WriteQueue& writer;
  cases::Limits limits;
  cases::SessionStore& sessions;
  cases::LoginService& login;
  const cases::AccountService& accounts;
  cases::TriageService& triage;
  cases::StatsService& stats;
  // Argon2id, decryption of whole cases and waits for commits run here,
  // never on the I/O threads.
  boost::asio::thread_pool& workers;
  bool secure_cookies = false;
  // The service's onion address (serve --onion-address), named on the
  // receipt and the measures page; empty: none.
  std::string onion_address{};
  // Per-client limits (nullptr: none).
  cases::RateLimiter* submit_limiter = nullptr;
  cases::RateLimiter* status_limiter = nullptr;
  cases::RateLimiter* login_limiter = nullptr;
  // Proofs of work for submissions, lookups and reporter messages (issue
  // 22; null: never asked).
  cases::ProofOfWork* pow = nullptr;
  // Reporter follow-ups (issue 4): messages and evidence files. Null: the
  // routes are absent and GET /api/v1/intake announces no such features.
  cases::FollowUpService* followups = nullptr;
  // Where new complaints are encrypted (null: on the I/O thread). Apart
  // from `workers`, so a burst of logins (Argon2id) does not hold up intake.
  boost::asio::thread_pool* sealing = nullptr;
  // Logins and password changes (Argon2id) admitted to `workers` and not
  // yet done. Beyond the limit the answer is 503 server_busy at once,
  // rather than a wait with no end in sight.
  std::size_t kdf_queue_limit = 32;
  std::atomic<std::size_t> kdf_queued{0};
  // The audit chain, to show the heads an agency publishes (null: no route).
  const cases::AuditLog* audit = nullptr;
  // Evidence uploads being received or checked at once (each may hold up to
  // Limits::upload_max_bytes in memory). Beyond: 503 server_busy.
  std::size_t max_concurrent_uploads = 4;
  std::atomic<std::size_t> uploads_active{0};
  // Where an upload's last step runs (the krasip-cleaner helper, encryption,
  // fsync): it may take up to the helper's timeout, so never on the I/O
  // threads (null: on the I/O thread, for tests of the case logic only).
  boost::asio::thread_pool* cleaning = nullptr;
  // The reporter moves the case to another channel (null: no route).
  cases::EscalationService* escalation = nullptr;
  // The reporter replaces their tracking code (null: no route).
  cases::CodeReplacement* code_replacement = nullptr;
  // E-mail alert choices of the signed-in user (null: no routes).
  cases::AlertPrefsService* alert_prefs = nullptr;
  // The data folder, for the administrators' health page (empty: no page).
  std::filesystem::path data_dir{};
  // krasip-pack-pdf, which prints the ITA evidence pack as a PDF (empty: the
  // PDF is not offered; the HTML still is).
  std::filesystem::path pack_pdf_renderer{};
  std::filesystem::path pack_fonts_dir{};  // the Sarabun files it prints with
  // The server's secrets, for the agency's SMTP password (null: no agency
  // settings routes).
  const cases::ServerSecrets* secrets = nullptr;
  // Who may change who reads, what is kept and where alerts go (issue 20;
  // null: the administration and governance routes are absent).
  const cases::GovernanceService* governance = nullptr;
  const cases::EnrolmentService* enrolments = nullptr;
  // The console's address as its users reach it (serve --public-url), for
  // the enrolment links an administrator hands over; may be empty.
  std::string public_url{};
  // Every route's time (serve --clock-offset-file moves it in tests).
  cases::Clock clock = cases::system_clock();
  // The reporter's pages without JavaScript (issue 22): their one-time form
  // tokens (null: no such pages) and the stylesheets they link (the built
  // pages' bundle).
  FormTokens* form_tokens = nullptr;
  std::vector<std::string> page_stylesheets{};
};

void add_intake_routes(Router& router, AppServices& app);
void add_status_routes(Router& router, AppServices& app);
void add_health_routes(Router& router, AppServices& app);
void add_auth_routes(Router& router, AppServices& app);
void add_case_routes(Router& router, AppServices& app);
void add_stats_routes(Router& router, AppServices& app);
void add_followup_routes(Router& router, AppServices& app);
void add_audit_head_routes(Router& router, AppServices& app);
void add_channel_routes(Router& router, AppServices& app);
void add_alert_routes(Router& router, AppServices& app);
void add_admin_health_routes(Router& router, AppServices& app);
void add_public_routes(Router& router, AppServices& app);
void add_evidence_pack_routes(Router& router, AppServices& app);
void add_account_routes(Router& router, AppServices& app);
void add_agency_settings_routes(Router& router, AppServices& app);
void add_governance_routes(Router& router, AppServices& app);
void add_enrolment_routes(Router& router, AppServices& app);
void add_plain_report_routes(Router& router, AppServices& app);
void add_plain_status_routes(Router& router, AppServices& app);

inline Router make_api_router(AppServices& app) {
  Router router;
  add_intake_routes(router, app);
  add_status_routes(router, app);
  add_health_routes(router, app);
  add_auth_routes(router, app);
  add_case_routes(router, app);
  add_stats_routes(router, app);
  if (app.followups != nullptr) add_followup_routes(router, app);
  if (app.audit != nullptr) add_audit_head_routes(router, app);
  if (app.alert_prefs != nullptr) add_alert_routes(router, app);
  if (!app.data_dir.empty()) add_admin_health_routes(router, app);
  add_public_routes(router, app);
  if (app.audit != nullptr) add_evidence_pack_routes(router, app);
  if (app.governance != nullptr && app.enrolments != nullptr) {
    add_account_routes(router, app);
    add_governance_routes(router, app);
    add_enrolment_routes(router, app);
    if (app.audit != nullptr) add_channel_routes(router, app);
    if (app.audit != nullptr && app.secrets != nullptr) add_agency_settings_routes(router, app);
  }
  if (app.form_tokens != nullptr) {
    add_plain_report_routes(router, app);
    add_plain_status_routes(router, app);
  }
  return router;
}

}  // namespace krasip::server
