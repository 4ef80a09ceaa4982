// E-mail alerts of the signed-in user (issue 12, item 2): which alerts, and
// the address, verified by a link before any alert goes there.
#include <boost/json.hpp>

#include "investigator_api.hpp"
#include "krasip/cases/common/case_error.hpp"
#include "krasip/server/api_response.hpp"
#include "krasip/server/api_routes.hpp"
#include "krasip/server/json_body.hpp"

namespace krasip::server {

namespace json = boost::json;

namespace {

json::object prefs_json(const cases::AlertPrefsView& v) {
  json::object o{{"new_case", v.choices.new_case},
                 {"reporter_activity", v.choices.reporter_activity},
                 {"deadline_digest", v.choices.deadline_digest},
                 {"email_verified", v.email_verified}};
  o["email"] = v.email ? json::value(*v.email) : json::value(nullptr);
  return o;
}

const cases::JsonShape kAlertChoices{{"new_case"}, {"reporter_activity"}, {"deadline_digest"}, {"email"}};
const cases::JsonShape kVerify{{"token"}};

bool bool_member(const json::object& o, std::string_view key, bool fallback) {
  const auto* v = o.if_contains(key);
  if (v == nullptr) return fallback;
  if (!v->is_bool()) {
    throw cases::CaseError(cases::ErrorCode::invalid_field, "must be true or false", std::string(key));
  }
  return v->get_bool();
}

}  // namespace

void add_alert_routes(Router& router, AppServices& app) {
  router.add(http::verb::get, "/api/v1/me/alerts", [&app](const Request& req, const RouteParams&, Reply reply) {
    const auto s = authenticate(req, app);
    app.triage.require_active(*s);
    reply(json_response(http::status::ok, prefs_json(app.alert_prefs->get(s->user_id))));
  });

  // {"new_case": bool, "reporter_activity": bool, "deadline_digest": bool,
  //  "email": "a@b.c" | "" (remove) | absent (keep)}
  router.add(http::verb::put, "/api/v1/me/alerts", [&app](const Request& req, const RouteParams&, Reply reply) {
    const auto s = authenticate(req, app);
    const auto body = parse_json_body(req, kAlertChoices);
    const auto* o = &body.get_object();
    const auto current = app.alert_prefs->get(s->user_id);
    cases::AlertChoices c;
    c.new_case = bool_member(*o, "new_case", current.choices.new_case);
    c.reporter_activity = bool_member(*o, "reporter_activity", current.choices.reporter_activity);
    c.deadline_digest = bool_member(*o, "deadline_digest", current.choices.deadline_digest);
    std::optional<std::string> email;
    if (const auto* e = o->if_contains("email")) {
      if (!e->is_string() || e->get_string().size() > 254) {
        throw cases::CaseError(cases::ErrorCode::invalid_field, "not a valid e-mail address", "email");
      }
      email = std::string(e->get_string());
    }
    offload(app, std::move(reply), [&app, s, c, email] {
      app.triage.require_active(*s);
      return json_response(http::status::ok, prefs_json(app.alert_prefs->set(s->user_id, c, email)));
    });
  });

  // The link in the verification mail opens a console page that posts the
  // token from its fragment (never in a URL a server logs). The token is the
  // proof: no session needed, so the link works in any browser.
  router.add(http::verb::post, "/api/v1/me/email/verify", [&app](const Request& req, const RouteParams&, Reply reply) {
    const auto body = parse_json_body(req, kVerify);
    const auto* o = body.if_object();
    const json::value* t = o != nullptr ? o->if_contains("token") : nullptr;
    if (t == nullptr || !t->is_string() || t->get_string().size() > 128) {
      throw cases::CaseError(cases::ErrorCode::not_found, "unknown or expired link");
    }
    std::string token(t->get_string());
    offload(app, std::move(reply), [&app, token] {
      app.alert_prefs->verify(token);
      return json_response(http::status::ok, json::object{{"verified", true}});
    });
  });
}

}  // namespace krasip::server
