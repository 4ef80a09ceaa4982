// Two people where one could expose a reporter or bury a case (issue 10,
// item 5; docs/security.md "Inside the agency"): identity requests in
// channels with two-person identity access, and outcomes awaiting a second
// recipient's confirmation.
#include "krasip/cases/common/case_crypto.hpp"
#include "krasip/cases/common/case_error.hpp"
#include "krasip/cases/common/case_records.hpp"
#include "krasip/cases/triage/triage_service.hpp"
#include "krasip/storage/case_store.hpp"
#include "krasip/storage/channel_store.hpp"
#include "krasip/storage/database.hpp"
#include "krasip/storage/two_person_store.hpp"
#include "krasip/storage/user_store.hpp"
#include "triage_rules.hpp"

namespace krasip::cases {

using namespace triage_rules;

namespace {

bool two_person_channel(storage::Database& db, const storage::CaseRow& row) {
  if (!row.channel_id) return false;
  const auto c = storage::channel_store::find_by_id(db, *row.channel_id);
  return c && c->identity_two_person;
}

storage::IdentityRequestRow find_request(storage::Database& db, const storage::CaseRow& row, std::int64_t id) {
  auto r = storage::two_person_store::find_identity_request(db, row.id, id);
  if (!r) throw CaseError(ErrorCode::not_found, "no such identity request", "id");
  return *r;
}

void require_pending(const storage::IdentityRequestRow& r) {
  if (r.state != "pending") {
    throw CaseError(ErrorCode::invalid_transition, "that identity request was already decided", "id");
  }
}

// Who decides an identity request: a custodian of the case's channel who
// holds the identity key, never the asker. Checked before the request is
// looked up, so that anyone else is refused alike whatever the request.
void require_custodian(storage::Database& db, const Session& s, const storage::CaseRow& row) {
  if (!is_case_custodian(db, s.user_id, row)) {
    throw CaseError(ErrorCode::forbidden, "only an identity custodian of this channel may decide");
  }
}

void require_not_asker(const Session& s, const storage::IdentityRequestRow& r) {
  if (r.requested_by == s.user_id) {
    throw CaseError(ErrorCode::forbidden, "a second custodian must decide, not the one who asked");
  }
}

std::string ids(std::int64_t request_id, std::int64_t asker) {
  return "request=" + std::to_string(request_id) + " user_id=" + std::to_string(asker);
}

}  // namespace

std::int64_t TriageService::request_identity(const Session& s, const std::string& number,
                                             const std::string& reason, const std::string& purpose) {
  require_active(s);
  if (purpose != "reveal" && purpose != "referral") {
    throw CaseError(ErrorCode::invalid_field, "purpose is reveal or referral", "purpose");
  }
  const std::int64_t now = clock_();
  std::int64_t id = 0;
  writer_.run([&](storage::Database& db) {
    const auto row = open_case(db, s, number);
    // The identity leaving the agency in a referral always takes a second
    // person, whatever the channel says about seeing it in the console.
    if (purpose == "reveal" && !two_person_channel(db, row)) {
      throw CaseError(ErrorCode::invalid_transition,
                      "in this channel a custodian reveals the identity directly (POST .../identity)");
    }
    if (!row.has_identity) throw CaseError(ErrorCode::not_found, "the reporter chose to stay anonymous");
    const std::string why = checked_reason(reason);
    if (storage::two_person_store::open_request_of(db, row.id, s.user_id)) {
      throw CaseError(ErrorCode::invalid_transition, "your earlier request is still open");
    }
    const auto sealed = seal_investigator_record(db, row, "identity_request:", why, now);
    id = storage::two_person_store::add_identity_request(db, row.id, s.user_id, sealed.envelope_id, now, purpose);
    add_sealed_event(db, row, {now, "identity_requested", std::nullopt, s.user_id, std::nullopt, false},
                     s.username);
    append_audit(audit_, db, row, {now, s.user_id, "identity.request", row.id, "purpose=" + purpose},
                 ids(id, s.user_id) + " purpose=" + purpose + " reason=" + why);
  });
  return id;
}

std::vector<storage::IdentityRequestRow> TriageService::identity_requests(const Session& s,
                                                                          const std::string& number) {
  require_active(s);
  auto db = pool_.acquire();
  const auto row = open_case(*db, s, number);
  auto out = storage::two_person_store::identity_requests(*db, row.id, s.key_id);
  for (auto& r : out) {
    if (auto why = open_detail(r.sealed_reason, row, s.key)) r.reason = std::move(*why);
    if (auto no = open_detail(r.sealed_refusal, row, s.key)) r.refusal = std::move(*no);
    r.sealed_reason.reset();
    r.sealed_refusal.reset();
    r.sealed_key.clear();
  }
  return out;
}

void TriageService::approve_identity_request(const Session& s, const std::string& number, std::int64_t id) {
  require_active(s);
  const std::int64_t now = clock_();
  writer_.run([&](storage::Database& db) {
    const auto row = open_case(db, s, number);
    require_custodian(db, s, row);
    const auto r = find_request(db, row, id);
    require_not_asker(s, r);
    require_pending(r);
    const auto asker = storage::user_store::find_by_id(db, r.requested_by);
    if (!asker || asker->disabled_at || !storage::triage_store::may_read(db, row.id, asker->id, asker->key_id, asker->agency_id)) {
      throw CaseError(ErrorCode::invalid_transition, "the person who asked can no longer open this case", "id");
    }
    const auto env = storage::case_store::envelope_for(db, row.id, "identity", s.key_id);
    if (!env) throw CaseError(ErrorCode::forbidden, "you hold no key to this identity yet");
    // The approver's session opens the data key and seals it to the asker's
    // public key: the asker opens the identity with their own key, and the
    // approver never sees it by approving.
    const auto key = crypto::open_data_key(env->sealed_key, s.key);
    storage::two_person_store::approve_identity_request(db, r.id, s.user_id, now, asker->key_id,
                                                        crypto::seal_data_key(key, asker->public_key));
    add_sealed_event(db, row, {now, "identity_approved", std::nullopt, s.user_id, std::nullopt, false},
                     asker->username);
    append_audit(audit_, db, row, {now, s.user_id, "identity.approve", row.id, "purpose=" + r.purpose},
                 ids(r.id, r.requested_by) + " purpose=" + r.purpose);
  });
}

void TriageService::refuse_identity_request(const Session& s, const std::string& number, std::int64_t id,
                                            const std::string& reason) {
  require_active(s);
  const std::int64_t now = clock_();
  writer_.run([&](storage::Database& db) {
    const auto row = open_case(db, s, number);
    require_custodian(db, s, row);
    const auto r = find_request(db, row, id);
    require_not_asker(s, r);
    require_pending(r);
    const std::string why = checked_reason(reason);
    const auto sealed = seal_investigator_record(db, row, "identity_refusal:", why, now);
    storage::two_person_store::refuse_identity_request(db, r.id, s.user_id, now, sealed.envelope_id);
    add_sealed_event(db, row, {now, "identity_refused", std::nullopt, s.user_id, std::nullopt, false},
                     r.requested_by_username);
    append_audit(audit_, db, row, {now, s.user_id, "identity.refuse", row.id, ""},
                 ids(r.id, r.requested_by) + " reason=" + why);
  });
}

void TriageService::confirm_outcome(const Session& s, const std::string& number) {
  require_active(s);
  const std::int64_t now = clock_();
  writer_.run([&](storage::Database& db) {
    const auto row = open_case(db, s, number);
    const auto p = storage::two_person_store::pending_outcome(db, row.id, s.key_id);
    if (!p) throw CaseError(ErrorCode::invalid_transition, "no outcome awaits confirmation");
    if (p->proposed_by == s.user_id) {
      throw CaseError(ErrorCode::forbidden, "a second recipient must confirm, not the one who proposed it");
    }
    if (!transition_allowed(row.status, p->status)) {
      throw CaseError(ErrorCode::invalid_transition, "a case cannot go from " + row.status + " to " + p->status);
    }
    const auto message = open_detail(p->sealed_message, row, s.key);
    if (!message) throw CaseError(ErrorCode::forbidden, "you hold no key to the proposed message yet");
    storage::two_person_store::drop_pending_outcome(db, row.id);
    storage::triage_store::set_status(db, row.id, p->status, now);
    storage::triage_store::add_event(db, row.id, {now, "status", p->status, s.user_id, std::nullopt, true});
    seal_post(db, audit_, s, row, *message, true, now);
    append_audit(audit_, db, row, {now, s.user_id, "case.outcome_confirm", row.id, ""},
                 "status=" + p->status + " proposed_by=" + std::to_string(p->proposed_by));
  });
}

void TriageService::decline_outcome(const Session& s, const std::string& number, const std::string& reason) {
  require_active(s);
  const std::int64_t now = clock_();
  writer_.run([&](storage::Database& db) {
    const auto row = open_case(db, s, number);
    const auto p = storage::two_person_store::pending_outcome(db, row.id);
    if (!p) throw CaseError(ErrorCode::invalid_transition, "no outcome awaits confirmation");
    // The proposer may withdraw without a reason; anyone else says why.
    const bool withdraw = p->proposed_by == s.user_id;
    const std::string why = withdraw && reason.empty() ? reason : checked_reason(reason);
    storage::two_person_store::drop_pending_outcome(db, row.id);
    add_sealed_event(db, row,
                     {now, withdraw ? "outcome_withdrawn" : "outcome_declined", std::nullopt, s.user_id,
                      std::nullopt, false},
                     p->status);
    std::string detail = "status=" + p->status + " proposed_by=" + std::to_string(p->proposed_by);
    if (!why.empty()) detail += " reason=" + why;
    append_audit(audit_, db, row,
                 {now, s.user_id, withdraw ? "case.outcome_withdraw" : "case.outcome_decline", row.id, ""},
                 detail);
  });
}

}  // namespace krasip::cases
