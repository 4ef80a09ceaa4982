#include <boost/json.hpp>

#include <ctime>

#include "admin_guard.hpp"
#include "channel_json.hpp"
#include "file_download.hpp"
#include "investigator_api.hpp"
#include "kdf_admission.hpp"
#include "krasip/cases/reporter/escalation_decisions.hpp"
#include "referral_json.hpp"
#include "krasip/cases/common/case_error.hpp"
#include "krasip/cases/agencies/catalog.hpp"
#include "krasip/cases/common/thai_time.hpp"
#include "krasip/server/api_response.hpp"
#include "krasip/server/api_routes.hpp"
#include "krasip/server/json_body.hpp"
#include "krasip/storage/database.hpp"
#include "krasip/storage/user_store.hpp"

namespace krasip::server {

namespace json = boost::json;
using cases::CaseError;
using cases::ErrorCode;

namespace {

json::value time_or_null(const std::optional<std::int64_t>& t) {
  return t ? json::value(cases::iso8601_bangkok(*t)) : json::value(nullptr);
}

json::object summary_json(const cases::CaseSummary& s) {
  const auto& r = s.row;
  const auto* status = cases::find_status(r.status);
  const auto* category = cases::find_category(r.category);
  return {
      {"case_number", r.case_number},
      {"fiscal_year", r.fiscal_year},
      {"status", r.status},
      {"status_label_th", status ? status->th : ""},
      {"status_label_en", status ? status->en : ""},
      {"category", r.category},
      {"category_label_th", category ? category->th : ""},
      {"category_label_en", category ? category->en : ""},
      {"priority", r.priority},
      {"assignee", s.assignee ? json::value(*s.assignee) : json::value(nullptr)},
      {"identity_provided", r.has_identity},
      {"source", r.source},
      {"received_at", cases::iso_date_bangkok(r.received_at)},
      // Until an investigator changes it, the day received.
      {"updated_at", cases::api_time(r.updated_at, r.updated_at == r.received_at)},
      {"acknowledged_at", time_or_null(r.acknowledged_at)},
      {"first_reply_at", time_or_null(r.first_reply_at)},
      {"outcome_at", time_or_null(r.outcome_at)},
      {"deadlines",
       {{"acknowledge_due", cases::iso_date_bangkok(s.deadlines.acknowledge_due)},
        {"reply_due", cases::iso_date_bangkok(s.deadlines.reply_due)},
        {"outcome_due", cases::iso_date_bangkok(s.deadlines.outcome_due)},
        {"acknowledge_overdue", s.deadlines.acknowledge_overdue},
        {"reply_overdue", s.deadlines.reply_overdue},
        {"outcome_overdue", s.deadlines.outcome_overdue}}},
      {"overdue", s.deadlines.overdue()},
  };
}

json::value user_or_null(const std::string& username) {
  return username.empty() ? json::value(nullptr) : json::value(username);
}

json::object identity_request_json(const storage::IdentityRequestRow& r) {
  json::object o{{"id", r.id},
                 {"requested_by", r.requested_by_username},
                 {"reason", r.reason},
                 {"at", cases::iso8601_bangkok(r.at)},
                 {"state", r.state},
                 {"purpose", r.purpose},
                 {"decided_by", user_or_null(r.decided_by_username)},
                 {"decided_at", time_or_null(r.decided_at)},
                 {"viewed_at", time_or_null(r.viewed_at)}};
  if (r.state == "refused") o["refusal"] = r.refusal;
  return o;
}

json::object detail_json(const cases::CaseDetail& d) {
  json::object o = summary_json(d.summary);
  o["complaint"] = d.complaint;
  json::array messages;
  for (const auto& m : d.messages) {
    messages.push_back({{"at", cases::api_time(m.at, m.from == "reporter")}, {"from", m.from}, {"body", m.body}});
  }
  o["messages"] = std::move(messages);
  json::array notes;
  for (const auto& n : d.notes) {
    notes.push_back({{"at", cases::iso8601_bangkok(n.at)}, {"author", n.author}, {"body", n.body}});
  }
  o["notes"] = std::move(notes);
  json::array history;
  for (const auto& h : d.history) {
    json::object e{{"at", cases::api_time(h.at, h.status == "received")}, {"kind", h.kind},
                   {"visible_to_reporter", h.visible_to_reporter}};
    if (h.status) e["status"] = *h.status;
    if (h.actor) e["actor"] = *h.actor;
    if (h.detail) e["detail"] = *h.detail;
    history.push_back(std::move(e));
  }
  o["history"] = std::move(history);
  json::array exclusions;
  for (const auto& x : d.exclusions) {
    json::object e{{"username", x.username}, {"reason", x.reason}, {"at", cases::iso8601_bangkok(x.at)},
                   {"recused", x.excluded_by && *x.excluded_by == x.user_id}};
    if (!x.excluded_by_username.empty()) e["excluded_by"] = x.excluded_by_username;
    if (!x.approved_by_username.empty()) e["approved_by"] = x.approved_by_username;
    exclusions.push_back(std::move(e));
  }
  o["exclusions"] = std::move(exclusions);
  json::array pending;
  for (const auto& x : d.exclusion_requests) {
    pending.push_back({{"username", x.username}, {"reason", x.reason}, {"requested_by", x.requested_by_username},
                       {"at", cases::iso8601_bangkok(x.at)}});
  }
  o["pending_exclusions"] = std::move(pending);
  o["can_exclude_others"] = d.can_exclude_others;
  o["can_approve_exclusions"] = d.can_approve_and_lift;
  o["can_reveal_identity"] = d.can_reveal_identity;
  o["identity_two_person"] = d.identity_two_person;
  o["outcome_needs_confirmation"] = d.outcome_needs_confirmation;
  o["categories"] = categories_json(d.categories);
  o["can_request_identity"] = d.can_request_identity;
  o["can_decide_identity_requests"] = d.can_decide_identity_requests;
  json::array requests;
  for (const auto& r : d.identity_requests) requests.push_back(identity_request_json(r));
  o["identity_requests"] = std::move(requests);
  if (d.pending_outcome) {
    const auto& p = *d.pending_outcome;
    const auto* status = cases::find_status(p.status);
    o["pending_outcome"] = {{"status", p.status},
                            {"status_label_th", status ? status->th : ""},
                            {"status_label_en", status ? status->en : ""},
                            {"outcome_message", p.message},
                            {"proposed_by", p.proposed_by_username},
                            {"at", cases::iso8601_bangkok(p.at)}};
  } else {
    o["pending_outcome"] = nullptr;
  }
  json::array attachments;
  for (const auto& a : d.attachments) {
    attachments.push_back({{"id", a.id}, {"at", cases::api_time(a.at, a.from == "reporter")}, {"from", a.from},
                           {"filename", a.filename}, {"content_type", a.content_type},
                           {"size", a.size}, {"metadata_removed", a.metadata_removed}});
  }
  o["attachments"] = std::move(attachments);
  // Issue 13, items 3 and 4.
  o["registry_number"] = d.registry_number ? json::value(*d.registry_number) : json::value(nullptr);
  o["referral"] = d.referral ? json::value(referral_object(*d.referral)) : json::value(nullptr);
  o["can_request_referral_identity"] = d.can_request_referral_identity;
  o["referral_identity_approved"] = d.referral_identity_approved;
  // Issue 20, item 7: the reporter's requests to move the case out of its
  // oversight channel; the last one may be pending.
  json::array escalations;
  for (const auto& r : d.escalation_requests) {
    escalations.push_back({{"state", r.state},
                           {"requested_at", cases::iso_date_bangkok(r.requested_at)},
                           {"expires_at", cases::iso_date_bangkok(r.expires_at)},
                           {"decided_at", r.decided_at ? json::value(cases::api_time(*r.decided_at, r.state == "lapsed"))
                                                       : json::value(nullptr)},
                           {"decided_by", user_or_null(r.decided_by)},
                           {"from", public_channel_json(r.from)},
                           {"to", public_channel_json(r.to)},
                           {"reason", r.reason},
                           {"identity", r.identity}});
  }
  o["escalation_requests"] = std::move(escalations);
  o["can_confirm_escalation"] = d.can_confirm_escalation;
  o["can_decline_escalation"] = d.can_decline_escalation;
  return o;
}

// "?files=id1,id2": attachment ids (32 hex digits each), at most 100.
std::vector<std::string> file_ids_of(std::string_view target) {
  std::vector<std::string> out;
  const auto list = query_param(target, "files");
  std::size_t start = 0;
  while (start < list.size()) {
    auto end = list.find(',', start);
    if (end == std::string::npos) end = list.size();
    auto id = list.substr(start, end - start);
    if (!id.empty()) {
      if (id.size() != 32 || id.find_first_not_of("0123456789abcdef") != std::string::npos || out.size() >= 100) {
        throw CaseError(ErrorCode::invalid_field, "files is a comma-separated list of file ids", "files");
      }
      out.push_back(std::move(id));
    }
    start = end + 1;
  }
  return out;
}

std::optional<std::string> optional_query(std::string_view target, std::string_view name) {
  auto v = query_param(target, name);
  if (v.empty()) return std::nullopt;
  if (v.size() > 64) throw CaseError(ErrorCode::invalid_field, std::string(name) + " is too long", std::string(name));
  return v;
}

int int_query(std::string_view target, std::string_view name, int fallback) {
  const auto v = query_param(target, name);
  if (v.empty()) return fallback;
  try {
    std::size_t used = 0;
    const int n = std::stoi(v, &used);
    if (used == v.size()) return n;
  } catch (const std::exception&) {
  }
  throw CaseError(ErrorCode::invalid_field, std::string(name) + " must be a number", std::string(name));
}

std::string required_string(const json::value& body, std::string_view key) {
  const auto* o = body.if_object();
  const json::value* v = o != nullptr ? o->if_contains(key) : nullptr;
  if (v == nullptr || v->is_null()) {
    throw CaseError(ErrorCode::missing_field, std::string(key) + " is required", std::string(key));
  }
  if (!v->is_string()) {
    throw CaseError(ErrorCode::invalid_field, std::string(key) + " must be a string", std::string(key));
  }
  return std::string(v->get_string());
}

std::optional<std::string> optional_string(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) {
    throw CaseError(ErrorCode::invalid_field, std::string(key) + " must be a string", std::string(key));
  }
  return std::string(v->get_string());
}

// A request id from the path. Not refused here: a case the caller cannot
// open must answer its one 404 first, whatever the id.
std::int64_t request_id(std::string_view v) {
  std::int64_t n = 0;
  if (v.empty() || v.size() > 18) return -1;
  for (const char c : v) {
    if (c < '0' || c > '9') return -1;
    n = n * 10 + (c - '0');
  }
  return n;
}

// What each route's body may hold (parse_json_body refuses anything else).
const cases::JsonShape kCaseChanges{{"status"},       {"priority"},        {"category"},
                                    {"subject_user"}, {"outcome_message"}, {"assignee"}};
const cases::JsonShape kText{{"body"}};
const cases::JsonShape kReason{{"reason"}};
const cases::JsonShape kIdentityRequest{{"reason"}, {"purpose"}};
const cases::JsonShape kReferral{{"body"}, {"body_name"}, {"reference"}};
const cases::JsonShape kExclusion{{"username"}, {"reason"}};
const cases::JsonShape kGrant{{"cases"}};

cases::CaseChanges changes_from(const json::value& body) {
  if (!body.is_object()) throw CaseError(ErrorCode::invalid_field, "the body must be a JSON object");
  const auto& o = body.get_object();
  cases::CaseChanges c;
  c.status = optional_string(o, "status");
  c.priority = optional_string(o, "priority");
  c.category = optional_string(o, "category");
  c.subject_username = optional_string(o, "subject_user");
  c.outcome_message = optional_string(o, "outcome_message");
  if (const json::value* a = o.if_contains("assignee")) {
    if (a->is_null()) {
      c.assignee = std::optional<std::string>();
    } else if (a->is_string()) {
      c.assignee = std::optional<std::string>(std::string(a->get_string()));
    } else {
      throw CaseError(ErrorCode::invalid_field, "assignee must be a username or null", "assignee");
    }
  }
  return c;
}

}  // namespace

void add_case_routes(Router& router, AppServices& app) {
  router.add(http::verb::get, "/api/v1/cases", [&app](const Request& req, const RouteParams&, Reply reply) {
    const auto s = authenticate(req, app);
    cases::CaseListQuery q;
    const std::string target(req.target());
    q.status = optional_query(target, "status");
    q.category = optional_query(target, "category");
    q.assignee = optional_query(target, "assignee");
    const auto overdue = query_param(target, "overdue");
    q.overdue = overdue == "1" || overdue == "true";
    q.page = int_query(target, "page", 1);
    q.after = optional_query(target, "after");
    q.per_page = int_query(target, "per_page", 20);
    q.batch = optional_query(target, "batch");
    offload(app, reply, [&app, s, q] {
      const auto page = app.triage.list(*s, q);
      json::array items;
      for (const auto& item : page.items) items.push_back(summary_json(item));
      // Issue 22: a flood's complaints, one row per batch (first page only).
      json::array batches;
      for (const auto& b : page.batches) {
        batches.push_back({{"id", b.id},
                           {"received_at", cases::iso_date_bangkok(b.day)},
                           {"cases", b.cases},
                           {"open", b.open},
                           {"overdue", b.overdue}});
      }
      return json_response(http::status::ok,
                           json::object{{"cases", std::move(items)},
                                        {"flood_batches", std::move(batches)},
                                        {"page", page.page},
                                        {"per_page", page.per_page},
                                        {"has_more", page.has_more},
                                        {"next_after", page.has_more && !page.items.empty()
                                                           ? json::value(page.items.back().row.case_number)
                                                           : json::value(nullptr)}});
    });
  });

  router.add(http::verb::get, "/api/v1/cases/{number}",
             [&app](const Request& req, const RouteParams& p, Reply reply) {
               const auto s = authenticate(req, app);
               offload(app, reply, [&app, s, number = std::string(p.get("number"))] {
                 return json_response(http::status::ok, detail_json(app.triage.view(*s, number)));
               });
             });

  router.add(http::verb::patch, "/api/v1/cases/{number}",
             [&app](const Request& req, const RouteParams& p, Reply reply) {
               const auto s = authenticate(req, app);
               const auto changes = changes_from(parse_json_body(req, kCaseChanges));
               offload(app, reply, [&app, s, changes, number = std::string(p.get("number"))] {
                 const auto outcome = app.triage.update(*s, number, changes);
                 // Those who just excluded themselves see the change done, not the case
                 // (which now answers them "no such case").
                 if (changes.subject_username && *changes.subject_username == s->username) {
                   return json_response(http::status::ok,
                                        json::object{{"case_number", number}, {"excluded_self", true}});
                 }
                 // 202: a rejection or "unsubstantiated" in a channel that asks a second
                 // recipient's confirmation is pending (the case's pending_outcome).
                 return json_response(outcome == cases::UpdateOutcome::pending ? http::status::accepted
                                                                               : http::status::ok,
                                      detail_json(app.triage.view(*s, number)));
               });
             });

  const auto post_text = [&app](const cases::JsonShape& shape, auto action) {
    return [&app, &shape, action](const Request& req, const RouteParams& p, Reply reply) {
      const auto s = authenticate(req, app);
      const auto body = parse_json_body(req, shape);
      offload(app, reply, [&app, s, action, body, number = std::string(p.get("number"))] {
        return action(app, *s, number, body);
      });
    };
  };

  router.add(http::verb::post, "/api/v1/cases/{number}/notes",
             post_text(kText, [](AppServices& a, const cases::Session& s, const std::string& n, const json::value& b) {
               a.triage.add_note(s, n, required_string(b, "body"));
               return json_response(http::status::created, json::object{{"ok", true}});
             }),
             64 * 1024);

  router.add(http::verb::post, "/api/v1/cases/{number}/messages",
             post_text(kText, [](AppServices& a, const cases::Session& s, const std::string& n, const json::value& b) {
               a.triage.reply(s, n, required_string(b, "body"));
               return json_response(http::status::created, json::object{{"ok", true}});
             }),
             64 * 1024);

  router.add(http::verb::post, "/api/v1/cases/{number}/identity",
             post_text(kReason, [](AppServices& a, const cases::Session& s, const std::string& n, const json::value& b) {
               const auto* o = b.if_object();
               const json::value* r = o != nullptr ? o->if_contains("reason") : nullptr;
               const std::string reason = r != nullptr && r->is_string() ? std::string(r->get_string()) : "";
               return json_response(http::status::ok,
                                    json::object{{"identity", a.triage.reveal_identity(s, n, reason)}});
             }),
             8 * 1024);

  // Two-person identity access (docs/security.md, "Inside the agency").
  router.add(http::verb::post, "/api/v1/cases/{number}/identity-requests",
             post_text(kIdentityRequest, [](AppServices& a, const cases::Session& s, const std::string& n, const json::value& b) {
               // purpose "referral": for a referral package (issue 13, item 4).
               const auto* o = b.if_object();
               const auto purpose = o != nullptr ? optional_string(*o, "purpose") : std::nullopt;
               const auto id = a.triage.request_identity(s, n, required_string(b, "reason"), purpose.value_or("reveal"));
               return json_response(http::status::created,
                                    json::object{{"ok", true}, {"id", id}, {"state", "pending"}});
             }),
             8 * 1024);

  router.add(http::verb::get, "/api/v1/cases/{number}/identity-requests",
             [&app](const Request& req, const RouteParams& p, Reply reply) {
               const auto s = authenticate(req, app);
               offload(app, reply, [&app, s, number = std::string(p.get("number"))] {
                 json::array items;
                 for (const auto& r : app.triage.identity_requests(*s, number)) {
                   items.push_back(identity_request_json(r));
                 }
                 return json_response(http::status::ok, json::object{{"requests", std::move(items)}});
               });
             });

  router.add(http::verb::post, "/api/v1/cases/{number}/identity-requests/{id}/approve",
             [&app](const Request& req, const RouteParams& p, Reply reply) {
               const auto s = authenticate(req, app);
               refuse_body_members(req);
               offload(app, reply, [&app, s, number = std::string(p.get("number")), id = request_id(p.get("id"))] {
                 app.triage.approve_identity_request(*s, number, id);
                 return json_response(http::status::ok, json::object{{"ok", true}, {"state", "approved"}});
               });
             });

  router.add(http::verb::post, "/api/v1/cases/{number}/identity-requests/{id}/refuse",
             [&app](const Request& req, const RouteParams& p, Reply reply) {
               const auto s = authenticate(req, app);
               const auto body = parse_json_body(req, kReason);
               offload(app, reply, [&app, s, body, number = std::string(p.get("number")),
                                    id = request_id(p.get("id"))] {
                 const auto* o = body.if_object();
                 const auto reason = o != nullptr ? optional_string(*o, "reason") : std::nullopt;
                 app.triage.refuse_identity_request(*s, number, id, reason.value_or(""));
                 return json_response(http::status::ok, json::object{{"ok", true}, {"state", "refused"}});
               });
             },
             8 * 1024);

  // A pending outcome (channels with outcome_needs_confirmation).
  router.add(http::verb::post, "/api/v1/cases/{number}/outcome/confirm",
             [&app](const Request& req, const RouteParams& p, Reply reply) {
               const auto s = authenticate(req, app);
               refuse_body_members(req);
               offload(app, reply, [&app, s, number = std::string(p.get("number"))] {
                 app.triage.confirm_outcome(*s, number);
                 return json_response(http::status::ok, detail_json(app.triage.view(*s, number)));
               });
             });

  router.add(http::verb::post, "/api/v1/cases/{number}/outcome/decline",
             [&app](const Request& req, const RouteParams& p, Reply reply) {
               const auto s = authenticate(req, app);
               // The proposer may withdraw with no body at all.
               const auto body = req.body().empty() ? json::value(json::object{}) : parse_json_body(req, kReason);
               offload(app, reply, [&app, s, body, number = std::string(p.get("number"))] {
                 const auto* o = body.if_object();
                 const auto reason = o != nullptr ? optional_string(*o, "reason") : std::nullopt;
                 app.triage.decline_outcome(*s, number, reason.value_or(""));
                 return json_response(http::status::ok, detail_json(app.triage.view(*s, number)));
               });
             },
             8 * 1024);

  // A reporter's move out of an oversight channel (issue 20, item 7): a
  // recipient of the channel confirms it with a step-up (it changes who
  // reads the case), or declines it.
  if (app.audit != nullptr) {
    router.add(
        http::verb::post, "/api/v1/cases/{number}/escalation/confirm",
        [&app](const Request& req, const RouteParams& p, Reply reply) {
          const auto s = authenticate(req, app);
          auto proof = step_up_proof(parse_json_body(req, kStepUpOnly));
          auto slot = admit(app, reply);
          if (!slot) return;
          offload(app, reply, [&app, s, slot, proof = std::move(proof), number = std::string(p.get("number")),
                               client = p.client()] {
            const auto step_up = require_step_up(app, *s, proof, client, "case.escalate_confirm");
            const cases::EscalationDecisions decisions(*app.audit);
            app.writer.run([&](storage::Database& db) {
              const auto now = app.clock();
              app.login.consume_step_up(db, step_up, now);
              decisions.confirm(db, *s, number, now);
            });
            // The confirming reader may no longer be a reader of the case.
            return json_response(http::status::ok, json::object{{"ok", true}, {"state", "confirmed"}});
          });
        },
        8 * 1024);

    router.add(http::verb::post, "/api/v1/cases/{number}/escalation/decline",
               [&app](const Request& req, const RouteParams& p, Reply reply) {
                 const auto s = authenticate(req, app);
                 refuse_body_members(req);
                 offload(app, reply, [&app, s, number = std::string(p.get("number"))] {
                   const cases::EscalationDecisions decisions(*app.audit);
                   app.writer.run([&](storage::Database& db) {
                     decisions.decline(db, *s, number, app.clock());
                   });
                   return json_response(http::status::ok, detail_json(app.triage.view(*s, number)));
                 });
               });
  }

  // Referral to another body (issue 13, item 4).
  router.add(http::verb::post, "/api/v1/cases/{number}/referral",
             post_text(kReferral, [](AppServices& a, const cases::Session& s, const std::string& n, const json::value& b) {
               const auto* o = b.if_object();
               const auto name = o != nullptr ? optional_string(*o, "body_name") : std::nullopt;
               a.triage.refer(s, n, required_string(b, "body"), name.value_or(""), required_string(b, "reference"));
               return json_response(http::status::ok, detail_json(a.triage.view(s, n)));
             }),
             8 * 1024);

  // The printable package for the body: HTML, styled by /css/referral.css.
  router.add(http::verb::get, "/api/v1/cases/{number}/referral-package",
             [&app](const Request& req, const RouteParams& p, Reply reply) {
               const auto s = authenticate(req, app);
               const std::string target(req.target());
               auto files = file_ids_of(target);
               const bool identity = query_param(target, "identity") == "1";
               offload(app, reply, [&app, s, files = std::move(files), identity, number = std::string(p.get("number"))] {
                 const auto package = app.triage.referral_package(*s, number, files, identity);
                 Response res{http::status::ok, 11};
                 res.set(http::field::content_type, "text/html; charset=utf-8");
                 res.body() = cases::referral_package_html(package);
                 res.prepare_payload();
                 return res;
               });
             });

  router.add(http::verb::post, "/api/v1/cases/{number}/exclusions",
             post_text(kExclusion, [](AppServices& a, const cases::Session& s, const std::string& n, const json::value& b) {
               const auto* o = b.if_object();
               const auto reason = o != nullptr ? optional_string(*o, "reason") : std::nullopt;
               const auto username = required_string(b, "username");
               // 202: an exclusion of a custodian or administrator waits for a
               // second custodian; until then the person keeps access.
               if (a.triage.exclude(s, n, username, reason.value_or("")) == cases::ExclusionOutcome::pending) {
                 return json_response(http::status::accepted, json::object{{"ok", true}, {"pending", true}});
               }
               json::object done{{"ok", true}, {"pending", false}};
               if (username == s.username) done["excluded_self"] = true;
               return json_response(http::status::created, std::move(done));
             }),
             8 * 1024);

  router.add(http::verb::post, "/api/v1/cases/{number}/exclusions/{username}/approve",
             [&app](const Request& req, const RouteParams& p, Reply reply) {
               const auto s = authenticate(req, app);
               refuse_body_members(req);
               offload(app, reply, [&app, s, number = std::string(p.get("number")),
                                    username = std::string(p.get("username"))] {
                 app.triage.approve_exclusion(*s, number, username);
                 return json_response(http::status::ok, json::object{{"ok", true}});
               });
             });

  router.add(http::verb::post, "/api/v1/cases/{number}/exclusions/{username}/lift",
             [&app](const Request& req, const RouteParams& p, Reply reply) {
               const auto s = authenticate(req, app);
               const auto body = parse_json_body(req, kReason);
               offload(app, reply, [&app, s, body, number = std::string(p.get("number")),
                                    username = std::string(p.get("username"))] {
                 const auto r = app.triage.lift_exclusion(*s, number, username, required_string(body, "reason"));
                 return json_response(http::status::ok, json::object{{"ok", true}, {"keys", r.keys}});
               });
             },
             8 * 1024);

  // Grants case by case (issue 20, item 3): the list, then the chosen ones.
  router.add(http::verb::get, "/api/v1/users/{username}/grantable",
             [&app](const Request& req, const RouteParams& p, Reply reply) {
               const auto s = authenticate(req, app);
               refuse_body_members(req);
               offload(app, reply, [&app, s, username = std::string(p.get("username"))] {
                 json::array items;
                 for (const auto& g : app.triage.grantable(*s, username)) {
                   items.push_back(json::object{{"case_number", g.case_number},
                                                {"received_at", cases::iso_date_bangkok(g.received_at)},
                                                {"channel", g.channel},
                                                {"before_membership", g.before_membership},
                                                {"may_grant", g.may_grant}});
                 }
                 return json_response(http::status::ok, json::object{{"cases", std::move(items)}});
               });
             });

  router.add(http::verb::post, "/api/v1/users/{username}/grant",
             [&app](const Request& req, const RouteParams& p, Reply reply) {
               const auto s = authenticate(req, app);
               const auto body = parse_json_body(req, kGrant);
               std::vector<std::string> numbers;
               const auto* o = body.if_object();
               const auto* v = o != nullptr ? o->if_contains("cases") : nullptr;
               if (v == nullptr || !v->is_array()) {
                 throw cases::CaseError(cases::ErrorCode::missing_field, "cases: the case numbers to grant", "cases");
               }
               for (const auto& n : v->get_array()) {
                 if (!n.is_string() || n.get_string().size() > 64) {
                   throw cases::CaseError(cases::ErrorCode::invalid_field, "cases: a list of case numbers", "cases");
                 }
                 numbers.emplace_back(n.get_string());
               }
               offload(app, reply, [&app, s, numbers = std::move(numbers), username = std::string(p.get("username"))] {
                 const auto r = app.triage.grant(*s, username, numbers);
                 return json_response(http::status::ok, json::object{{"cases", r.cases}, {"keys", r.keys}});
               });
             },
             64 * 1024);

  router.add(http::verb::get, "/api/v1/cases/{number}/attachments/{id}",
             [&app](const Request& req, const RouteParams& p, Reply reply) {
               const auto s = authenticate(req, app);
               offload_streamed(app, reply, [&app, s, number = std::string(p.get("number")),
                                             id = std::string(p.get("id"))] {
                 return download_response(app.triage.download(*s, number, id));
               });
             });

  router.add(http::verb::get, "/api/v1/users", [&app](const Request& req, const RouteParams&, Reply reply) {
    const auto s = authenticate(req, app);
    offload(app, reply, [&app, s] {
      app.triage.require_active(*s);
      auto db = app.reader_pool.acquire();
      json::array users;
      // The colleagues of the caller's own agency only (issue 11).
      for (const auto& u : storage::user_store::list(*db, s->agency_id)) {
        if (u.disabled_at) continue;
        users.push_back(json::object{{"username", u.username}, {"display_name", u.display_name},
                                     {"custodian", u.is_custodian}});
      }
      return json_response(http::status::ok, json::object{{"users", std::move(users)}});
    });
  });

  router.add(http::verb::get, "/api/v1/audit", [&app](const Request& req, const RouteParams&, Reply reply) {
    const auto s = authenticate(req, app);
    const std::string target(req.target());
    const auto number = optional_query(target, "case_number");
    const int page = int_query(target, "page", 1);
    const int per_page = int_query(target, "per_page", 50);
    offload(app, reply, [&app, s, number, page, per_page] {
      json::array entries;
      for (const auto& e : app.triage.audit_entries(*s, number, page, per_page)) {
        // The agency's own number, never the deployment-wide row id (issue 21).
        json::object o{{"id", e.seq}, {"at", cases::iso8601_bangkok(e.at)}, {"action", e.action},
                       {"detail", e.detail}};
        o["actor"] = e.actor_username ? json::value(*e.actor_username) : json::value(nullptr);
        o["case_number"] = e.case_number ? json::value(*e.case_number) : json::value(nullptr);
        entries.push_back(std::move(o));
      }
      return json_response(http::status::ok, json::object{{"entries", std::move(entries)}});
    });
  });
}

}  // namespace krasip::server
