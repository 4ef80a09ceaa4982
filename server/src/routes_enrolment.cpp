// The enrolment page's two calls (issue 20, item 6): whoever holds a
// one-time link sees the account's name and the TOTP secret to add to an
// authenticator app, then chooses a password and proves a code. No session:
// the link is the proof, rate limited like a login per client.
#include <boost/json.hpp>

#include "investigator_api.hpp"
#include "kdf_admission.hpp"
#include "krasip/cases/common/case_error.hpp"
#include "krasip/cases/common/thai_time.hpp"
#include "krasip/server/api_response.hpp"
#include "krasip/server/api_routes.hpp"
#include "krasip/server/json_body.hpp"
#include "krasip/storage/database.hpp"

namespace krasip::server {

namespace json = boost::json;

namespace {

const cases::JsonShape kOpen{{"token"}};
const cases::JsonShape kFinish{{"token"}, {"password"}, {"totp"}};
std::string member(const json::value& body, const char* key, std::size_t max) {
  const auto* o = body.if_object();
  const auto* v = o != nullptr ? o->if_contains(key) : nullptr;
  if (v == nullptr || !v->is_string() || v->get_string().size() > max) {
    throw cases::CaseError(cases::ErrorCode::missing_field, std::string(key) + " is required", key);
  }
  return std::string(v->get_string());
}
}  // namespace

void add_enrolment_routes(Router& router, AppServices& app) {
  router.add(
      http::verb::post, "/api/v1/enrol/open",
      [&app](const Request& req, const RouteParams&, Reply reply) {
        const auto body = parse_json_body(req, kOpen);
        auto token = member(body, "token", 128);
        offload(app, reply, [&app, token = std::move(token)] {
          auto db = app.reader_pool.acquire();
          const auto opened = app.enrolments->open(*db, token, app.clock());
          return json_response(http::status::ok,
                               json::object{{"username", opened.user.username},
                                            {"display_name", opened.user.display_name},
                                            {"totp_uri", opened.totp_uri},
                                            {"reenrolment", opened.enrolment.created_at != opened.user.key_created_at},
                                            {"expires_at", cases::iso8601_bangkok(opened.enrolment.expires_at)}});
        });
      },
      4 * 1024, app.login_limiter);

  router.add(
      http::verb::post, "/api/v1/enrol/finish",
      [&app](const Request& req, const RouteParams&, Reply reply) {
        const auto body = parse_json_body(req, kFinish);
        auto token = member(body, "token", 128);
        auto password = member(body, "password", 1024);
        auto totp = member(body, "totp", 16);
        auto slot = admit(app, reply);
        if (!slot) return;
        offload(app, reply, [&app, slot, token = std::move(token), password = std::move(password),
                             totp = std::move(totp)]() mutable {
          cases::EnrolmentService::Opened opened;
          {
            auto db = app.reader_pool.acquire();
            opened = app.enrolments->open(*db, token, app.clock());
          }
          // Argon2id of the owner's password, outside the writer.
          const auto wrapped = app.enrolments->wrap_for_owner(opened, token, password);
          std::fill(password.begin(), password.end(), '\0');
          app.writer.run([&](storage::Database& db) { app.enrolments->finish(db, token, wrapped, totp, app.clock()); });
          return json_response(http::status::ok, json::object{{"username", opened.user.username}});
        });
      },
      4 * 1024, app.login_limiter);
}

}  // namespace krasip::server
