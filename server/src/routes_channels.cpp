#include <algorithm>
#include <boost/json.hpp>

#include "admin_guard.hpp"
#include "channel_json.hpp"
#include "kdf_admission.hpp"
#include "investigator_api.hpp"
#include "krasip/cases/common/case_error.hpp"
#include "krasip/cases/agencies/channel_service.hpp"
#include "krasip/cases/governance/channel_delta.hpp"
#include "governance_json.hpp"
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
  s.identity_two_person = optional_flag(o, "identity_two_person");
  s.outcome_needs_confirmation = optional_flag(o, "outcome_needs_confirmation");
  s.retention_days = days_member(o, "retention_days");
  s.recipients = names_member(o, "recipients");
  s.custodians = names_member(o, "custodians");
  return s;
}

}  // namespace

void add_channel_routes(Router& router, AppServices& app) {
  // ?agency=SLUG: an administrator of a supervising agency reads and
  // changes the channels of an agency below it (issue 20: they add their
  // own staff to watch a channel at once; anything else is a proposal).
  router.add(http::verb::get, "/api/v1/channels", [&app](const Request& req, const RouteParams&, Reply reply) {
    const auto s = admin(req, app);
    const auto agency = managed_agency(app, *s, req);
    offload(app, reply, [&app, agency] {
      auto db = app.reader_pool.acquire();
      json::array items;
      for (const auto& v : cases::ChannelService::list(*db, agency)) items.push_back(channel_json(v));
      return json_response(http::status::ok, json::object{{"channels", std::move(items)}});
    });
  });

  // Creating a channel names who reads it: always a step-up. Once the
  // agency has had a case, it is a proposal (202) for a second person.
  router.add(
      http::verb::post, "/api/v1/channels",
      [&app](const Request& req, const RouteParams& p, Reply reply) {
        const auto s = admin(req, app);
        const auto agency = managed_agency(app, *s, req);
        const auto body = parse_json_body(req, kChannel);
        auto spec = spec_from(body);
        auto proof = step_up_proof(body);
        auto slot = admit(app, reply);
        if (!slot) return;
        offload(app, reply, [&app, s, slot, agency, spec = std::move(spec), proof = std::move(proof),
                             client = p.client()] {
          const auto step_up = require_step_up(app, *s, proof, client, "channel.add");
          cases::ChannelOutcome out;
          app.writer.run([&](storage::Database& db) {
            const auto now = app.clock();
            app.login.consume_step_up(db, step_up, now);
            out = app.governance->add_channel(db, cases::Actor::of(*s), agency, spec, now);
          });
          if (out.proposal) {
            return json_response(http::status::accepted, json::object{{"proposal", pending_json(*out.proposal)}});
          }
          return json_response(http::status::created, channel_json(out.channel));
        });
      },
      16 * 1024);

  // Any change asks for a step-up (issue 20: who reads, what the reporter is
  // told, what is kept). What strengthens protection applies at once; the
  // rest waits as a proposal (202, with the channel as it now stands).
  router.add(
      http::verb::patch, "/api/v1/channels/{id}",
      [&app](const Request& req, const RouteParams& p, Reply reply) {
        const auto s = admin(req, app);
        const auto agency = managed_agency(app, *s, req);
        const auto body = parse_json_body(req, kChannel);
        auto spec = spec_from(body);
        auto proof = step_up_proof(body);
        auto slot = admit(app, reply);
        if (!slot) return;
        offload(app, reply, [&app, s, slot, agency, spec = std::move(spec), proof = std::move(proof),
                             id = std::string(p.get("id")), client = p.client()]() mutable {
          {
            auto db = app.reader_pool.acquire();
            const auto current = cases::ChannelService::find(*db, agency, id);
            if (!current) throw cases::CaseError(cases::ErrorCode::not_found, "no such channel", "id");
            // The same values sent back change nothing and need no step-up.
            if (cases::delta_of(*current, spec).empty()) {
              return json_response(http::status::ok, channel_json(*current));
            }
          }
          const auto step_up = require_step_up(app, *s, proof, client, "channel.edit");
          cases::ChannelOutcome out;
          app.writer.run([&](storage::Database& db) {
            const auto now = app.clock();
            app.login.consume_step_up(db, step_up, now);
            out = app.governance->edit_channel(db, cases::Actor::of(*s), agency, id, spec, now);
          });
          auto o = channel_json(out.channel);
          o["proposal"] = out.proposal ? json::value(pending_json(*out.proposal)) : json::value(nullptr);
          return json_response(out.proposal ? http::status::accepted : http::status::ok, std::move(o));
        });
      },
      16 * 1024);
}

}  // namespace krasip::server
