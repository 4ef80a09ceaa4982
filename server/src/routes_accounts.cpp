// Accounts in the console (issue 12, item 1): an agency's administrators
// list, create, disable and re-enrol its accounts and set their roles. The
// first password and the TOTP secret of a new or re-enrolled account are in
// that one answer only (no-store), never in a log or the audit chain.
#include <boost/json.hpp>
#include <ctime>

#include "admin_guard.hpp"
#include "investigator_api.hpp"
#include "kdf_admission.hpp"
#include "krasip/cases/accounts/account_service.hpp"
#include "krasip/cases/common/case_error.hpp"
#include "krasip/server/api_response.hpp"
#include "krasip/server/api_routes.hpp"
#include "krasip/server/json_body.hpp"
#include "krasip/storage/user_store.hpp"

namespace krasip::server {

namespace json = boost::json;

namespace {

std::int64_t now() { return static_cast<std::int64_t>(std::time(nullptr)); }

json::object account_json(const storage::UserRow& u) {
  return {{"username", u.username},
          {"display_name", u.display_name},
          {"custodian", u.is_custodian},
          {"admin", u.is_admin},
          {"disabled", u.disabled_at.has_value()}};
}

const cases::JsonShape kNewAccount{{"username"}, {"display_name"}, {"custodian"}, {"admin"}, {"step_up", &kStepUp}};
const cases::JsonShape kReset{{"step_up", &kStepUp}};
const cases::JsonShape kRoles{{"custodian"}, {"admin"}, {"step_up", &kStepUp}};

const json::object& object_of(const json::value& body) {
  if (!body.is_object()) throw cases::CaseError(cases::ErrorCode::invalid_field, "the body must be a JSON object");
  return body.get_object();
}

std::string text(const json::object& o, const char* key, std::size_t max) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return {};
  if (!v->is_string() || v->get_string().size() > max) {
    throw cases::CaseError(cases::ErrorCode::invalid_field, std::string(key) + " must be a short text", key);
  }
  return std::string(v->get_string());
}

std::optional<bool> flag(const json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (!v->is_bool()) {
    throw cases::CaseError(cases::ErrorCode::invalid_field, std::string(key) + " must be true or false", key);
  }
  return v->get_bool();
}

// The account's row, or not_found for a name of another agency as for one
// never used.
storage::UserRow account_of(storage::Database& db, const cases::Session& s, const std::string& username) {
  auto u = storage::user_store::find_by_username(db, username);
  if (!u || u->agency_id != s.agency_id) throw cases::CaseError(cases::ErrorCode::not_found, "no such user", "username");
  return *u;
}

void not_yourself(const cases::Session& s, const std::string& username, const char* what) {
  if (s.username == username) throw cases::CaseError(cases::ErrorCode::invalid_field, what, "username");
}

// What an authenticator app needs, shown once.
json::object secrets_json(const storage::UserRow& u, const cases::AccountSecrets& secrets) {
  json::object o{{"user", account_json(u)}, {"totp_uri", secrets.totp_uri}};
  if (secrets.generated_password) o["password"] = *secrets.generated_password;
  return o;
}

}  // namespace

void add_account_routes(Router& router, AppServices& app) {
  router.add(http::verb::get, "/api/v1/admin/users", [&app](const Request& req, const RouteParams&, Reply reply) {
    const auto s = admin(req, app);
    offload(app, reply, [&app, s] {
      auto db = app.reader_pool.acquire();
      json::array users;
      for (const auto& u : storage::user_store::list(*db, s->agency_id)) users.push_back(account_json(u));
      return json_response(http::status::ok, json::object{{"users", std::move(users)}});
    });
  });

  // A new account. Its first password is always generated, never typed by
  // the administrator (the console asks its owner to change it at once).
  // An administrator or a custodian asks for a step-up.
  router.add(
      http::verb::post, "/api/v1/admin/users",
      [&app](const Request& req, const RouteParams& p, Reply reply) {
        const auto s = admin(req, app);
        const auto body = parse_json_body(req, kNewAccount);
        const auto& o = object_of(body);
        cases::NewAccount account{text(o, "username", 64), text(o, "display_name", 200),
                                  flag(o, "custodian").value_or(false), flag(o, "admin").value_or(false),
                                  std::nullopt};
        auto proof = step_up_proof(body);
        auto slot = admit(app, reply);
        if (!slot) return;
        offload(app, reply, [&app, s, slot, account = std::move(account), proof = std::move(proof),
                             client = p.client()] {
          std::optional<cases::StepUp> step_up;
          if (account.custodian || account.admin) step_up = require_step_up(app, *s, proof, client, "user.add");
          cases::AccountSecrets secrets;
          storage::UserRow row;
          app.writer.run([&](storage::Database& db) {
            if (step_up) app.login.consume_step_up(db, *step_up, now());
            secrets = app.accounts.add(db, s->agency(), account, now(), s->user_id);
            row = *storage::user_store::find_by_id(db, secrets.user_id);
          });
          return json_response(http::status::created, secrets_json(row, secrets));
        });
      },
      8 * 1024);

  router.add(
      http::verb::post, "/api/v1/admin/users/{username}/disable",
      [&app](const Request& req, const RouteParams& p, Reply reply) {
        const auto s = admin(req, app);
        refuse_body_members(req);
        offload(app, reply, [&app, s, username = std::string(p.get("username"))] {
          storage::UserRow row;
          app.writer.run([&](storage::Database& db) {
            (void)account_of(db, *s, username);
            not_yourself(*s, username, "you cannot disable your own account");
            app.accounts.disable(db, s->agency(), username, now(), s->user_id);
            row = account_of(db, *s, username);
          });
          return json_response(http::status::ok, json::object{{"user", account_json(row)}});
        });
      },
      1024);

  // Re-enrolment after a lost phone or password: a new key, password and
  // TOTP secret, shown once. Whoever holds them can sign in as the account,
  // so it always asks for a step-up. The old key's cases do not come along:
  // they come back through a grant (the console offers the administrator's
  // own; the recovery key's is `krasipd recovery grant`, offline).
  router.add(
      http::verb::post, "/api/v1/admin/users/{username}/reset",
      [&app](const Request& req, const RouteParams& p, Reply reply) {
        const auto s = admin(req, app);
        const auto body = parse_json_body(req, kReset);
        auto proof = step_up_proof(body);
        auto slot = admit(app, reply);
        if (!slot) return;
        offload(app, reply, [&app, s, slot, proof = std::move(proof), username = std::string(p.get("username")),
                             client = p.client()] {
          {
            auto db = app.reader_pool.acquire();
            (void)account_of(*db, *s, username);
          }
          not_yourself(*s, username, "change your own password under 'Change password'");
          const auto step_up = require_step_up(app, *s, proof, client, "user.reset");
          cases::AccountSecrets secrets;
          storage::UserRow row;
          app.writer.run([&](storage::Database& db) {
            app.login.consume_step_up(db, step_up, now());
            const auto before = account_of(db, *s, username);
            if (before.disabled_at) {
              throw cases::CaseError(cases::ErrorCode::invalid_transition, "this account is disabled", "username");
            }
            secrets = app.accounts.reset(db, s->agency(), username, std::nullopt, now(), s->user_id);
            row = account_of(db, *s, username);
          });
          return json_response(http::status::ok, secrets_json(row, secrets));
        });
      },
      8 * 1024);

  // Roles. Giving custodian or administrator asks for a step-up; taking
  // one away does not (it narrows who reads), except that an administrator
  // cannot take their own administrator role.
  router.add(
      http::verb::patch, "/api/v1/admin/users/{username}",
      [&app](const Request& req, const RouteParams& p, Reply reply) {
        const auto s = admin(req, app);
        const auto body = parse_json_body(req, kRoles);
        const auto& o = object_of(body);
        const auto custodian = flag(o, "custodian");
        const auto admin_role = flag(o, "admin");
        auto proof = step_up_proof(body);
        auto slot = admit(app, reply);
        if (!slot) return;
        offload(app, reply, [&app, s, slot, custodian, admin_role, proof = std::move(proof),
                             username = std::string(p.get("username")), client = p.client()] {
          storage::UserRow before;
          {
            auto db = app.reader_pool.acquire();
            before = account_of(*db, *s, username);
          }
          const bool want_custodian = custodian.value_or(before.is_custodian);
          const bool want_admin = admin_role.value_or(before.is_admin);
          if (s->username == username && !want_admin) {
            throw cases::CaseError(cases::ErrorCode::invalid_field, "you cannot take your own administrator role",
                                   "admin");
          }
          std::optional<cases::StepUp> step_up;
          if ((want_custodian && !before.is_custodian) || (want_admin && !before.is_admin)) {
            step_up = require_step_up(app, *s, proof, client, "user.roles");
          }
          storage::UserRow row;
          app.writer.run([&](storage::Database& db) {
            if (step_up) app.login.consume_step_up(db, *step_up, now());
            row = app.accounts.set_roles(db, s->agency(), username, want_custodian, want_admin, now(), s->user_id);
          });
          // A session carries the roles it was opened with: the account signs
          // in again and gets the new ones (a role taken away ends at once).
          if (row.is_custodian != before.is_custodian || row.is_admin != before.is_admin) {
            (void)app.sessions.remove_user(row.id);
          }
          return json_response(http::status::ok, json::object{{"user", account_json(row)}});
        });
      },
      8 * 1024);
}

}  // namespace krasip::server
