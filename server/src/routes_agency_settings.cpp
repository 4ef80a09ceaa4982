// The agency's own settings in the console (issue 12, item 1): names,
// embedding origins, SMTP server. Its parent and opening/closing stay the
// operator's (`krasipd agency edit`).
#include <boost/json.hpp>
#include <algorithm>

#include "admin_guard.hpp"
#include "governance_json.hpp"
#include "kdf_admission.hpp"
#include "investigator_api.hpp"
#include "krasip/cases/agencies/agency_settings.hpp"
#include "krasip/cases/common/case_error.hpp"
#include "krasip/cases/statistics/public_snapshot.hpp"
#include "krasip/storage/public_stats_store.hpp"
#include "krasip/server/api_response.hpp"
#include "krasip/server/api_routes.hpp"
#include "krasip/server/json_body.hpp"

namespace krasip::server {

namespace json = boost::json;

namespace {

json::object settings_json(const cases::AgencySettingsView& v, const std::string& stats_period) {
  json::array origins;
  for (const auto& o : v.origins) origins.push_back(json::string(o));
  json::object out{{"slug", v.slug}, {"name_th", v.name_th}, {"name_en", v.name_en}, {"origins", std::move(origins)}};
  const auto days = [](const std::optional<std::int64_t>& d) { return d ? json::value(*d) : json::value(nullptr); };
  out["ack_days"] = days(v.ack_days);
  out["reply_days"] = days(v.reply_days);
  out["outcome_days"] = days(v.outcome_days);
  if (v.categories) {
    json::array codes;
    for (const auto& c : *v.categories) codes.push_back(json::string(c));
    out["categories"] = std::move(codes);
  } else {
    out["categories"] = nullptr;
  }
  out["logo"] = v.has_logo ? json::value("/api/v1/agencies/" + v.slug + "/logo") : json::value(nullptr);
  json::array below;
  for (const auto& a : v.agencies_below) {
    below.push_back(json::object{{"slug", a.slug}, {"name_th", a.name_th}, {"name_en", a.name_en}});
  }
  out["agencies_below"] = std::move(below);
  // What the published statistics cover up to: completed months or weeks
  // (issue 21, item 1).
  out["stats_period"] = stats_period;
  if (v.mail) {
    out["mail"] = json::object{{"smtp_url", v.mail->smtp_url},
                               {"from", v.mail->from},
                               {"user", v.mail->username},
                               {"require_tls", v.mail->require_tls},
                               {"password_set", v.mail->password_set}};
  } else {
    out["mail"] = nullptr;
  }
  json::array times;
  for (const auto& t : v.mail_batch_times.texts()) times.push_back(json::string(t));
  out["mail_batch_times"] = std::move(times);
  return out;
}

const cases::JsonShape kIdentitySettings{{"name_th"},    {"name_en"},      {"origins"},   {"ack_days"},
                                         {"reply_days"}, {"outcome_days"}, {"categories"},
                                         {"stats_period"}};
const cases::JsonShape kMailSettings{{"smtp_url"}, {"from"},          {"user"},           {"password"},
                                     {"clear_password"}, {"require_tls"}, {"batch_times"},
                                     {"step_up", &kStepUp}};

const json::object& object_of(const json::value& body) {
  if (!body.is_object()) throw cases::CaseError(cases::ErrorCode::invalid_field, "the body must be a JSON object");
  return body.get_object();
}

std::optional<std::string> text(const json::object& o, const char* key, std::size_t max) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (!v->is_string() || v->get_string().size() > max) {
    throw cases::CaseError(cases::ErrorCode::invalid_field, std::string(key) + " must be a short text", key);
  }
  return std::string(v->get_string());
}

// Present: a whole number of days, or null for the deployment's; absent:
// unchanged. The ranges and their order are the registry's to check.
std::optional<std::optional<std::int64_t>> days_field(const json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr) return std::nullopt;
  if (v->is_null()) return std::optional<std::int64_t>{};
  if (!v->is_int64()) throw cases::CaseError(cases::ErrorCode::invalid_field, std::string(key) + " must be a whole number of days", key);
  return std::optional<std::int64_t>{v->get_int64()};
}

std::optional<std::optional<std::vector<std::string>>> categories_field(const json::object& o) {
  const auto* v = o.if_contains("categories");
  if (v == nullptr) return std::nullopt;
  if (v->is_null()) return std::optional<std::vector<std::string>>{};
  const auto bad = [] {
    return cases::CaseError(cases::ErrorCode::invalid_field, "categories must be a list of category codes", "categories");
  };
  if (!v->is_array() || v->get_array().size() > 50) throw bad();
  std::vector<std::string> codes;
  for (const auto& e : v->get_array()) {
    if (!e.is_string() || e.get_string().size() > 64) throw bad();
    codes.emplace_back(e.get_string());
  }
  return std::optional<std::vector<std::string>>{std::move(codes)};
}

// Names, origins, service standards and logo all go through the registry
// in one write, answered with the settings as they now stand.
void save_identity(AppServices& app, Reply reply, std::shared_ptr<const cases::Session> s,
                   cases::AgencyIdentityChanges c, std::optional<std::string> stats_period = std::nullopt) {
  offload(app, std::move(reply), [&app, s = std::move(s), c = std::move(c), stats_period = std::move(stats_period)] {
    cases::AgencySettingsView v;
    std::string period;
    app.writer.run([&](storage::Database& db) {
      v = cases::edit_agency_identity(db, *app.audit, *app.secrets, s->agency(), c, app.clock(), s->user_id);
      if (stats_period) storage::public_stats_store::set_period(db, s->agency_id, *stats_period);
      period = storage::public_stats_store::period(db, s->agency_id);
    });
    return json_response(http::status::ok, settings_json(v, period));
  });
}

// "month" or "week"; absent: unchanged.
std::optional<std::string> stats_period_field(const json::object& o) {
  const auto* v = o.if_contains("stats_period");
  if (v == nullptr) return std::nullopt;
  if (!v->is_string() || !cases::parse_period(v->get_string())) {
    throw cases::CaseError(cases::ErrorCode::invalid_field, "stats_period must be \"month\" or \"week\"",
                           "stats_period");
  }
  return std::string(v->get_string());
}

}  // namespace

void add_agency_settings_routes(Router& router, AppServices& app) {
  router.add(http::verb::get, "/api/v1/admin/agency", [&app](const Request& req, const RouteParams&, Reply reply) {
    const auto s = admin(req, app);
    offload(app, reply, [&app, s] {
      auto db = app.reader_pool.acquire();
      return json_response(http::status::ok, settings_json(cases::agency_settings(*db, *app.secrets, s->agency()),
                                                           storage::public_stats_store::period(*db, s->agency_id)));
    });
  });

  router.add(
      http::verb::patch, "/api/v1/admin/agency",
      [&app](const Request& req, const RouteParams&, Reply reply) {
        const auto s = admin(req, app);
        const auto body = parse_json_body(req, kIdentitySettings);
        const auto& o = object_of(body);
        cases::AgencyIdentityChanges c;
        c.name_th = text(o, "name_th", 400);
        c.name_en = text(o, "name_en", 400);
        if (const auto* v = o.if_contains("origins"); v != nullptr && !v->is_null()) {
          const auto bad = [] {
            return cases::CaseError(cases::ErrorCode::invalid_field, "origins must be a list of https:// origins",
                                    "origins");
          };
          if (!v->is_array() || v->get_array().size() > 20) throw bad();
          std::vector<std::string> origins;
          for (const auto& e : v->get_array()) {
            if (!e.is_string() || e.get_string().size() > 300) throw bad();
            origins.emplace_back(e.get_string());
          }
          c.origins = std::move(origins);
        }
        c.ack_days = days_field(o, "ack_days");
        c.reply_days = days_field(o, "reply_days");
        c.outcome_days = days_field(o, "outcome_days");
        c.categories = categories_field(o);
        save_identity(app, std::move(reply), s, std::move(c), stats_period_field(o));
      },
      16 * 1024);

  // The logo shown on the agency's pages: the image itself as the body
  // (PNG or JPEG, at most 64 KiB); the registry checks it by its bytes and
  // strips its metadata, as `krasipd agency edit --logo` does.
  router.add(
      http::verb::put, "/api/v1/admin/agency/logo",
      [&app](const Request& req, const RouteParams&, Reply reply) {
        const auto s = admin(req, app);
        cases::AgencyIdentityChanges c;
        c.logo = std::optional<storage::Blob>{storage::Blob(req.body().begin(), req.body().end())};
        save_identity(app, std::move(reply), s, std::move(c));
      },
      64 * 1024);
  router.add(http::verb::delete_, "/api/v1/admin/agency/logo", [&app](const Request& req, const RouteParams&, Reply reply) {
    const auto s = admin(req, app);
    refuse_body_members(req);
    cases::AgencyIdentityChanges c;
    c.logo = std::optional<storage::Blob>{};
    save_identity(app, std::move(reply), s, std::move(c));
  });

  // The agency's mail server: where its staff's alerts go. A step-up each
  // time; once the agency has had a case, a proposal (202) a second person
  // approves (issue 20, item 8).
  router.add(
      http::verb::put, "/api/v1/admin/agency/mail",
      [&app](const Request& req, const RouteParams& p, Reply reply) {
        const auto s = admin(req, app);
        const auto body = parse_json_body(req, kMailSettings);
        const auto& o = object_of(body);
        auto c = std::make_shared<cases::MailSettingsChange>();
        c->smtp_url = text(o, "smtp_url", 300).value_or("");
        c->from = text(o, "from", 300).value_or("");
        c->username = text(o, "user", 300).value_or("");
        if (auto pw = text(o, "password", 1024); pw && !pw->empty()) {
          c->password = crypto::SecureBytes::copy_of({reinterpret_cast<const std::uint8_t*>(pw->data()), pw->size()});
          std::fill(pw->begin(), pw->end(), '\0');
        }
        // A flag that is not true or false is refused, not taken for absent:
        // require_tls is a protection.
        if (const auto f = optional_flag(o, "clear_password")) c->clear_password = *f;
        if (const auto f = optional_flag(o, "require_tls")) c->require_tls = *f;
        // When alerts go out: ["08:30", "13:30"], Bangkok time; absent or
        // null keeps the current ones.
        if (const auto* v = o.if_contains("batch_times"); v != nullptr && !v->is_null()) {
          const auto bad = [] {
            return cases::CaseError(cases::ErrorCode::invalid_field,
                                    "batch_times must be a list of one to four times, HH:MM", "batch_times");
          };
          if (!v->is_array() || v->get_array().size() > 16) throw bad();
          std::vector<std::string> texts;
          for (const auto& e : v->get_array()) {
            if (!e.is_string() || e.get_string().size() > 16) throw bad();
            texts.emplace_back(e.get_string());
          }
          c->batch_times = cases::BatchTimes::parse(texts);
        }
        auto proof = step_up_proof(body);
        auto slot = admit(app, reply);
        if (!slot) return;
        offload(app, reply, [&app, s, c, slot, proof = std::move(proof), client = p.client()] {
          const auto step_up = require_step_up(app, *s, proof, client, "mail.settings");
          cases::AgencySettingsView v;
          cases::GovernanceOutcome out;
          std::string period;
          app.writer.run([&](storage::Database& db) {
            const auto now = app.clock();
            app.login.consume_step_up(db, step_up, now);
            out = app.governance->set_mail(db, cases::Actor::of(*s), s->agency(), *c, now);
            v = cases::agency_settings(db, *app.secrets, s->agency());
            period = storage::public_stats_store::period(db, s->agency_id);
          });
          auto answer = settings_json(v, period);
          answer["proposal"] = out.proposal ? json::value(pending_json(*out.proposal)) : json::value(nullptr);
          return json_response(out.proposal ? http::status::accepted : http::status::ok, std::move(answer));
        });
      },
      8 * 1024);
}

}  // namespace krasip::server
