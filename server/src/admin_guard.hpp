#pragma once
#include <boost/json/value.hpp>
#include <memory>
#include <string>

#include "krasip/cases/accounts/login_service.hpp"
#include "krasip/cases/accounts/session_store.hpp"
#include "krasip/cases/common/json_shape.hpp"
#include "krasip/server/api_routes.hpp"
#include "krasip/server/http_types.hpp"

namespace krasip::server {

// The signed-in administrator (an active account with the role), or
// CaseError forbidden. Everything they change is their own agency's.
std::shared_ptr<const cases::Session> admin(const Request& req, AppServices& app);

// The agency an administrator acts on: their own, or with `?agency=SLUG` one
// below their agency (issue 20: a supervising agency's administrators watch
// and approve changes to the channels they oversee). Any other is not_found.
cases::AgencyScope managed_agency(AppServices& app, const cases::Session& s, const Request& req);

// The password and TOTP code a sensitive request carries in its body as
// "step_up": {"password": ..., "totp": ...} (docs/security.md, "Step-up").
struct StepUpProof {
  bool present = false;
  std::string password;
  std::string totp;
};
StepUpProof step_up_proof(const boost::json::value& body);
// The step_up object's members, for the shapes of the routes that take one.
extern const cases::JsonShape kStepUp;
// The body of an action that takes nothing but a step-up.
extern const cases::JsonShape kStepUpOnly;

// On a worker thread: checks the proof (LoginService::step_up), or throws
// step_up_required when the request carries none. The caller passes the
// result to LoginService::consume_step_up in the action's transaction.
cases::StepUp require_step_up(AppServices& app, const cases::Session& s, const StepUpProof& proof,
                     const std::string& client, const std::string& action);

}  // namespace krasip::server
