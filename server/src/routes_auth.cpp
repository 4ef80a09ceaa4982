#include <boost/json.hpp>

#include "investigator_api.hpp"
#include "krasip/cases/case_error.hpp"
#include "krasip/server/api_response.hpp"
#include "krasip/server/api_routes.hpp"
#include "krasip/server/json_body.hpp"

namespace krasip::server {

namespace json = boost::json;

namespace {
std::string string_member(const json::value& body, std::string_view key, std::size_t max) {
  const auto* o = body.if_object();
  const json::value* v = o != nullptr ? o->if_contains(key) : nullptr;
  if (v == nullptr || !v->is_string() || v->get_string().size() > max) return {};
  return std::string(v->get_string());
}
}  // namespace

void add_auth_routes(Router& router, AppServices& app) {
  router.add(
      http::verb::post, "/api/v1/auth/login",
      [&app](const Request& req, const RouteParams&, Reply reply) {
        const auto body = parse_json_body(req);
        // Missing parts are treated as wrong parts: same answer, same work.
        auto username = string_member(body, "username", 64);
        auto password = string_member(body, "password", 1024);
        auto totp = string_member(body, "totp", 16);
        offload(app, reply, [&app, username = std::move(username), password = std::move(password),
                             totp = std::move(totp)] {
          const auto r = app.login.login(username, password, totp);
          auto res = json_response(http::status::ok,
                                   json::object{{"csrf_token", r.session->csrf_token},
                                                {"user", user_json(*r.session)}});
          res.set(http::field::set_cookie, session_cookie(r.token, app.secure_cookies));
          return res;
        });
      },
      8 * 1024, app.login_limiter);

  router.add(http::verb::post, "/api/v1/auth/logout",
             [&app](const Request& req, const RouteParams&, Reply reply) {
               (void)authenticate(req, app);
               app.login.logout(session_token(req));
               Response res{http::status::no_content, 11};
               res.set(http::field::set_cookie, session_cookie({}, app.secure_cookies, true));
               reply(std::move(res));
             });

  router.add(
      http::verb::post, "/api/v1/auth/password",
      [&app](const Request& req, const RouteParams&, Reply reply) {
        const auto s = authenticate(req, app);
        const auto body = parse_json_body(req);
        auto current = string_member(body, "current_password", 1024);
        auto next = string_member(body, "new_password", 1024);
        offload(app, reply, [&app, s, current = std::move(current), next = std::move(next)] {
          app.login.change_password(*s, current, next, app.accounts);
          return Response{http::status::no_content, 11};
        });
      },
      8 * 1024);

  router.add(http::verb::get, "/api/v1/auth/me",
             [&app](const Request& req, const RouteParams&, Reply reply) {
               const auto s = authenticate(req, app);
               reply(json_response(http::status::ok,
                                   json::object{{"csrf_token", s->csrf_token}, {"user", user_json(*s)}}));
             });
}

}  // namespace krasip::server
