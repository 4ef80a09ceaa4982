#include "krasip/cases/reporter/escalation_service.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <vector>

#include "krasip/cases/common/case_crypto.hpp"
#include "krasip/cases/common/case_error.hpp"
#include "krasip/cases/common/thai_time.hpp"
#include "krasip/cases/reporter/reporter_access.hpp"
#include "krasip/cases/common/case_records.hpp"
#include "krasip/cases/common/text_rules.hpp"
#include "escalation_steps.hpp"
#include "krasip/storage/escalation_store.hpp"
#include "krasip/crypto/encoding.hpp"
#include "krasip/crypto/envelope.hpp"
#include "krasip/storage/case_escalation.hpp"
#include "krasip/storage/case_store.hpp"
#include "krasip/storage/database.hpp"
#include "krasip/storage/departure_store.hpp"
#include "krasip/storage/key_store.hpp"
#include "krasip/storage/triage_store.hpp"
#include "krasip/storage/two_person_store.hpp"

namespace krasip::cases {

namespace json = boost::json;

std::string_view identity_move_name(IdentityMove m) {
  switch (m) {
    case IdentityMove::moved: return "moved";
    case IdentityMove::not_moved: return "not_moved";
    case IdentityMove::not_movable: return "not_movable";
    case IdentityMove::none: break;
  }
  return "none";
}

std::string escalation_detail_json(const EscalationDetail& d) {
  return json::serialize(
      json::object{{"from", d.from}, {"to", d.to}, {"reason", d.reason}, {"identity", d.identity}});
}

EscalationDetail parse_escalation_detail(std::string_view text) {
  const auto o = json::parse(text).as_object();
  return {std::string(o.at("from").as_string()), std::string(o.at("to").as_string()),
          std::string(o.at("reason").as_string()), std::string(o.at("identity").as_string())};
}

std::string describe_escalation(storage::Database& db, std::int64_t agency_id, std::string_view text) {
  const auto d = parse_escalation_detail(text);
  const auto from = storage::channel_store::find_by_slug(db, agency_id, d.from);
  const auto to = storage::channel_store::find_by_slug(db, agency_id, d.to);
  const auto th = [](const auto& c, const std::string& slug) { return c ? c->name_th : slug; };
  const auto en = [](const auto& c, const std::string& slug) { return c ? c->name_en : slug; };
  return th(from, d.from) + " → " + th(to, d.to) + " (" + en(from, d.from) + " → " + en(to, d.to) +
         ") — " + d.reason + " · identity: " + d.identity;
}

using escalation_steps::Member;

namespace {

// A month: what the oversight channel has to decide before the request
// lapses (issue 20, item 7).
constexpr std::int64_t kPendingDays = 30;
constexpr std::int64_t kDay = 86400;

// A request nobody decided in time is lapsed; marked so when next met.
void lapse_if_expired(storage::Database& db, std::int64_t case_id, std::int64_t now) {
  const auto pending = storage::escalation_store::pending(db, case_id);
  if (pending && now >= pending->expires_at) {
    storage::escalation_store::decide(db, pending->id, "lapsed", std::nullopt, pending->expires_at);
  }
}

}  // namespace

std::string_view escalation_state(const storage::EscalationRequestRow& r, std::int64_t now) {
  if (r.state == "pending" && now >= r.expires_at) return "lapsed";
  return r.state;
}

std::optional<std::int64_t> escalation_decided_at(const storage::EscalationRequestRow& r, std::int64_t now) {
  if (r.state == "pending") return now >= r.expires_at ? std::optional(r.expires_at) : std::nullopt;
  return r.decided_at;
}

std::vector<EscalationRequestView> escalation_requests(storage::Database& db, const storage::CaseRow& row,
                                                       std::int64_t reader_key_id, KeyOpener reader,
                                                       std::int64_t now) {
  std::vector<EscalationRequestView> out;
  const auto channel = [&](std::int64_t id) {
    return storage::channel_store::find_by_id(db, id).value_or(storage::ChannelRow{});
  };
  for (const auto& r : storage::escalation_store::requests(db, row.id, reader_key_id)) {
    EscalationRequestView v;
    v.id = r.id;
    v.state = std::string(escalation_state(r, now));
    v.requested_at = r.requested_at;
    v.expires_at = r.expires_at;
    v.decided_at = escalation_decided_at(r, now);
    v.decided_by = r.decided_by_username;
    v.from = channel(r.from_channel_id);
    v.to = channel(r.to_channel_id);
    v.identity = r.identity;
    if (r.sealed_detail) {
      try {
        v.reason = parse_escalation_detail(open_case_record(*r.sealed_detail, row.uid, reader)).reason;
      } catch (const std::exception&) {
        // Not the shape a request writes: the rest still says what it is.
      }
    }
    out.push_back(std::move(v));
  }
  return out;
}

EscalationResult EscalationService::escalate(const EscalationRequest& req) {
  // Checked before the code: a bad reason or channel says nothing about it.
  const std::string reason = checked_text(req.reason, "reason", kEscalationReasonMax, true);
  const std::int64_t now = clock_();
  const std::int64_t day = bangkok_day_start(now);
  EscalationResult out;
  out.at = day;
  writer_.run([&](storage::Database& db) {
    // The case first: the channels to choose from are its agency's (issue 11).
    const auto opened = open_reporter_case(secrets_, db, req.tracking_code);
    const auto& row = opened.row;
    const auto to = storage::channel_store::find_by_slug(db, row.agency_id, req.channel);
    if (!to) throw CaseError(ErrorCode::invalid_field, "no such channel", "channel");
    if (row.channel_id == to->id) {
      throw CaseError(ErrorCode::invalid_field, "the case is already in this channel: choose another",
                      "channel");
    }
    lapse_if_expired(db, row.id, now);
    if (storage::escalation_store::pending(db, row.id)) {
      throw CaseError(ErrorCode::escalation_pending,
                      "a move of this case is waiting for the confirmation of its present channel;"
                      " it can be asked again once that is decided or has lapsed",
                      "channel");
    }
    const auto from = row.channel_id ? storage::channel_store::find_by_id(db, *row.channel_id) : std::nullopt;

    // The new readers: the channel's active recipients, its custodians
    // among them, less whoever is excluded from this case.
    const auto readers = escalation_steps::new_readers(db, row.id, to->id);
    const auto& recipients = readers.recipients;
    const auto& custodians = readers.custodians;
    if (recipients.empty()) {
      throw CaseError(ErrorCode::invalid_field,
                      "no one in that channel can receive this case now: choose another", "channel");
    }

    IdentityMove identity = IdentityMove::none;
    if (row.has_identity) {
      identity = !req.move_identity ? IdentityMove::not_moved
                 : storage::case_store::envelope_for(db, row.id, "identity", row.reporter_key_id)
                     ? IdentityMove::moved
                     // Filed before the reporter's identity slot: it cannot be
                     // re-sealed here. New custodians who already hold it keep it.
                     : IdentityMove::not_movable;
    }
    const EscalationDetail detail{from ? from->slug : std::string(), to->slug, reason,
                                  std::string(identity_move_name(identity))};
    out.from = from.value_or(storage::ChannelRow{});
    out.to = *to;
    out.identity = identity;

    // Out of an oversight channel (a reader from an agency above): whoever
    // holds the code, the staff member who wrote it down at the counter
    // included, only asks. The history entry and the plan are written now,
    // while the code is here; a recipient of that channel confirms.
    std::optional<std::int64_t> request_id;
    if (from && storage::channel_store::is_oversight_channel(db, from->id)) {
      request_id = request_move(db, opened, detail, *from, *to, req.move_identity, day);
      out.pending = true;
      out.expires_at = day + kPendingDays * kDay;
    }

    // Every data key the reporter holds, opened while every slot is there,
    // sealed to the new readers: at once, or into the plan.
    const auto seal = [&](std::int64_t envelope_id, const crypto::SecureBytes& key,
                          const std::vector<Member>& to_members) {
      if (!request_id) return escalation_steps::seal_to(db, envelope_id, key, to_members);
      for (const auto& m : to_members) {
        storage::escalation_store::add_plan_key(db, *request_id, envelope_id, m.reader.id, m.user_id,
                                                crypto::seal_data_key(key, m.reader.public_key));
      }
    };
    for (const auto& env : storage::triage_store::envelopes_for(db, row.id, row.reporter_key_id)) {
      if (env.field == "identity") {
        // Its own key, derived here only: see ReporterKeys::derive_identity_key.
        if (identity == IdentityMove::moved) {
          seal(env.id, crypto::unwrap_data_key(env.sealed_key, opened.key.derive_identity_key()), custodians);
        }
        continue;
      }
      seal(env.id, opened.key.open_data_key(env.sealed_key), recipients);
    }
    if (request_id) return;

    const bool keeps_identity = identity == IdentityMove::moved || identity == IdentityMove::not_movable;
    escalation_steps::finish_move(db, row, to->id, recipients, keeps_identity ? custodians : std::vector<Member>{},
                                  identity, day);
    const crypto::WrapReader reporter_slot{row.reporter_key_id, &opened.key.wrap_key()};
    escalation_steps::record_move(db, audit_, row, detail, recipients, {&reporter_slot, 1}, {}, std::nullopt,
                                  "case.escalate", day);
  });
  return out;
}

std::int64_t EscalationService::request_move(storage::Database& db, const ReporterCase& opened,
                                             const EscalationDetail& detail, const storage::ChannelRow& from,
                                             const storage::ChannelRow& to, bool move_identity,
                                             std::int64_t day) {
  const auto& row = opened.row;
  // The request as both sides read it: the case's readers now (who decide),
  // the recovery key and the reporter.
  std::vector<crypto::Reader> readers;
  for (auto& r : storage::case_store::complaint_readers(db, row.id)) {
    if (r.kind == "reporter") continue;
    readers.push_back({r.id, std::move(r.public_key)});
  }
  const crypto::WrapReader reporter_slot{row.reporter_key_id, &opened.key.wrap_key()};
  const auto env = seal_case_record(row.uid, "event:" + crypto::to_hex(crypto::random_bytes(16)),
                                    escalation_detail_json(detail), readers, {&reporter_slot, 1});
  const auto envelope_id = storage::case_store::insert_envelope(db, row.id, env, day, row.reporter_key_id);

  storage::EscalationRequestRow r;
  r.case_id = row.id;
  r.from_channel_id = from.id;
  r.to_channel_id = to.id;
  r.move_identity = move_identity;
  r.identity = detail.identity;
  r.detail_envelope_id = envelope_id;
  r.requested_at = day;
  r.expires_at = day + kPendingDays * kDay;
  const auto id = storage::escalation_store::insert_request(db, r);

  storage::CaseEventRow event{day, "escalation_requested", std::nullopt, std::nullopt, std::nullopt, true};
  event.detail_envelope_id = envelope_id;
  storage::triage_store::add_event(db, row.id, event);

  AuditEvent audit{day, std::nullopt, "case.escalate_request", row.id, ""};
  auto sealed = seal_investigator_record(
      db, row, "audit:",
      "from=" + detail.from + " to=" + detail.to + " identity=" + detail.identity + " reason=" + detail.reason, day);
  audit.detail_envelope_id = sealed.envelope_id;
  audit.detail_nonce = std::move(sealed.nonce);
  audit.detail_ciphertext = std::move(sealed.ciphertext);
  audit_.append(db, audit);
  return id;
}

}  // namespace krasip::cases
