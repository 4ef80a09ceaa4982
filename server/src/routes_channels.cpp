#include <algorithm>
#include <boost/json.hpp>
#include <ctime>

#include "admin_guard.hpp"
#include "channel_json.hpp"
#include "kdf_admission.hpp"
#include "investigator_api.hpp"
#include "krasip/cases/common/case_error.hpp"
#include "krasip/cases/agencies/channel_service.hpp"
#include "krasip/server/api_response.hpp"
#include "krasip/server/api_routes.hpp"
#include "krasip/server/json_body.hpp"

namespace krasip::server {

namespace json = boost::json;

namespace {

json::array names_json(const std::vector<std::string>& names) {
  json::array out;
  for (const auto& n : names) out.push_back(json::string(n));
  return out;
}

json::object channel_json(const cases::ChannelView& v) {
  auto o = public_channel_json(v.channel);
  o["identity_two_person"] = v.channel.identity_two_person;
  o["outcome_needs_confirmation"] = v.channel.outcome_needs_confirmation;
  o["retention_days"] = v.channel.retention_days;
  o["recipients"] = names_json(v.recipients);
  o["custodians"] = names_json(v.custodians);
  return o;
}

std::optional<std::string> text_member(const json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (!v->is_string()) {
    throw cases::CaseError(cases::ErrorCode::invalid_field, std::string(key) + " must be a string", key);
  }
  return std::string(v->get_string());
}

std::optional<std::vector<std::string>> names_member(const json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::nullopt;
  const auto bad = [key] {
    return cases::CaseError(cases::ErrorCode::invalid_field,
                            std::string(key) + " must be a list of usernames", key);
  };
  if (!v->is_array()) throw bad();
  std::vector<std::string> out;
  for (const auto& n : v->get_array()) {
    if (!n.is_string()) throw bad();
    out.emplace_back(n.get_string());
  }
  return out;
}

std::optional<bool> flag_member(const json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (!v->is_bool()) {
    throw cases::CaseError(cases::ErrorCode::invalid_field, std::string(key) + " must be true or false", key);
  }
  return v->get_bool();
}

std::optional<std::int64_t> days_member(const json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (!v->is_int64() && !v->is_uint64()) {
    throw cases::CaseError(cases::ErrorCode::invalid_field, std::string(key) + " must be a whole number of days", key);
  }
  // Out of range values are refused by ChannelService with the rule.
  return v->is_int64() ? v->get_int64() : static_cast<std::int64_t>(std::min<std::uint64_t>(v->get_uint64(), 1u << 30));
}

// PATCH takes the same members as POST; an id that differs from the path's
// is refused by ChannelService.
const cases::JsonShape kChannel{{"id"},
                                {"name_th"},
                                {"name_en"},
                                {"description_th"},
                                {"description_en"},
                                {"readers_th"},
                                {"readers_en"},
                                {"identity_readers_th"},
                                {"identity_readers_en"},
                                {"identity_two_person"},
                                {"outcome_needs_confirmation"},
                                {"retention_days"},
                                {"recipients"},
                                {"custodians"},
                                {"step_up", &kStepUp}};

cases::ChannelSpec spec_from(const json::value& body) {
  if (!body.is_object()) {
    throw cases::CaseError(cases::ErrorCode::invalid_field, "the body must be a JSON object");
  }
  const auto& o = body.get_object();
  cases::ChannelSpec s;
  s.id = text_member(o, "id");
  s.name_th = text_member(o, "name_th");
  s.name_en = text_member(o, "name_en");
  s.description_th = text_member(o, "description_th");
  s.description_en = text_member(o, "description_en");
  s.readers_th = text_member(o, "readers_th");
  s.readers_en = text_member(o, "readers_en");
  s.identity_readers_th = text_member(o, "identity_readers_th");
  s.identity_readers_en = text_member(o, "identity_readers_en");
  s.identity_two_person = flag_member(o, "identity_two_person");
  s.outcome_needs_confirmation = flag_member(o, "outcome_needs_confirmation");
  s.retention_days = days_member(o, "retention_days");
  s.recipients = names_member(o, "recipients");
  s.custodians = names_member(o, "custodians");
  return s;
}

bool same_names(std::vector<std::string> a, std::vector<std::string> b) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  a.erase(std::unique(a.begin(), a.end()), a.end());
  b.erase(std::unique(b.begin(), b.end()), b.end());
  return a == b;
}

// Whether the edit changes who reads the channel. Lists equal (as sets) to
// the current ones are dropped from the spec. An unknown channel: no step-up
// asked, the edit answers not_found.
bool readers_change(AppServices& app, const cases::Session& s, const std::string& id, cases::ChannelSpec& spec) {
  if (!spec.recipients && !spec.custodians) return false;
  std::vector<cases::ChannelView> all;
  {
    auto db = app.reader_pool.acquire();
    all = cases::ChannelService::list(*db, s.agency());
  }
  const auto it = std::find_if(all.begin(), all.end(), [&](const cases::ChannelView& v) { return v.channel.slug == id; });
  if (it == all.end()) return false;
  if (spec.recipients && same_names(*spec.recipients, it->recipients)) spec.recipients.reset();
  if (spec.custodians && same_names(*spec.custodians, it->custodians)) spec.custodians.reset();
  return spec.recipients || spec.custodians;
}

}  // namespace

void add_channel_routes(Router& router, AppServices& app) {
  router.add(http::verb::get, "/api/v1/channels", [&app](const Request& req, const RouteParams&, Reply reply) {
    const auto s = admin(req, app);
    offload(app, reply, [&app, s] {
      auto db = app.reader_pool.acquire();
      json::array items;
      for (const auto& v : cases::ChannelService::list(*db, s->agency())) items.push_back(channel_json(v));
      return json_response(http::status::ok, json::object{{"channels", std::move(items)}});
    });
  });

  // Creating a channel names who reads it: always a step-up.
  router.add(
      http::verb::post, "/api/v1/channels",
      [&app](const Request& req, const RouteParams& p, Reply reply) {
        const auto s = admin(req, app);
        const auto body = parse_json_body(req, kChannel);
        auto spec = spec_from(body);
        auto proof = step_up_proof(body);
        auto slot = admit(app, reply);
        if (!slot) return;
        offload(app, reply, [&app, s, slot, spec = std::move(spec), proof = std::move(proof),
                             client = p.client()] {
          const auto step_up = require_step_up(app, *s, proof, client, "channel.add");
          cases::ChannelView v;
          const cases::ChannelService channels(*app.audit);
          app.writer.run([&](storage::Database& db) {
            const auto now = static_cast<std::int64_t>(std::time(nullptr));
            app.login.consume_step_up(db, step_up, now);
            v = channels.add(db, s->agency(), spec, now, s->user_id);
          });
          return json_response(http::status::created, channel_json(v));
        });
      },
      16 * 1024);

  // Changing who reads (recipients, custodians) asks for a step-up; the
  // same lists sent back unchanged, or only texts and settings, do not.
  router.add(
      http::verb::patch, "/api/v1/channels/{id}",
      [&app](const Request& req, const RouteParams& p, Reply reply) {
        const auto s = admin(req, app);
        const auto body = parse_json_body(req, kChannel);
        auto spec = spec_from(body);
        auto proof = step_up_proof(body);
        auto slot = admit(app, reply);
        if (!slot) return;
        offload(app, reply, [&app, s, slot, spec = std::move(spec), proof = std::move(proof),
                             id = std::string(p.get("id")), client = p.client()]() mutable {
          std::optional<cases::StepUp> step_up;
          if (readers_change(app, *s, id, spec)) step_up = require_step_up(app, *s, proof, client, "channel.readers");
          cases::ChannelView v;
          const cases::ChannelService channels(*app.audit);
          app.writer.run([&](storage::Database& db) {
            const auto now = static_cast<std::int64_t>(std::time(nullptr));
            if (step_up) app.login.consume_step_up(db, *step_up, now);
            v = channels.edit(db, s->agency(), id, spec, now, s->user_id);
          });
          return json_response(http::status::ok, channel_json(v));
        });
      },
      16 * 1024);
}

}  // namespace krasip::server
