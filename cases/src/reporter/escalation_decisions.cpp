#include "krasip/cases/reporter/escalation_decisions.hpp"

#include <algorithm>

#include "escalation_steps.hpp"
#include "krasip/cases/common/case_crypto.hpp"
#include "krasip/cases/common/case_error.hpp"
#include "krasip/cases/common/case_records.hpp"
#include "krasip/storage/case_store.hpp"
#include "krasip/storage/channel_store.hpp"
#include "krasip/storage/database.hpp"
#include "krasip/storage/escalation_store.hpp"
#include "krasip/storage/reporter_code.hpp"
#include "krasip/storage/triage_store.hpp"

namespace krasip::cases {

using escalation_steps::Member;

namespace {

// Byte for byte what every case route answers for a case one may not read.
storage::CaseRow readable_case(storage::Database& db, const Session& s, const std::string& number) {
  const auto row = storage::case_store::find_by_number(db, number);
  if (!row || !storage::triage_store::may_read(db, row->id, s.user_id, s.key_id, s.agency_id)) {
    throw CaseError(ErrorCode::not_found, "no such case");
  }
  return *row;
}

storage::EscalationRequestRow waiting_request(storage::Database& db, const storage::CaseRow& row,
                                              std::int64_t now) {
  const auto r = storage::escalation_store::pending(db, row.id);
  if (!r) throw CaseError(ErrorCode::invalid_transition, "no move of this case is waiting for a decision");
  if (now >= r->expires_at) {
    throw CaseError(ErrorCode::invalid_transition,
                    "the reporter's request lapsed after 30 days undecided; the case stays in its channel");
  }
  if (!row.channel_id || *row.channel_id != r->from_channel_id) {
    throw CaseError(ErrorCode::invalid_transition, "the case is no longer in the channel it was asked out of");
  }
  return *r;
}

}  // namespace

bool may_confirm_escalation(storage::Database& db, const Session& s, const storage::CaseRow& row) {
  if (!storage::triage_store::may_read(db, row.id, s.user_id, s.key_id, s.agency_id)) return false;
  const auto recorder = storage::escalation_store::recorded_by(db, row.id);
  return !recorder || *recorder != s.user_id;
}

EscalationResult EscalationDecisions::confirm(storage::Database& db, const Session& s,
                                              const std::string& number, std::int64_t now) const {
  const auto row = readable_case(db, s, number);
  const auto request = waiting_request(db, row, now);
  if (!may_confirm_escalation(db, s, row)) {
    throw CaseError(ErrorCode::forbidden,
                    "you recorded this complaint for the citizen and may hold their code:"
                    " another recipient of the channel decides");
  }
  const auto from = storage::channel_store::find_by_id(db, request.from_channel_id);
  const auto to = storage::channel_store::find_by_id(db, request.to_channel_id);
  if (!from || !to) throw CaseError(ErrorCode::invalid_transition, "the channel asked for no longer exists");
  // Who reads in the new channel now, not when the reporter asked.
  const auto readers = escalation_steps::new_readers(db, row.id, to->id);
  if (readers.recipients.empty()) {
    throw CaseError(ErrorCode::invalid_transition,
                    "no one in the channel asked for can receive this case now: decline it");
  }
  const auto identity = request.identity == "moved"         ? IdentityMove::moved
                        : request.identity == "not_moved"   ? IdentityMove::not_moved
                        : request.identity == "not_movable" ? IdentityMove::not_movable
                                                            : IdentityMove::none;

  // The plan, to those who are still among the new readers under the key
  // it was sealed to (a replaced key could not open it anyway).
  for (const auto& k : storage::escalation_store::plan_keys(db, request.id)) {
    const auto& allowed = k.field == "identity" ? readers.custodians : readers.recipients;
    if (!escalation_steps::holds(allowed, k.reader_key_id)) continue;
    storage::triage_store::add_sealed_key(db, k.envelope_id, k.reader_key_id, k.sealed_key);
  }
  // What the reporter holds a slot in that the plan does not cover: written
  // since the request (messages both ways, files), or for a recipient who
  // joined since. The confirming reader seals what they hold of it.
  const auto mine = storage::triage_store::envelopes_for(db, row.id, s.key_id);
  for (const auto& slot : storage::case_store::reporter_slots(db, row.id, row.reporter_key_id)) {
    if (slot.field == "identity") continue;
    std::vector<Member> missing;
    for (const auto& m : readers.recipients) {
      if (!storage::triage_store::has_key(db, slot.envelope_id, m.reader.id)) missing.push_back(m);
    }
    if (missing.empty()) continue;
    const auto it = std::find_if(mine.begin(), mine.end(),
                                 [&](const storage::ReadableEnvelope& e) { return e.id == slot.envelope_id; });
    if (it == mine.end()) continue;
    escalation_steps::seal_to(db, slot.envelope_id, crypto::open_data_key(it->sealed_key, s.key), missing);
  }

  // The reason, from the request's detail (the confirming reader holds it).
  std::string reason;
  for (const auto& v : escalation_requests(db, row, s.key_id, s.key, now)) {
    if (v.id == request.id) reason = v.reason;
  }
  const bool keeps_identity = identity == IdentityMove::moved || identity == IdentityMove::not_movable;
  escalation_steps::finish_move(db, row, to->id, readers.recipients,
                                keeps_identity ? readers.custodians : std::vector<Member>{}, identity, now);
  storage::escalation_store::decide(db, request.id, "confirmed", s.user_id, now);

  // The reporter's slot in the history entry: sealed to their public key,
  // as an investigator's reply is (the code is not here).
  std::vector<crypto::Reader> reporter;
  for (auto& r : storage::case_store::complaint_readers(db, row.id)) {
    if (r.kind == "reporter") reporter.push_back({r.id, std::move(r.public_key)});
  }
  const EscalationDetail detail{from->slug, to->slug, reason, request.identity};
  escalation_steps::record_move(db, audit_, row, detail, readers.recipients, {}, reporter, s.user_id,
                                "case.escalate_confirm", now);
  EscalationResult out;
  out.from = *from;
  out.to = *to;
  out.identity = identity;
  out.at = now;
  return out;
}

void EscalationDecisions::decline(storage::Database& db, const Session& s, const std::string& number,
                                  std::int64_t now) const {
  const auto row = readable_case(db, s, number);
  const auto request = waiting_request(db, row, now);
  storage::escalation_store::decide(db, request.id, "declined", s.user_id, now);
  storage::triage_store::add_event(
      db, row.id, {now, "escalation_declined", std::nullopt, s.user_id, std::nullopt, true});
  audit_.append(db, {now, s.user_id, "case.escalate_decline", row.id, ""});
}

}  // namespace krasip::cases
