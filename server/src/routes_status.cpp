#include <algorithm>
#include <boost/json.hpp>

#include "referral_json.hpp"

#include "agency_param.hpp"
#include "krasip/cases/agencies/agency_policy.hpp"
#include "krasip/cases/agencies/catalog.hpp"
#include "krasip/cases/common/case_error.hpp"
#include "krasip/cases/common/thai_time.hpp"
#include "krasip/server/api_response.hpp"
#include "krasip/server/api_routes.hpp"
#include "krasip/server/json_body.hpp"
#include "channel_json.hpp"
#include "investigator_api.hpp"

namespace krasip::server {

namespace json = boost::json;

namespace {

void put_labels(json::object& o, const cases::Label* label, std::string_view prefix) {
  o[std::string(prefix) + "label_th"] = label != nullptr ? label->th : "";
  o[std::string(prefix) + "label_en"] = label != nullptr ? label->en : "";
}

// Issue 4: evidence files, and `activity`, one list in time order of what
// the reporter's timeline shows: status changes, messages both ways and
// files ({kind, at, ...}; `message` and `attachment` entries point into
// `messages` by index and into `attachments` by id). `timeline` keeps only
// status changes, as before.
void add_followups(json::object& o, const cases::StatusView& v) {
  json::array attachments;
  for (const auto& a : v.attachments) {
    attachments.push_back({{"id", a.id},
                           {"filename", a.filename},
                           {"content_type", a.content_type},
                           {"size", a.size},
                           {"at", cases::api_time(a.at, a.from == "reporter")},
                           {"from", a.from},
                           {"metadata_removed", a.metadata_removed}});
  }
  o["attachments"] = std::move(attachments);

  struct Item {
    std::int64_t at;
    int order;
    json::object entry;
  };
  std::vector<Item> items;
  for (const auto& t : v.timeline) {
    json::object e{{"kind", "status"}, {"at", cases::api_time(t.at, t.status == "received")}, {"status", t.status}};
    put_labels(e, cases::find_status(t.status), "");
    items.push_back({t.at, 0, std::move(e)});
  }
  for (std::size_t i = 0; i < v.messages.size(); ++i) {
    const auto& m = v.messages[i];
    items.push_back({m.at, 1,
                     json::object{{"kind", "message"}, {"at", cases::api_time(m.at, m.from == "reporter")},
                                  {"from", m.from}, {"message_index", i}}});
  }
  for (const auto& a : v.attachments) {
    items.push_back({a.at, 2,
                     json::object{{"kind", "attachment"}, {"at", cases::api_time(a.at, a.from == "reporter")},
                                  {"from", a.from}, {"attachment_id", a.id},
                                  {"filename", a.filename}}});
  }
  for (const auto& e : v.escalations) {
    items.push_back({e.at, 0, json::object{{"kind", "escalated"}, {"at", cases::api_time(e.at, true)},
                                           {"from", public_channel_json(e.from)},
                                           {"to", public_channel_json(e.to)},
                                           {"reason", e.reason}, {"identity", e.identity}}});
  }
  // Issue 20, item 7: a move out of an oversight channel, asked and then
  // declined or lapsed (a confirmed one is the `escalated` entry above).
  for (const auto& r : v.escalation_requests) {
    items.push_back({r.requested_at, 0, json::object{{"kind", "escalation_requested"},
                                                    {"at", cases::api_time(r.requested_at, true)},
                                                    {"from", public_channel_json(r.from)},
                                                    {"to", public_channel_json(r.to)},
                                                    {"reason", r.reason}}});
    if ((r.state == "declined" || r.state == "lapsed") && r.decided_at) {
      items.push_back({*r.decided_at, 0, json::object{{"kind", "escalation_" + r.state},
                                                     {"at", cases::api_time(*r.decided_at, r.state == "lapsed")},
                                                     {"to", public_channel_json(r.to)}}});
    }
  }
  // By day: the reporter's entries keep no time of day, so within a day
  // status changes come first, then messages and files in the order written.
  std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
    const auto da = cases::bangkok_day_start(a.at);
    const auto db = cases::bangkok_day_start(b.at);
    return da != db ? da < db : a.order < b.order;
  });
  json::array activity;
  for (auto& it : items) activity.push_back(std::move(it.entry));
  o["activity"] = std::move(activity);
}

// "30 พฤศจิกายน 2569" and "30 November 2026": the day a case was deleted.
std::string thai_date(std::int64_t at) {
  static constexpr const char* kMonths[] = {"มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
                                            "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"};
  const auto d = cases::bangkok_date(at);
  return std::to_string(d.day) + " " + kMonths[d.month - 1] + " " + std::to_string(d.year + 543);
}
std::string english_date(std::int64_t at) {
  static constexpr const char* kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                                            "July",    "August",   "September", "October", "November", "December"};
  const auto d = cases::bangkok_date(at);
  return std::to_string(d.day) + " " + kMonths[d.month - 1] + " " + std::to_string(d.year);
}

// Issue 13, item 6: a case deleted after its retention. Its tombstone
// keeps the number and the day; nothing else is there to show.
json::object present_purged(const cases::StatusView& v) {
  return {{"case_number", v.case_number},
          {"status", "purged"},
          {"purged", true},
          {"purged_at", cases::iso_date_bangkok(*v.purged_at)},
          {"message_th", "เรื่องนี้ปิดแล้ว และข้อมูลของเรื่องถูกลบตามระยะเวลาการเก็บรักษาเมื่อวันที่ " +
                             thai_date(*v.purged_at)},
          {"message_en", "This case was closed and its records deleted on " + english_date(*v.purged_at) +
                             ", at the end of the period they are kept."}};
}

// A request to move the case out of an oversight channel, as the status
// page shows it: its state, the days, the channels, and what it means in
// Thai and English.
json::object escalation_request_json(const cases::EscalationRequestView& r) {
  json::object o{{"state", r.state},
                 {"requested_at", cases::iso_date_bangkok(r.requested_at)},
                 {"expires_at", cases::iso_date_bangkok(r.expires_at)},
                 {"decided_at", r.decided_at ? json::value(cases::iso_date_bangkok(*r.decided_at)) : json::value(nullptr)},
                 {"from", public_channel_json(r.from)},
                 {"to", public_channel_json(r.to)},
                 {"reason", r.reason},
                 {"identity", r.identity}};
  if (r.state == "pending") {
    o["message_th"] = "คำขอย้ายเรื่องไปยัง " + r.to.name_th + " รอผู้รับเรื่องของ " + r.from.name_th +
                      " ยืนยัน เรื่องยังอยู่ที่เดิมจนกว่าจะยืนยัน หากไม่มีผู้ใดตัดสินภายในวันที่ " +
                      thai_date(r.expires_at) + " คำขอจะหมดอายุ";
    o["message_en"] = "Your request to move the case to " + r.to.name_en + " is waiting for a recipient of " +
                      r.from.name_en + " to confirm it. The case stays where it is until then. If no one decides by " +
                      english_date(r.expires_at) + ", the request lapses.";
  } else if (r.state == "declined") {
    o["message_th"] = "ผู้รับเรื่องของ " + r.from.name_th + " ไม่ยืนยันการย้ายเรื่องไปยัง " + r.to.name_th +
                      " เมื่อวันที่ " + thai_date(*r.decided_at) + " เรื่องยังอยู่ที่ " + r.from.name_th;
    o["message_en"] = "A recipient of " + r.from.name_en + " declined the move to " + r.to.name_en + " on " +
                      english_date(*r.decided_at) + ". The case stays in " + r.from.name_en + ".";
  } else if (r.state == "lapsed") {
    o["message_th"] = "คำขอย้ายเรื่องไปยัง " + r.to.name_th + " หมดอายุเมื่อวันที่ " + thai_date(r.expires_at) +
                      " เพราะไม่มีผู้ใดตัดสิน เรื่องยังอยู่ที่ " + r.from.name_th + " คุณขอย้ายใหม่ได้";
    o["message_en"] = "Your request to move the case to " + r.to.name_en + " lapsed on " + english_date(r.expires_at) +
                      " because no one decided it. The case stays in " + r.from.name_en + "; you may ask again.";
  } else {
    o["message_th"] = "ย้ายเรื่องไปยัง " + r.to.name_th + " แล้ว";
    o["message_en"] = "The case was moved to " + r.to.name_en + ".";
  }
  return o;
}

json::object present(const cases::StatusView& v, const cases::Deadlines& deployment) {
  if (v.purged_at) return present_purged(v);
  json::object o;
  o["case_number"] = v.case_number;
  // Whose case it is: one status page serves every agency (issue 11).
  o["agency"] = agency_json(v.agency);
  o["status"] = v.status;
  put_labels(o, cases::find_status(v.status), "status_");
  o["received_at"] = cases::iso_date_bangkok(v.received_at);
  o["category"] = v.category;
  put_labels(o, cases::find_category(v.category), "category_");
  json::array timeline;
  for (const auto& t : v.timeline) {
    json::object e{{"kind", "status"}, {"at", cases::api_time(t.at, t.status == "received")}, {"status", t.status}};
    put_labels(e, cases::find_status(t.status), "");
    timeline.push_back(std::move(e));
  }
  o["timeline"] = std::move(timeline);
  json::object submission = v.submission;
  submission["identity_provided"] = v.identity_provided;
  o["submission"] = std::move(submission);
  json::array messages;
  for (const auto& m : v.messages) {
    messages.push_back({{"at", cases::api_time(m.at, m.from == "reporter")}, {"from", m.from}, {"body", m.body}});
  }
  o["messages"] = std::move(messages);
  add_followups(o, v);
  // Issue 10, item 4: where the case is, and where the reporter may move it.
  o["channel"] = v.channel ? json::value(public_channel_json(*v.channel)) : json::value(nullptr);
  json::array can_move_to;
  for (const auto& c : v.can_move_to) can_move_to.push_back(public_channel_json(c));
  o["can_move_to"] = std::move(can_move_to);
  // What the case's own agency promises (issue 11), counted from the day
  // received as the investigators' deadlines are.
  const auto days = cases::deadlines_of(v.agency, deployment);
  constexpr std::int64_t kDay = 86400;
  o["due"] = json::object{
      {"acknowledge", cases::iso_date_bangkok(v.received_at + days.acknowledge_days * kDay)},
      {"reply", cases::iso_date_bangkok(v.received_at + days.reply_days * kDay)},
      {"outcome", cases::iso_date_bangkok(v.received_at + days.outcome_days * kDay)}};
  const auto next = cases::next_step(v.status, days);
  o["next_step_th"] = next.th;
  o["next_step_en"] = next.en;
  // Issue 13, item 4: where it went, its reference there, what happens next.
  o["referral"] = v.referral ? json::value(referral_object(*v.referral)) : json::value(nullptr);
  // Issue 20, item 5: whether who reads the case's channel changed since.
  json::array changed;
  for (const auto day : v.readers_changed) changed.push_back(json::string(cases::iso_date_bangkok(day)));
  o["readers_changed"] = std::move(changed);
  // Issue 20, item 7: the latest request to move the case out of an
  // oversight channel, and what became of it.
  o["escalation_request"] = v.escalation_requests.empty()
                                ? json::value(nullptr)
                                : json::value(escalation_request_json(v.escalation_requests.back()));
  return o;
}

const cases::JsonShape kLookup{{"tracking_code"}};
const cases::JsonShape kEscalation{{"tracking_code"}, {"channel"}, {"reason"}, {"move_identity"}};

std::string tracking_code_of(const json::value& body) {
  const auto* obj = body.if_object();
  const json::value* code = obj != nullptr ? obj->if_contains("tracking_code") : nullptr;
  if (code == nullptr || code->is_null()) {
    throw cases::CaseError(cases::ErrorCode::missing_field, "tracking_code is required",
                           "tracking_code");
  }
  if (!code->is_string() || code->get_string().size() > 64) {
    throw cases::CaseError(cases::ErrorCode::malformed_code, "the tracking code is mistyped",
                           "tracking_code");
  }
  return std::string(code->get_string());
}

const json::value* member(const json::value& body, std::string_view key) {
  const auto* obj = body.if_object();
  const json::value* v = obj != nullptr ? obj->if_contains(key) : nullptr;
  return v == nullptr || v->is_null() ? nullptr : v;
}

std::string string_of(const json::value& body, std::string_view key) {
  const auto* v = member(body, key);
  if (v == nullptr) {
    throw cases::CaseError(cases::ErrorCode::missing_field, std::string(key) + " is required", std::string(key));
  }
  if (!v->is_string()) {
    throw cases::CaseError(cases::ErrorCode::invalid_field, std::string(key) + " must be a string",
                           std::string(key));
  }
  return std::string(v->get_string());
}

cases::EscalationRequest escalation_of(const json::value& body) {
  if (!body.is_object()) {
    throw cases::CaseError(cases::ErrorCode::invalid_field, "the body must be a JSON object");
  }
  cases::EscalationRequest r;
  r.tracking_code = tracking_code_of(body);
  r.channel = string_of(body, "channel");
  r.reason = string_of(body, "reason");
  if (const auto* m = member(body, "move_identity")) {
    if (!m->is_bool()) {
      throw cases::CaseError(cases::ErrorCode::invalid_field, "move_identity is true or false",
                             "move_identity");
    }
    r.move_identity = m->get_bool();
  }
  return r;
}

// What the reporter is told about their identity after the move.
json::object identity_note(cases::IdentityMove m) {
  switch (m) {
    case cases::IdentityMove::moved:
      return {{"th", "ผู้ดูแลข้อมูลผู้ร้องของช่องทางใหม่เห็นข้อมูลตัวตนของคุณได้ ผู้ดูแลของช่องทางเดิมไม่เห็นอีกต่อไป"},
              {"en", "The new channel's identity custodians can see who you are; the old channel's no longer can."}};
    case cases::IdentityMove::not_moved:
      return {{"th", "ไม่มีผู้ใดในหน่วยงานเห็นข้อมูลตัวตนของคุณ ยกเว้นผู้ถือกุญแจกู้คืนของหน่วยงาน"},
              {"en", "No one in the agency can see who you are, except the holder of the agency's recovery key."}};
    case cases::IdentityMove::not_movable:
      return {{"th", "ย้ายข้อมูลตัวตนของคุณไม่ได้ เพราะเรื่องนี้ส่งมาก่อนระบบรองรับการย้าย ผู้ดูแลของช่องทางเดิมไม่เห็นอีกต่อไป "
                     "ผู้ถือกุญแจกู้คืนของหน่วยงานมอบให้ผู้ดูแลของช่องทางใหม่ได้"},
              {"en", "Your identity could not be moved: this case was filed before moving it was possible. The old "
                     "channel's custodians no longer see it; the holder of the agency's recovery key can grant it "
                     "to the new channel's custodians."}};
    case cases::IdentityMove::none:
      break;
  }
  return {{"th", "คุณไม่ได้ให้ข้อมูลตัวตนไว้"}, {"en", "You did not give your identity."}};
}

}  // namespace

void add_status_routes(Router& router, AppServices& app) {
  auto& lookup = router.add(
      http::verb::post, "/api/v1/status",
      [&app](const Request& req, const RouteParams&, Reply reply) {
        const auto code = tracking_code_of(parse_json_body(req, kLookup));
        reply(json_response(http::status::ok, present(app.status.lookup(code), app.triage.deadlines())));
      },
      4 * 1024, app.status_limiter);
  lookup.proof = app.pow;
  lookup.purpose = cases::ProofOfWork::Purpose::status;

  // Issue 20, item 7: the reporter replaces their tracking code (a code a
  // counter clerk wrote down, or one seen over a shoulder). The new code is
  // in this answer only (API answers are no-store); limited with lookups.
  if (app.code_replacement != nullptr) {
    router.add(
        http::verb::post, "/api/v1/status/replace-code",
        [&app](const Request& req, const RouteParams&, Reply reply) {
          auto code = tracking_code_of(parse_json_body(req, kLookup));
          offload(app, reply, [&app, code = std::move(code)] {
            const auto r = app.code_replacement->replace(code);
            return json_response(http::status::ok, json::object{{"ok", true},
                                                                {"case_number", r.case_number},
                                                                {"tracking_code", r.tracking_code}});
          });
        },
        4 * 1024, app.status_limiter);
  }

  // Issue 10, item 4: the reporter moves the case to another channel.
  // Limited with status lookups: it takes the tracking code too.
  if (app.escalation == nullptr) return;
  router.add(
      http::verb::post, "/api/v1/status/escalate",
      [&app](const Request& req, const RouteParams&, Reply reply) {
        auto request = escalation_of(parse_json_body(req, kEscalation));
        offload(app, reply, [&app, request = std::move(request)] {
          const auto r = app.escalation->escalate(request);
          json::object o{{"ok", true},
                         {"pending", r.pending},
                         {"from", public_channel_json(r.from)},
                         {"channel", public_channel_json(r.to)},
                         {"identity", cases::identity_move_name(r.identity)}};
          // Out of an oversight channel: asked, not moved (issue 20, item 7);
          // what becomes of the identity is said once it has.
          if (!r.pending) o["identity_note"] = identity_note(r.identity);
          if (r.pending) {
            cases::EscalationRequestView v;
            v.state = "pending";
            v.requested_at = r.at;
            v.expires_at = r.expires_at;
            v.from = r.from;
            v.to = r.to;
            v.identity = std::string(cases::identity_move_name(r.identity));
            const auto request = escalation_request_json(v);
            o["expires_at"] = request.at("expires_at");
            o["message_th"] = request.at("message_th");
            o["message_en"] = request.at("message_en");
          }
          return json_response(r.pending ? http::status::accepted : http::status::ok, std::move(o));
        });
      },
      8 * 1024, app.status_limiter);
}

}  // namespace krasip::server
