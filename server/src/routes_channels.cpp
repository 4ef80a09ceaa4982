#include <algorithm>
#include <boost/json.hpp>
#include <ctime>

#include "channel_json.hpp"
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

// Channels decide who reads what: administrators only.
std::shared_ptr<const cases::Session> admin(const Request& req, AppServices& app) {
  auto s = authenticate(req, app);
  app.triage.require_active(*s);
  if (!s->is_admin) {
    throw cases::CaseError(cases::ErrorCode::forbidden, "only administrators manage channels");
  }
  return s;
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

  router.add(
      http::verb::post, "/api/v1/channels",
      [&app](const Request& req, const RouteParams&, Reply reply) {
        const auto s = admin(req, app);
        auto spec = spec_from(parse_json_body(req));
        offload(app, reply, [&app, s, spec = std::move(spec)] {
          cases::ChannelView v;
          const cases::ChannelService channels(*app.audit);
          app.writer.run([&](storage::Database& db) {
            v = channels.add(db, s->agency(), spec, static_cast<std::int64_t>(std::time(nullptr)), s->user_id);
          });
          return json_response(http::status::created, channel_json(v));
        });
      },
      16 * 1024);

  router.add(
      http::verb::patch, "/api/v1/channels/{id}",
      [&app](const Request& req, const RouteParams& p, Reply reply) {
        const auto s = admin(req, app);
        auto spec = spec_from(parse_json_body(req));
        offload(app, reply, [&app, s, spec = std::move(spec), id = std::string(p.get("id"))] {
          cases::ChannelView v;
          const cases::ChannelService channels(*app.audit);
          app.writer.run([&](storage::Database& db) {
            v = channels.edit(db, s->agency(), id, spec, static_cast<std::int64_t>(std::time(nullptr)), s->user_id);
          });
          return json_response(http::status::ok, channel_json(v));
        });
      },
      16 * 1024);
}

}  // namespace krasip::server
