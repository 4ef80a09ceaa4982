#include "admin_guard.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "investigator_api.hpp"
#include "krasip/cases/common/case_error.hpp"
#include "krasip/storage/database.hpp"
#include "krasip/storage/key_store.hpp"

namespace krasip::server {

namespace json = boost::json;

std::shared_ptr<const cases::Session> admin(const Request& req, AppServices& app) {
  auto s = authenticate(req, app);
  app.triage.require_active(*s);
  if (!s->is_admin) throw cases::CaseError(cases::ErrorCode::forbidden, "for administrators only");
  return s;
}

cases::AgencyScope managed_agency(AppServices& app, const cases::Session& s, const Request& req) {
  const auto slug = query_param(req.target(), "agency");
  if (slug.empty()) return s.agency();
  auto db = app.reader_pool.acquire();
  const auto a = storage::key_store::find_agency_by_slug(*db, slug);
  if (a && a->id == s.agency_id) return s.agency();
  if (a) {
    const auto up = storage::key_store::ancestors(*db, a->id);
    if (std::find(up.begin(), up.end(), s.agency_id) != up.end()) return cases::AgencyScope::of(*a);
  }
  throw cases::CaseError(cases::ErrorCode::not_found, "no such agency", "agency");
}

const cases::JsonShape kStepUp{{"password"}, {"totp"}};
const cases::JsonShape kStepUpOnly{{"step_up", &kStepUp}};

StepUpProof step_up_proof(const json::value& body) {
  StepUpProof p;
  const auto* o = body.if_object();
  const auto* v = o != nullptr ? o->if_contains("step_up") : nullptr;
  if (v == nullptr || !v->is_object()) return p;
  const auto text = [&](const char* key, std::size_t max) {
    const auto* m = v->get_object().if_contains(key);
    if (m == nullptr || !m->is_string() || m->get_string().size() > max) return std::string();
    return std::string(m->get_string());
  };
  p.present = true;
  p.password = text("password", 1024);
  p.totp = text("totp", 16);
  return p;
}

cases::StepUp require_step_up(AppServices& app, const cases::Session& s, const StepUpProof& proof,
                     const std::string& client, const std::string& action) {
  if (!proof.present) {
    throw cases::CaseError(cases::ErrorCode::step_up_required,
                           "this action asks for your password and a new code from your authenticator app",
                           "step_up");
  }
  return app.login.step_up(s, proof.password, proof.totp, client, action);
}

}  // namespace krasip::server
