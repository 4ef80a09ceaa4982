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

namespace {

struct Member {
  std::int64_t user_id;
  crypto::Reader reader;
};

bool holds(const std::vector<Member>& members, std::int64_t key_id) {
  return std::any_of(members.begin(), members.end(),
                     [&](const Member& m) { return m.reader.id == key_id; });
}

void seal_to(storage::Database& db, std::int64_t envelope_id, const crypto::SecureBytes& data_key,
             const std::vector<Member>& to) {
  for (const auto& m : to) {
    storage::triage_store::add_sealed_key(db, envelope_id, m.reader.id,
                                          crypto::seal_data_key(data_key, m.reader.public_key));
  }
}

}  // namespace

EscalationResult EscalationService::escalate(const EscalationRequest& req) {
  // Checked before the code: a bad reason or channel says nothing about it.
  const std::string reason = checked_text(req.reason, "reason", kEscalationReasonMax, true);
  const std::int64_t day = bangkok_day_start(clock_());
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
    const auto from = row.channel_id ? storage::channel_store::find_by_id(db, *row.channel_id) : std::nullopt;

    // The new readers: the channel's active recipients, its custodians
    // among them, less whoever is excluded from this case.
    std::vector<Member> recipients;
    std::vector<Member> custodians;
    const auto members = storage::channel_store::members(db, to->id);
    for (const auto& m : members) {
      if (!m.active || m.role != "recipient") continue;
      if (storage::triage_store::is_excluded(db, row.id, m.user_id)) continue;
      recipients.push_back({m.user_id, {m.key_id, m.public_key}});
    }
    for (const auto& m : members) {
      if (m.role == "custodian" && holds(recipients, m.key_id)) {
        custodians.push_back({m.user_id, {m.key_id, m.public_key}});
      }
    }
    if (recipients.empty()) {
      throw CaseError(ErrorCode::invalid_field,
                      "no one in that channel can receive this case now: choose another", "channel");
    }

    // Every data key the reporter holds, opened while every slot is there.
    struct Opened {
      std::int64_t envelope_id;
      crypto::SecureBytes key;
    };
    std::vector<Opened> case_keys;
    std::optional<Opened> identity_key;
    for (const auto& env : storage::triage_store::envelopes_for(db, row.id, row.reporter_key_id)) {
      if (env.field == "identity") {
        // Its own key, derived here only: see ReporterKeys::derive_identity_key.
        if (req.move_identity) {
          identity_key = Opened{env.id, crypto::unwrap_data_key(env.sealed_key,
                                                                opened.key.derive_identity_key())};
        }
        continue;
      }
      case_keys.push_back({env.id, opened.key.open_data_key(env.sealed_key)});
    }

    IdentityMove identity = IdentityMove::none;
    std::vector<Member> identity_keep;
    if (row.has_identity) {
      if (!req.move_identity) {
        identity = IdentityMove::not_moved;
      } else if (identity_key) {
        identity = IdentityMove::moved;
        identity_keep = custodians;
      } else {
        // Filed before the reporter's identity slot: it cannot be re-sealed
        // here. New custodians who already hold it keep it.
        identity = IdentityMove::not_movable;
        identity_keep = custodians;
      }
    }

    // Old readers lose every key to the case; the recovery key and the
    // reporter's slots stay (only investigator keys are listed).
    for (const auto key_id : storage::case_store::investigator_key_holders(db, row.id, false)) {
      if (!holds(recipients, key_id)) storage::case_store::drop_reader_keys(db, row.id, key_id, false);
    }
    for (const auto key_id : storage::case_store::investigator_key_holders(db, row.id, true)) {
      if (!holds(identity_keep, key_id)) storage::case_store::drop_reader_keys(db, row.id, key_id, true);
    }
    // Keys the old channel's removed readers still had suspended go too: a
    // restore of theirs there must not reach a case that left (issue 20).
    storage::departure_store::drop_case(db, row.id);
    for (const auto& k : case_keys) seal_to(db, k.envelope_id, k.key, recipients);
    if (identity == IdentityMove::moved) seal_to(db, identity_key->envelope_id, identity_key->key, custodians);

    const bool clear_assignee =
        row.assignee_id && std::none_of(recipients.begin(), recipients.end(),
                                        [&](const Member& m) { return m.user_id == *row.assignee_id; });
    storage::case_store::set_channel(db, row.id, to->id, day, clear_assignee);
    // Kept back: no grant may give it out afterwards (triage grant_case).
    storage::case_store::set_identity_withheld(db, row.id, identity == IdentityMove::not_moved);
    // What the old channel had under way ends with its access: a rejection
    // it proposed (the draft was sealed to its readers only, so the new ones
    // could neither read nor confirm it) and every identity request, asked
    // or approved under the old channel's rules.
    storage::two_person_store::drop_pending_outcome(db, row.id);
    storage::two_person_store::revoke_open_requests(db, row.id);

    // The reporter's timeline and the console's history: sealed to the
    // new readers, the recovery key and the reporter (their wrap key).
    const EscalationDetail detail{from ? from->slug : std::string(), to->slug, reason,
                                  std::string(identity_move_name(identity))};
    std::vector<crypto::Reader> readers;
    for (const auto& m : recipients) readers.push_back(m.reader);
    if (const auto r = storage::key_store::recovery_key(db, row.agency_id)) {
      readers.push_back({r->id, r->public_key});
    }
    const crypto::WrapReader reporter_slot{row.reporter_key_id, &opened.key.wrap_key()};
    const auto env = seal_case_record(row.uid, "event:" + crypto::to_hex(crypto::random_bytes(16)),
                                      escalation_detail_json(detail), readers, {&reporter_slot, 1});
    storage::CaseEventRow event{day, "escalated", std::nullopt, std::nullopt, std::nullopt, true};
    event.detail_envelope_id =
        storage::case_store::insert_envelope(db, row.id, env, day, row.reporter_key_id);
    storage::triage_store::add_event(db, row.id, event);

    // Audited like every case action; the detail sealed to the case's
    // investigator-side readers, which are now the new channel's.
    AuditEvent audit{day, std::nullopt, "case.escalate", row.id, ""};
    auto sealed = seal_investigator_record(
        db, row, "audit:",
        "from=" + detail.from + " to=" + detail.to + " identity=" + detail.identity + " reason=" + reason,
        day);
    audit.detail_envelope_id = sealed.envelope_id;
    audit.detail_nonce = std::move(sealed.nonce);
    audit.detail_ciphertext = std::move(sealed.ciphertext);
    audit_.append(db, audit);

    out.from = from.value_or(storage::ChannelRow{});
    out.to = *to;
    out.identity = identity;
  });
  return out;
}

}  // namespace krasip::cases
