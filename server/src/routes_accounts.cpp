// Accounts in the console (issue 12, item 1; issue 20): an agency's
// administrators list, create, disable, enable and re-enrol its accounts
// and set their roles. A new or re-enrolled account's owner sets their own
// password and TOTP from a one-time link (the answer's only copy, no-store);
// the administrator never sees either. Disabling or re-enrolling an account
// that reads open cases is a proposal a second person approves.
#include <boost/json.hpp>

#include "admin_guard.hpp"
#include "governance_json.hpp"
#include "krasip/cases/common/thai_time.hpp"
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

json::object account_json(const storage::UserRow& u) {
  return {{"username", u.username},
          {"display_name", u.display_name},
          {"custodian", u.is_custodian},
          {"admin", u.is_admin},
          {"disabled", u.disabled_at.has_value()},
          // No TOTP yet: the owner has not used their enrolment link.
          {"awaiting_enrolment", u.totp_sealed.empty()}};
}

json::object enrolment_json(const AppServices& app, const cases::EnrolmentLink& link) {
  return {{"username", link.username},
          {"link", app.public_url + "/console/enrol.html#" + link.token},
          {"expires_at", cases::iso8601_bangkok(link.expires_at)}};
}

const cases::JsonShape kNewAccount{{"username"}, {"display_name"}, {"custodian"}, {"admin"}, {"step_up", &kStepUp}};
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

// The account's row, or not_found for a name of another agency as for one
// never used.
storage::UserRow account_of(storage::Database& db, const cases::Session& s, const std::string& username) {
  auto u = storage::user_store::find_by_username(db, username);
  if (!u || u->agency_id != s.agency_id) throw cases::CaseError(cases::ErrorCode::not_found, "no such user", "username");
  return *u;
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

  // A new account: always a step-up (issue 20, item 6). Its owner chooses
  // the password and enrols the TOTP from the link in the answer.
  router.add(
      http::verb::post, "/api/v1/admin/users",
      [&app](const Request& req, const RouteParams& p, Reply reply) {
        const auto s = admin(req, app);
        const auto body = parse_json_body(req, kNewAccount);
        const auto& o = object_of(body);
        cases::NewAccount account{text(o, "username", 64), text(o, "display_name", 200),
                                  optional_flag(o, "custodian").value_or(false), optional_flag(o, "admin").value_or(false),
                                  std::nullopt};
        auto proof = step_up_proof(body);
        auto slot = admit(app, reply);
        if (!slot) return;
        offload(app, reply, [&app, s, slot, account = std::move(account), proof = std::move(proof),
                             client = p.client()] {
          const auto step_up = require_step_up(app, *s, proof, client, "user.add");
          cases::EnrolmentLink link;
          storage::UserRow row;
          app.writer.run([&](storage::Database& db) {
            const auto now = app.clock();
            app.login.consume_step_up(db, step_up, now);
            link = app.enrolments->invite(db, s->agency(), account, now, s->user_id);
            row = account_of(db, *s, account.username);
            if (account.custodian) app.governance->announce_role(db, cases::Actor::of(*s), s->agency(), "custodian", now);
            if (account.admin) app.governance->announce_role(db, cases::Actor::of(*s), s->agency(), "administrator", now);
          });
          return json_response(http::status::created,
                               json::object{{"user", account_json(row)}, {"enrolment", enrolment_json(app, link)}});
        });
      },
      8 * 1024);

  // Disabling, enabling and re-enrolling change who reads: a step-up each.
  // Disabling or re-enrolling an account that reads open cases waits for a
  // second person (202 with the proposal).
  const auto account_action = [&router, &app](const char* path, const char* action) {
    router.add(
        http::verb::post, path,
        [&app, action](const Request& req, const RouteParams& p, Reply reply) {
          const auto s = admin(req, app);
          const auto body = parse_json_body(req, kStepUpOnly);
          auto proof = step_up_proof(body);
          auto slot = admit(app, reply);
          if (!slot) return;
          offload(app, reply, [&app, s, slot, action, proof = std::move(proof),
                               username = std::string(p.get("username")), client = p.client()] {
            {
              auto db = app.reader_pool.acquire();
              (void)account_of(*db, *s, username);  // another agency's: not_found before any step-up
            }
            const auto step_up = require_step_up(app, *s, proof, client, action);
            cases::AccountOutcome out;
            storage::UserRow row;
            app.writer.run([&](storage::Database& db) {
              const auto now = app.clock();
              app.login.consume_step_up(db, step_up, now);
              const auto actor = cases::Actor::of(*s);
              const std::string what = action;
              if (what == "user.disable") {
                out = app.governance->disable_user(db, actor, s->agency(), username, now);
              } else if (what == "user.enable") {
                app.governance->enable_user(db, actor, s->agency(), username, now);
              } else {
                out = app.governance->reenrol_user(db, actor, s->agency(), username, now);
              }
              row = account_of(db, *s, username);
            });
            json::object o{{"user", account_json(row)}};
            o["proposal"] = out.proposal ? json::value(pending_json(*out.proposal)) : json::value(nullptr);
            if (out.enrolment) o["enrolment"] = enrolment_json(app, *out.enrolment);
            return json_response(out.proposal ? http::status::accepted : http::status::ok, std::move(o));
          });
        },
        8 * 1024);
  };
  account_action("/api/v1/admin/users/{username}/disable", "user.disable");
  account_action("/api/v1/admin/users/{username}/enable", "user.enable");
  account_action("/api/v1/admin/users/{username}/reset", "user.reset");

  // Roles. Giving custodian or administrator asks for a step-up; taking
  // one away does not (it narrows who reads), except that an administrator
  // cannot take their own administrator role.
  router.add(
      http::verb::patch, "/api/v1/admin/users/{username}",
      [&app](const Request& req, const RouteParams& p, Reply reply) {
        const auto s = admin(req, app);
        const auto body = parse_json_body(req, kRoles);
        const auto& o = object_of(body);
        const auto custodian = optional_flag(o, "custodian");
        const auto admin_role = optional_flag(o, "admin");
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
            const auto now = app.clock();
            if (step_up) app.login.consume_step_up(db, *step_up, now);
            row = app.accounts.set_roles(db, s->agency(), username, want_custodian, want_admin, now, s->user_id);
            // A role given is published; the account approves nothing for a while.
            const auto actor = cases::Actor::of(*s);
            if (row.is_custodian && !before.is_custodian) app.governance->announce_role(db, actor, s->agency(), "custodian", now);
            if (row.is_admin && !before.is_admin) app.governance->announce_role(db, actor, s->agency(), "administrator", now);
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
