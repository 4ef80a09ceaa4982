#include "krasip/cases/triage/triage_service.hpp"

#include "krasip/cases/agencies/agency_policy.hpp"

#include <boost/json.hpp>
#include <algorithm>
#include <map>

#include "krasip/cases/common/case_crypto.hpp"
#include "krasip/cases/common/case_error.hpp"
#include "krasip/cases/common/thai_time.hpp"
#include "krasip/cases/common/case_records.hpp"
#include "triage_rules.hpp"
#include "krasip/cases/agencies/catalog.hpp"
#include "krasip/cases/intake/complaint_input.hpp"
#include "krasip/cases/common/text_rules.hpp"
#include "krasip/cases/reporter/escalation_decisions.hpp"
#include "krasip/cases/reporter/escalation_service.hpp"
#include "krasip/cases/reporter/followup_service.hpp"
#include "krasip/crypto/encoding.hpp"
#include "krasip/storage/case_escalation.hpp"
#include "krasip/storage/case_followups.hpp"
#include "krasip/storage/case_store.hpp"
#include "krasip/storage/channel_store.hpp"
#include "krasip/storage/database.hpp"
#include "krasip/storage/flood_batch_store.hpp"
#include "krasip/storage/key_store.hpp"
#include "krasip/storage/transaction.hpp"
#include "krasip/storage/user_store.hpp"

namespace krasip::cases {

namespace json = boost::json;

// Shared with two_person.cpp (declared in triage_rules.hpp).
namespace triage_rules {

constexpr std::size_t kReasonMin = 10;
constexpr std::size_t kReasonMax = 500;
constexpr std::size_t kNoteMax = 5000;
constexpr const char* kNoSuchCase = "no such case";

bool transition_allowed(const std::string& from, const std::string& to) {
  static const std::map<std::string, std::vector<std::string>> allowed = {
      {"received", {"acknowledged", "rejected", "referred"}},
      {"acknowledged", {"investigating", "rejected", "referred"}},
      {"investigating", {"substantiated", "unsubstantiated", "referred", "rejected"}},
      {"substantiated", {"closed"}},
      {"unsubstantiated", {"closed"}},
      {"referred", {"closed"}},
      {"rejected", {"closed"}},
      {"closed", {}},
  };
  const auto it = allowed.find(from);
  if (it == allowed.end()) return false;
  for (const auto& s : it->second) {
    if (s == to) return true;
  }
  return false;
}

std::string username_of(storage::Database& db, std::optional<std::int64_t> id) {
  if (!id) return {};
  const auto u = storage::user_store::find_by_id(db, *id);
  return u ? u->username : std::string();
}

std::string random_field(const char* prefix) {
  return std::string(prefix) + crypto::to_hex(crypto::random_bytes(16));
}

// An event whose detail (a person, a category...) is sealed to the case's
// investigator-side readers; only kind, status, actor and time stay clear.
void add_sealed_event(storage::Database& db, const storage::CaseRow& c, storage::CaseEventRow e,
                      const std::string& detail) {
  e.detail_envelope_id = seal_investigator_record(db, c, "event:", detail, e.at).envelope_id;
  storage::triage_store::add_event(db, c.id, e);
}

// An audit entry about a case: actor, action, case and time in clear for
// the chain; whatever it says beyond that sealed like any case record.
void append_audit(const AuditLog& audit, storage::Database& db, const storage::CaseRow& c,
                  AuditEvent e, const std::string& detail) {
  if (!detail.empty()) {
    auto sealed = seal_investigator_record(db, c, "audit:", detail, e.at);
    e.detail_envelope_id = sealed.envelope_id;
    e.detail_nonce = std::move(sealed.nonce);
    e.detail_ciphertext = std::move(sealed.ciphertext);
  }
  audit.append(db, e);
}

// Who governs a case. Today: the account's own roles, read afresh (a role
// taken away after login no longer counts). With channels, this is the one
// place that asks "custodian or administrator *of the case's channel*".
// Roles count in the case's channel only: a custodian of another channel,
// or an administrator who does not receive this one, governs nothing here.
std::optional<storage::UserRow> case_account(storage::Database& db, const storage::CaseRow& c,
                                             const std::string& username) {
  auto u = storage::user_store::find_by_username(db, username);
  if (!u || u->agency_id == c.agency_id) return u;
  const auto up = storage::key_store::ancestors(db, c.agency_id);
  if (std::find(up.begin(), up.end(), u->agency_id) != up.end()) return u;
  return std::nullopt;
}

CaseRoles roles_in_case(storage::Database& db, std::int64_t user_id, const storage::CaseRow& c) {
  const auto u = storage::user_store::find_by_id(db, user_id);
  if (!u || u->disabled_at) return {};
  const bool custodian =
      u->is_custodian && storage::channel_store::is_case_member(db, c.id, user_id, "custodian");
  const bool admin = u->is_admin && storage::channel_store::is_case_member(db, c.id, user_id, "recipient");
  return {custodian, admin};
}

// May exclude someone else from the case.
bool may_govern(storage::Database& db, const Session& s, const storage::CaseRow& c) {
  const auto r = roles_in_case(db, s.user_id, c);
  return r.custodian || r.admin;
}

// May approve a pending exclusion and lift an exclusion.
bool is_case_custodian(storage::Database& db, std::int64_t user_id, const storage::CaseRow& c) {
  return roles_in_case(db, user_id, c).custodian;
}

// The recovery key stays the last resort, never the only way in: no
// exclusion may take away the last custodian who can open the case.
void refuse_if_last_custodian(storage::Database& db, const storage::CaseRow& c, std::int64_t user_id) {
  const auto custodians = storage::triage_store::custodians_who_can_open(db, c.id);
  if (custodians.size() == 1 && custodians.front() == user_id) {
    throw CaseError(ErrorCode::forbidden,
                    "this would leave the case with no identity custodian who can open it;"
                    " grant it to another custodian first",
                    "username");
  }
}

std::string checked_reason(const std::string& reason) {
  const std::string why = checked_text(reason, "reason", kReasonMax, false);
  if (*utf8_length(why) < kReasonMin) {
    throw CaseError(ErrorCode::invalid_field, "give a reason of at least 10 characters", "reason");
  }
  return why;
}

bool ends_without_finding(storage::Database& db, const storage::CaseRow& row, const std::string& to) {
  if (to == "rejected" || to == "unsubstantiated" || to == "referred") return true;
  if (to != "closed") return false;
  if (row.status == "substantiated") return false;
  return !(row.status == "referred" && storage::triage_store::has_referral(db, row.id));
}

// A note (investigators only) or a message (the reporter too), sealed to
// the case's readers, in the caller's transaction.
void seal_post(storage::Database& db, const AuditLog& audit, const Session& s, const storage::CaseRow& row,
               const std::string& text, bool to_reporter, std::int64_t now) {
  std::vector<crypto::Reader> readers;
  for (const auto& r : storage::case_store::complaint_readers(db, row.id)) {
    if (r.kind == "reporter" && !to_reporter) continue;
    if (r.user_id && storage::triage_store::is_excluded(db, row.id, *r.user_id)) continue;
    readers.push_back({r.id, r.public_key});
  }
  const std::string field = random_field(to_reporter ? "message:" : "note:");
  auto env = seal_case_record(row.uid, field, text, readers);
  if (to_reporter) {
    storage::case_store::insert_message(db, {row.id, now, "investigator", s.user_id, std::move(env)});
    storage::triage_store::mark_first_reply(db, row.id, now);
    storage::triage_store::add_event(db, row.id, {now, "message", std::nullopt, s.user_id, std::nullopt, true});
    audit.append(db, {now, s.user_id, "message.add", row.id, ""});
  } else {
    const auto envelope_id = storage::case_store::insert_envelope(db, row.id, env, now, row.reporter_key_id);
    storage::triage_store::add_note(db, row.id, s.user_id, envelope_id, now);
    audit.append(db, {now, s.user_id, "note.add", row.id, ""});
  }
}

}  // namespace triage_rules

using namespace triage_rules;

void TriageService::require_active(const Session& s) {
  auto db = pool_.acquire();
  const auto u = storage::user_store::find_by_id(*db, s.user_id);
  if (!u || u->disabled_at || u->key_id != s.key_id) {
    throw CaseError(ErrorCode::unauthenticated, "the session has ended; please log in again");
  }
}

storage::CaseRow TriageService::open_case(storage::Database& db, const Session& s,
                                          const std::string& number) {
  // One answer, byte for byte, whether the case does not exist, is sealed
  // to others only, is in a channel the caller does not receive, or names
  // the caller: otherwise walking the sequential case numbers would list
  // every case a person is excluded from or kept out of.
  const auto row = storage::case_store::find_by_number(db, number);
  if (!row || !storage::triage_store::may_read(db, row->id, s.user_id, s.key_id, s.agency_id)) {
    throw CaseError(ErrorCode::not_found, kNoSuchCase);
  }
  return *row;
}

CaseSummary TriageService::summarise(storage::Database& db, storage::CaseRow row, std::int64_t now) {
  CaseSummary s;
  // The case's own agency's service standards (issue 11); a page lists one
  // agency's cases, or a few, so the rows read are few.
  const auto a = storage::key_store::load_agency(db, row.agency_id);
  s.deadlines = deadlines_for(row, a ? deadlines_of(*a, deadlines_) : deadlines_, now);
  if (row.assignee_id) s.assignee = username_of(db, row.assignee_id);
  s.row = std::move(row);
  return s;
}

namespace {
// Flood batches a reader sees at the top of the first page, the newest
// (a batch per agency and day: a month of one agency's daily floods).
constexpr std::int64_t kBatchesShown = 30;

std::optional<storage::Blob> batch_uid(const std::string& hex) {
  if (hex.size() != 32) return std::nullopt;
  storage::Blob out;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const auto nibble = [](char ch) -> int {
      if (ch >= '0' && ch <= '9') return ch - '0';
      if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
      return -1;
    };
    const int hi = nibble(hex[i]);
    const int lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<std::uint8_t>(hi * 16 + lo));
  }
  return out;
}
}  // namespace

CaseListPage TriageService::list(const Session& s, const CaseListQuery& q) {
  require_active(s);
  const std::int64_t now = clock_();
  CaseListPage page;
  page.page = std::max(1, q.page);
  page.per_page = std::clamp(q.per_page, 1, 100);
  storage::CaseFilter f;
  f.status = q.status;
  f.category = q.category;
  f.overdue_only = q.overdue;
  // As deadlines_for, by each case's agency's own days.
  f.overdue_at = now;
  f.default_ack_days = deadlines_.acknowledge_days;
  f.default_reply_days = deadlines_.reply_days;
  f.default_outcome_days = deadlines_.outcome_days;
  auto db = pool_.acquire();
  const storage::ReadSnapshot snapshot(*db);  // one consistent page
  if (q.assignee) {
    const auto u = storage::user_store::find_by_username(*db, *q.assignee);
    f.assignee_id = u ? u->id : -1;  // an unknown name matches nothing
  }
  std::int64_t offset = static_cast<std::int64_t>(page.page - 1) * page.per_page;
  if (q.after) {
    const auto from = storage::case_store::find_by_number(*db, *q.after);
    // A case the caller may not read is "no such case" here too: paging
    // must not confirm a number open_case would deny.
    if (!from || !storage::triage_store::may_read(*db, from->id, s.user_id, s.key_id, s.agency_id)) {
      throw CaseError(ErrorCode::invalid_field, "after: no such case", "after");
    }
    f.before_received_at = from->received_at;
    f.before_id = from->id;
    offset = 0;
  }
  if (q.batch) {
    const auto uid = batch_uid(*q.batch);
    const auto id = uid ? storage::flood_batch_store::find_by_uid(*db, *uid) : std::nullopt;
    if (!id) throw CaseError(ErrorCode::invalid_field, "batch: no such batch", "batch");
    f.flood_batch_id = id;
  } else {
    f.without_batched = true;
  }
  const auto agencies = storage::triage_store::listed_agencies(*db, s.user_id, s.agency_id);
  if (!q.batch && !q.after && page.page == 1) {
    for (auto& b : storage::triage_store::batch_summaries(*db, f, agencies, s.key_id, s.user_id, kBatchesShown)) {
      page.batches.push_back({crypto::to_hex(b.uid), b.day, b.cases, b.open, b.overdue});
    }
  }
  auto rows = storage::triage_store::list_cases(*db, f, agencies, s.key_id, s.user_id,
                                                page.per_page + 1, offset);
  page.has_more = rows.size() > static_cast<std::size_t>(page.per_page);
  if (page.has_more) rows.pop_back();
  for (auto& r : rows) page.items.push_back(summarise(*db, std::move(r), now));
  return page;
}

CaseDetail TriageService::view(const Session& s, const std::string& number) {
  require_active(s);
  const std::int64_t now = clock_();
  CaseDetail d;
  {
    auto db = pool_.acquire();
    const storage::ReadSnapshot snapshot(*db);  // the case as of one moment
    auto row = open_case(*db, s, number);
    const auto complaint = storage::case_store::envelope_for(*db, row.id, "complaint", s.key_id);
    if (!complaint) throw CaseError(ErrorCode::not_found, kNoSuchCase);
    d.complaint = complaint_from_payload(open_case_record(*complaint, row.uid, s.key));
    for (const auto& m : storage::case_store::messages_for(*db, row.id, s.key_id)) {
      d.messages.push_back({m.at, m.author, open_case_record(m.envelope, row.uid, s.key)});
    }
    for (const auto& n : storage::triage_store::notes_for(*db, row.id, s.key_id)) {
      d.notes.push_back({n.at, username_of(*db, n.author_user_id),
                         open_case_record(n.envelope, row.uid, s.key)});
    }
    for (const auto& e : storage::triage_store::events(*db, row.id, s.key_id)) {
      auto detail = e.detail_envelope_id ? open_detail(e.sealed_detail, row, s.key) : e.detail;
      if ((e.kind == "escalated" || e.kind == "escalation_requested") && detail) {
        try {
          detail = describe_escalation(*db, row.agency_id, *detail);
        } catch (const std::exception&) {
          // Not the shape an escalation writes: shown as it is.
        }
      }
      d.history.push_back({e.at, e.kind, e.status,
                           e.actor_user_id ? std::optional(username_of(*db, e.actor_user_id)) : std::nullopt,
                           std::move(detail), e.visible_to_reporter});
    }
    d.exclusions = storage::triage_store::exclusions(*db, row.id, s.key_id);
    for (auto& x : d.exclusions) {
      if (auto reason = open_detail(x.sealed_reason, row, s.key)) x.reason = std::move(*reason);
      x.sealed_reason.reset();
    }
    d.exclusion_requests = storage::triage_store::exclusion_requests(*db, row.id, s.key_id);
    for (auto& x : d.exclusion_requests) {
      if (auto reason = open_detail(x.sealed_reason, row, s.key)) x.reason = std::move(*reason);
      x.sealed_reason.reset();
    }
    d.can_exclude_others = may_govern(*db, s, row);
    d.can_approve_and_lift = is_case_custodian(*db, s.user_id, row);
    d.attachments = read_attachments(*db, row, s.key_id, s.key);
    const auto channel = row.channel_id ? storage::channel_store::find_by_id(*db, *row.channel_id) : std::nullopt;
    d.identity_two_person = channel && channel->identity_two_person;
    d.outcome_needs_confirmation = channel && channel->outcome_needs_confirmation;
    const bool holds_identity =
        row.has_identity && storage::case_store::envelope_for(*db, row.id, "identity", s.key_id).has_value();
    d.identity_requests = storage::two_person_store::identity_requests(*db, row.id, s.key_id);
    bool open_request = false;
    bool approved_for_me = false;
    bool referral_pending = false;
    for (auto& r : d.identity_requests) {
      if (auto why = open_detail(r.sealed_reason, row, s.key)) r.reason = std::move(*why);
      if (auto no = open_detail(r.sealed_refusal, row, s.key)) r.refusal = std::move(*no);
      r.sealed_reason.reset();
      r.sealed_refusal.reset();
      r.sealed_key.clear();
      if (r.requested_by == s.user_id && (r.state == "pending" || r.state == "approved")) open_request = true;
      if (r.requested_by == s.user_id && r.state == "approved" && r.key_id == s.key_id &&
          r.purpose == "reveal") {
        approved_for_me = true;
      }
      if (r.purpose == "referral" && r.state == "pending") referral_pending = true;
      if (r.requested_by == s.user_id && r.state == "approved" && r.key_id == s.key_id &&
          r.purpose == "referral") {
        d.referral_identity_approved = true;
      }
    }
    // In a two-person channel no one reads the identity alone, custodians
    // included: they too ask, and another custodian approves.
    d.can_reveal_identity =
        approved_for_me || (!d.identity_two_person && s.is_custodian && holds_identity);
    d.can_request_identity = d.identity_two_person && row.has_identity && !open_request;
    d.can_decide_identity_requests =
        (d.identity_two_person || referral_pending) && d.can_approve_and_lift && holds_identity;
    d.can_request_referral_identity = row.has_identity && !open_request;
    d.source = row.source;
    if (auto reg = storage::case_store::envelope_for(*db, row.id, "registry_number", s.key_id)) {
      d.registry_number = open_case_record(*reg, row.uid, s.key);
    }
    d.referral = latest_referral(*db, row, s.key_id, s.key);
    d.pending_outcome = storage::two_person_store::pending_outcome(*db, row.id, s.key_id);
    if (d.pending_outcome) {
      if (auto m = open_detail(d.pending_outcome->sealed_message, row, s.key)) {
        d.pending_outcome->message = std::move(*m);
      }
      d.pending_outcome->sealed_message.reset();
    }
    d.escalation_requests = escalation_requests(*db, row, s.key_id, s.key, now);
    if (!d.escalation_requests.empty() && d.escalation_requests.back().state == "pending") {
      d.can_decline_escalation = true;  // open_case: a recipient who reads it
      d.can_confirm_escalation = may_confirm_escalation(*db, s, row);
    }
    d.summary = summarise(*db, std::move(row), now);
    const auto agency = storage::key_store::load_agency(*db, d.summary.row.agency_id);
    d.categories = categories_of(agency ? agency->categories : std::nullopt);
  }
  const std::int64_t case_id = d.summary.row.id;
  writer_.run([&](storage::Database& db) {
    audit_.append(db, {now, s.user_id, "case.view", case_id, ""});
  });
  return d;
}

UpdateOutcome TriageService::update(const Session& s, const std::string& number, const CaseChanges& c) {
  require_active(s);
  const std::int64_t now = clock_();
  if (c.status && find_status(*c.status) == nullptr) {
    throw CaseError(ErrorCode::invalid_field, "unknown status", "status");
  }
  if (c.category && find_category(*c.category) == nullptr) {
    throw CaseError(ErrorCode::unknown_category, "unknown category", "category");
  }
  if (c.priority && *c.priority != "low" && *c.priority != "normal" && *c.priority != "high" &&
      *c.priority != "urgent") {
    throw CaseError(ErrorCode::invalid_field, "priority is low, normal, high or urgent", "priority");
  }
  std::optional<std::string> outcome;
  if (c.outcome_message) {
    if (!c.status) {
      throw CaseError(ErrorCode::invalid_field, "outcome_message goes with a change of status",
                      "outcome_message");
    }
    outcome = checked_text(*c.outcome_message, "outcome_message", kNoteMax, true);
  }
  UpdateOutcome result = UpdateOutcome::done;
  writer_.run([&](storage::Database& db) {
    const auto row = open_case(db, s, number);
    if (outcome && *c.status == row.status) {
      throw CaseError(ErrorCode::invalid_field, "outcome_message goes with a change of status",
                      "outcome_message");
    }
    std::string detail;
    if (c.status && *c.status != row.status) {
      if (!transition_allowed(row.status, *c.status)) {
        throw CaseError(ErrorCode::invalid_transition,
                        "a case cannot go from " + row.status + " to " + *c.status, "status");
      }
      // A case is not ended without action in silence: the reporter is
      // told why, in the same step (issue 10: no one buries a case alone).
      const bool without_finding = ends_without_finding(db, row, *c.status);
      if (without_finding && !outcome) {
        throw CaseError(ErrorCode::missing_field,
                        "a case " + *c.status + " needs an outcome message telling the reporter why",
                        "outcome_message");
      }
      if (storage::two_person_store::pending_outcome(db, row.id)) {
        throw CaseError(ErrorCode::invalid_transition,
                        "an outcome awaits a second recipient's confirmation; confirm or decline it first",
                        "status");
      }
      const auto channel = row.channel_id ? storage::channel_store::find_by_id(db, *row.channel_id) : std::nullopt;
      if (without_finding && channel && channel->outcome_needs_confirmation) {
        // A second recipient confirms before the case ends without action;
        // meanwhile the message is a draft sealed to the investigators only.
        const auto draft = seal_investigator_record(db, row, "outcome:", *outcome, now);
        storage::two_person_store::set_pending_outcome(db, {row.id, *c.status, s.user_id, "", draft.envelope_id, now});
        add_sealed_event(db, row, {now, "outcome_proposed", std::nullopt, s.user_id, std::nullopt, false},
                         *c.status);
        detail += " outcome_proposed=" + *c.status;
        result = UpdateOutcome::pending;
      } else {
        storage::triage_store::set_status(db, row.id, *c.status, now);
        storage::triage_store::add_event(db, row.id, {now, "status", *c.status, s.user_id, std::nullopt, true});
        detail += " status=" + *c.status;
        if (outcome) {
          seal_post(db, audit_, s, row, *outcome, true, now);
          detail += " outcome_message";
        }
      }
    }
    if (c.category && *c.category != row.category) {
      // Only to a category the case's own agency takes (issue 11): what it
      // publishes is counted by its own list.
      const auto agency = storage::key_store::load_agency(db, row.agency_id);
      if (agency && !offers_category(agency->categories, *c.category)) {
        throw CaseError(ErrorCode::unknown_category, "the case's agency takes no complaints of that category",
                        "category");
      }
      storage::triage_store::set_category(db, row.id, *c.category, now);
      add_sealed_event(db, row, {now, "category", std::nullopt, s.user_id, std::nullopt, false}, *c.category);
      detail += " category=" + *c.category;
    }
    if (c.priority && *c.priority != row.priority) {
      storage::triage_store::set_priority(db, row.id, *c.priority, now);
      add_sealed_event(db, row, {now, "priority", std::nullopt, s.user_id, std::nullopt, false}, *c.priority);
      detail += " priority=" + *c.priority;
    }
    if (c.assignee) {
      std::optional<std::int64_t> assignee_id;
      if (*c.assignee) {
        const auto u = case_account(db, row, **c.assignee);
        if (!u || u->disabled_at) throw CaseError(ErrorCode::invalid_field, "no such investigator", "assignee");
        if (storage::triage_store::is_excluded(db, row.id, u->id)) {
          throw CaseError(ErrorCode::forbidden, "that investigator is excluded from this case", "assignee");
        }
        if (!storage::triage_store::can_open(db, row.id, u->key_id)) {
          throw CaseError(ErrorCode::invalid_field,
                          "that investigator holds no key to this case; grant access first", "assignee");
        }
        assignee_id = u->id;
      }
      if (assignee_id != row.assignee_id) {
        storage::triage_store::set_assignee(db, row.id, assignee_id, now);
        const std::string who = *c.assignee ? **c.assignee : std::string("-");
        add_sealed_event(db, row, {now, "assignee", std::nullopt, s.user_id, std::nullopt, false}, who);
        detail += " assignee=" + who;
      }
    }
    if (c.subject_username) {
      const auto u = case_account(db, row, *c.subject_username);
      if (!u) throw CaseError(ErrorCode::invalid_field, "no such account", "subject_user");
      // The same rules as POST .../exclusions, with the reason implied.
      exclude_in(db, s, row, *u, u->id == s.user_id ? std::string() : std::string("named in the complaint"),
                 now);
      detail += " subject_user=" + u->username;
    }
    append_audit(audit_, db, row, {now, s.user_id, "case.update", row.id, ""},
                 detail.empty() ? "" : detail.substr(1));
  });
  return result;
}

void TriageService::post_sealed(const Session& s, const std::string& number, const std::string& body,
                                bool to_reporter) {
  require_active(s);
  const std::int64_t now = clock_();
  const std::string text = checked_text(body, "body", kNoteMax, true);
  writer_.run([&](storage::Database& db) {
    const auto row = open_case(db, s, number);
    seal_post(db, audit_, s, row, text, to_reporter, now);
  });
}

void TriageService::add_note(const Session& s, const std::string& number, const std::string& body) {
  post_sealed(s, number, body, false);
}

void TriageService::reply(const Session& s, const std::string& number, const std::string& body) {
  post_sealed(s, number, body, true);
}

ExclusionOutcome TriageService::exclude_in(storage::Database& db, const Session& s, const storage::CaseRow& row,
                                            const storage::UserRow& u, const std::string& reason,
                                            std::int64_t now) {
  const std::string uid = "user_id=" + std::to_string(u.id);
  if (u.id == s.user_id) {
    // Recusal: always one's own right; a reason only if one is given.
    const std::string why = reason.empty() ? reason : checked_text(reason, "reason", kReasonMax, false);
    refuse_if_last_custodian(db, row, u.id);
    std::optional<std::int64_t> sealed_reason;
    if (!why.empty()) sealed_reason = seal_investigator_record(db, row, "exclusion:", why, now).envelope_id;
    storage::triage_store::exclude(db, row.id, u.id, u.key_id, sealed_reason, s.user_id, now);
    add_sealed_event(db, row, {now, "recusal", std::nullopt, s.user_id, std::nullopt, false}, u.username);
    append_audit(audit_, db, row, {now, s.user_id, "case.recuse", row.id, ""},
                 why.empty() ? uid : uid + " reason=" + why);
    return ExclusionOutcome::excluded;
  }
  if (!may_govern(db, s, row)) {
    throw CaseError(ErrorCode::forbidden,
                    "only an identity custodian or an administrator may exclude someone else;"
                    " you may recuse yourself",
                    "username");
  }
  const std::string why = checked_reason(reason);
  if (storage::triage_store::is_excluded(db, row.id, u.id)) return ExclusionOutcome::excluded;
  if (storage::triage_store::find_exclusion_request(db, row.id, u.id)) return ExclusionOutcome::pending;
  refuse_if_last_custodian(db, row, u.id);
  const auto target = roles_in_case(db, u.id, row);
  // Sealed while the excluded account still holds its key; exclude()
  // then removes its keys from every envelope of the case, these included.
  const auto sealed_reason = seal_investigator_record(db, row, "exclusion:", why, now).envelope_id;
  if (target.custodian || target.admin) {
    // One person cannot cut off those who guard the case: a second
    // custodian approves, and until then nothing changes.
    storage::triage_store::add_exclusion_request(db, row.id, u.id, s.user_id, sealed_reason, now);
    add_sealed_event(db, row, {now, "exclusion_requested", std::nullopt, s.user_id, std::nullopt, false},
                     u.username);
    append_audit(audit_, db, row, {now, s.user_id, "case.exclude_request", row.id, ""},
                 uid + " reason=" + why);
    return ExclusionOutcome::pending;
  }
  storage::triage_store::exclude(db, row.id, u.id, u.key_id, sealed_reason, s.user_id, now);
  add_sealed_event(db, row, {now, "exclusion", std::nullopt, s.user_id, std::nullopt, false}, u.username);
  append_audit(audit_, db, row, {now, s.user_id, "case.exclude", row.id, ""}, uid + " reason=" + why);
  return ExclusionOutcome::excluded;
}

ExclusionOutcome TriageService::exclude(const Session& s, const std::string& number, const std::string& username,
                                        const std::string& reason) {
  require_active(s);
  const std::int64_t now = clock_();
  ExclusionOutcome out = ExclusionOutcome::excluded;
  writer_.run([&](storage::Database& db) {
    const auto row = open_case(db, s, number);
    const auto u = case_account(db, row, username);
    if (!u) throw CaseError(ErrorCode::invalid_field, "no such account", "username");
    out = exclude_in(db, s, row, *u, reason, now);
  });
  return out;
}

void TriageService::approve_exclusion(const Session& s, const std::string& number, const std::string& username) {
  require_active(s);
  const std::int64_t now = clock_();
  writer_.run([&](storage::Database& db) {
    const auto row = open_case(db, s, number);
    if (!is_case_custodian(db, s.user_id, row)) {
      throw CaseError(ErrorCode::forbidden, "only an identity custodian may approve an exclusion");
    }
    const auto u = case_account(db, row, username);
    if (!u) throw CaseError(ErrorCode::invalid_field, "no such account", "username");
    const auto request = storage::triage_store::find_exclusion_request(db, row.id, u->id);
    if (!request) {
      throw CaseError(ErrorCode::invalid_transition, "no exclusion of that person awaits approval", "username");
    }
    if (request->requested_by == s.user_id) {
      throw CaseError(ErrorCode::forbidden, "a second custodian must approve, not the one who asked");
    }
    if (u->id == s.user_id) {
      throw CaseError(ErrorCode::forbidden, "no one approves their own exclusion; you may recuse yourself");
    }
    refuse_if_last_custodian(db, row, u->id);
    storage::triage_store::exclude(db, row.id, u->id, u->key_id, request->reason_envelope_id,
                                   request->requested_by, now, s.user_id);
    add_sealed_event(db, row, {now, "exclusion", std::nullopt, s.user_id, std::nullopt, false}, u->username);
    append_audit(audit_, db, row, {now, s.user_id, "case.exclude_approve", row.id, ""},
                 "user_id=" + std::to_string(u->id) + " requested_by=" + std::to_string(request->requested_by));
  });
}

GrantResult TriageService::lift_exclusion(const Session& s, const std::string& number, const std::string& username,
                                          const std::string& reason) {
  require_active(s);
  const std::int64_t now = clock_();
  GrantResult r;
  writer_.run([&](storage::Database& db) {
    const auto row = open_case(db, s, number);
    if (!is_case_custodian(db, s.user_id, row)) {
      throw CaseError(ErrorCode::forbidden, "only an identity custodian may lift an exclusion");
    }
    const std::string why = checked_reason(reason);
    const auto u = case_account(db, row, username);
    if (!u) throw CaseError(ErrorCode::invalid_field, "no such account", "username");
    if (!storage::triage_store::lift_exclusion(db, row.id, u->id)) {
      throw CaseError(ErrorCode::invalid_transition, "that person is not excluded from this case", "username");
    }
    // The person's keys were deleted at exclusion: the lifting custodian
    // re-seals what they hold (identity keys only to a custodian).
    if (!u->disabled_at) {
      r.keys = grant_case(db, s.key, s.key_id, row.id, *u);
      r.cases = r.keys > 0 ? 1 : 0;
    }
    add_sealed_event(db, row, {now, "exclusion_lifted", std::nullopt, s.user_id, std::nullopt, false},
                     u->username);
    append_audit(audit_, db, row, {now, s.user_id, "case.exclusion_lift", row.id, ""},
                 "user_id=" + std::to_string(u->id) + " keys=" + std::to_string(r.keys) + " reason=" + why);
  });
  return r;
}

json::object TriageService::reveal_identity(const Session& s, const std::string& number,
                                            const std::string& reason) {
  require_active(s);
  const std::int64_t now = clock_();
  // An approved identity request opens the identity once, for whoever asked
  // (custodian or not). It exists only for a case the asker can read; an
  // exclusion or leaving the channel revokes it.
  const std::string given = reason.empty() ? reason : checked_text(reason, "reason", kReasonMax, false);
  json::object identity;
  bool approved = false;
  writer_.run([&](storage::Database& db) {
    const auto row = storage::case_store::find_by_number(db, number);
    if (!row || !storage::triage_store::may_read(db, row->id, s.user_id, s.key_id, s.agency_id)) return;
    const auto request = storage::two_person_store::open_request_of(db, row->id, s.user_id);
    // An approval for a referral goes into the package only.
    if (!request || request->purpose != "reveal" || request->state != "approved" ||
        request->key_id != s.key_id) {
      return;
    }
    auto env = storage::two_person_store::identity_envelope(db, row->id);
    if (!env) return;
    env->sealed_key = request->sealed_key;
    identity = json::parse(open_case_record(*env, row->uid, s.key)).as_object();
    storage::two_person_store::mark_viewed(db, request->id, now);
    append_audit(audit_, db, *row, {now, s.user_id, "identity.reveal", row->id, ""},
                 "request=" + std::to_string(request->id) +
                     " approved_by=" + std::to_string(request->decided_by.value_or(0)) +
                     (given.empty() ? "" : " reason=" + given));
    approved = true;
  });
  if (approved) return identity;
  if (!s.is_custodian) {
    // Refused attempts are audited too: custodianship is what protects reporters.
    writer_.run([&](storage::Database& db) {
      const auto row = storage::case_store::find_by_number(db, number);
      audit_.append(db, {now, s.user_id, "identity.refused", row ? std::optional(row->id) : std::nullopt, ""});
    });
    throw CaseError(ErrorCode::forbidden, "only designated identity custodians may see who reported");
  }
  const std::string why = checked_text(reason, "reason", kReasonMax, false);
  if (*utf8_length(why) < kReasonMin) {
    throw CaseError(ErrorCode::invalid_field, "give a reason of at least 10 characters", "reason");
  }
  bool needs_second = false;
  writer_.run([&](storage::Database& db) {
    const auto row = open_case(db, s, number);
    if (!row.has_identity) throw CaseError(ErrorCode::not_found, "the reporter chose to stay anonymous");
    const auto channel = row.channel_id ? storage::channel_store::find_by_id(db, *row.channel_id) : std::nullopt;
    if (channel && channel->identity_two_person) {
      // Refused, and audited like any refused reveal (committed, not thrown here).
      append_audit(audit_, db, row, {now, s.user_id, "identity.refused", row.id, ""},
                   "two_person reason=" + why);
      needs_second = true;
      return;
    }
    const auto env = storage::case_store::envelope_for(db, row.id, "identity", s.key_id);
    if (!env) throw CaseError(ErrorCode::forbidden, "you hold no key to this identity yet");
    identity = json::parse(open_case_record(*env, row.uid, s.key)).as_object();
    append_audit(audit_, db, row, {now, s.user_id, "identity.reveal", row.id, ""}, "reason=" + why);
  });
  if (needs_second) {
    throw CaseError(ErrorCode::forbidden,
                    "in this channel the identity is seen only with a second custodian's approval;"
                    " ask for it (POST .../identity-requests)");
  }
  return identity;
}

AttachmentDownload TriageService::download(const Session& s, const std::string& number,
                                           const std::string& attachment_id) {
  require_active(s);
  const std::int64_t now = clock_();
  storage::CaseRow row;
  auto dl = [&] {
    auto db = pool_.acquire();
    row = open_case(*db, s, number);
    return AttachmentDownload::open(*db, attachments_dir_, row, attachment_id, s.key_id, s.key);
  }();
  writer_.run([&](storage::Database& db) {
    append_audit(audit_, db, row, {now, s.user_id, "attachment.download", row.id, ""},
                 "attachment=" + attachment_id);
  });
  return dl;
}

std::unique_ptr<AttachmentUpload> TriageService::begin_file_to_reporter(const Session& s,
                                                                      const std::string& number,
                                                                      FollowUpService& followups) {
  require_active(s);
  storage::CaseRow row;
  {
    auto db = pool_.acquire();
    row = open_case(*db, s, number);
  }
  auto upload = followups.begin_investigator_upload(row, s.user_id);
  const std::int64_t user = s.user_id;
  upload->after_insert([this, row, user](storage::Database& db, const storage::NewAttachment& a) {
    append_audit(audit_, db, row, {a.at, user, "attachment.send", row.id, ""},
                 "attachment=" + crypto::to_hex(a.uid) + " to=reporter");
  });
  return upload;
}

std::int64_t grant_case(storage::Database& db, const crypto::KeyPair& from, std::int64_t from_key_id,
                        std::int64_t case_id, const storage::UserRow& to) {
  std::int64_t keys = 0;
  // Keys go only to the case's channel: its recipients, and the identity
  // only to its custodians (issue 10).
  if (!storage::channel_store::is_case_member(db, case_id, to.id, "recipient")) return 0;
  // Nor when the reporter, moving the case to this channel, kept it back.
  const bool identity = storage::channel_store::is_case_member(db, case_id, to.id, "custodian") &&
                        !storage::case_store::identity_withheld(db, case_id);
  for (const auto& env : storage::triage_store::envelopes_for(db, case_id, from_key_id)) {
    if (env.field == "identity" && !identity) continue;
    const auto key = crypto::open_data_key(env.sealed_key, from);
    storage::triage_store::add_sealed_key(db, env.id, to.key_id, crypto::seal_data_key(key, to.public_key));
    ++keys;
  }
  return keys;
}

GrantResult grant_cases(storage::Database& db, const crypto::KeyPair& from, std::int64_t from_key_id,
                        const storage::UserRow& to) {
  GrantResult r;
  for (const auto case_id : storage::triage_store::cases_to_grant(db, from_key_id, to.key_id, to.id)) {
    ++r.cases;
    r.keys += grant_case(db, from, from_key_id, case_id, to);
  }
  return r;
}

namespace {
// A colleague of the same agency only: another agency's account is "no
// such investigator", the same as a name never used.
storage::UserRow grantee(storage::Database& db, const Session& s, const std::string& username) {
  const auto to = storage::user_store::find_by_username(db, username);
  if (!to || to->disabled_at || to->agency_id != s.agency_id) {
    throw CaseError(ErrorCode::invalid_field, "no such investigator", "username");
  }
  return *to;
}

GrantableCase grantable_case(storage::Database& db, const Session& s, const storage::CaseRow& row,
                             const storage::UserRow& to) {
  GrantableCase g;
  g.case_number = row.case_number;
  g.received_at = row.received_at;
  std::int64_t began = to.key_created_at;
  std::optional<std::int64_t> proposed_by;
  if (row.channel_id) {
    if (const auto c = storage::channel_store::find_by_id(db, *row.channel_id)) g.channel = c->slug;
    for (const auto& m : storage::channel_store::members(db, *row.channel_id)) {
      if (m.user_id == to.id && m.role == "recipient") {
        began = std::max(began, m.since);
        proposed_by = m.proposed_by;
      }
    }
  }
  g.before_membership = row.received_at < bangkok_day_start(began);
  g.may_grant = !g.before_membership ||
                (is_case_custodian(db, s.user_id, row) && s.user_id != to.id && proposed_by != s.user_id);
  return g;
}
}  // namespace

std::vector<GrantableCase> TriageService::grantable(const Session& s, const std::string& username) {
  require_active(s);
  auto db = pool_.acquire();
  const storage::ReadSnapshot snapshot(*db);
  const auto to = grantee(*db, s, username);
  std::vector<GrantableCase> out;
  for (const auto case_id : storage::triage_store::cases_to_grant(*db, s.key_id, to.key_id, to.id)) {
    const auto row = storage::case_store::find_by_id(*db, case_id);
    if (!row || !storage::triage_store::may_read(*db, row->id, s.user_id, s.key_id, s.agency_id)) continue;
    out.push_back(grantable_case(*db, s, *row, to));
  }
  return out;
}

GrantResult TriageService::grant(const Session& s, const std::string& username,
                                 const std::vector<std::string>& case_numbers) {
  require_active(s);
  if (case_numbers.empty()) throw CaseError(ErrorCode::missing_field, "choose the cases to grant", "cases");
  if (case_numbers.size() > 500) throw CaseError(ErrorCode::invalid_field, "at most 500 cases at a time", "cases");
  const std::int64_t now = clock_();
  GrantResult r;
  writer_.run([&](storage::Database& db) {
    const auto to = grantee(db, s, username);
    for (const auto& number : case_numbers) {
      const auto row = open_case(db, s, number);
      if (!storage::channel_store::is_case_member(db, row.id, to.id, "recipient")) {
        throw CaseError(ErrorCode::invalid_field, username + " does not receive the channel of case " + number,
                        "cases");
      }
      if (storage::triage_store::is_excluded(db, row.id, to.id)) {
        throw CaseError(ErrorCode::forbidden, username + " is excluded from case " + number, "cases");
      }
      const auto g = grantable_case(db, s, row, to);
      if (!g.may_grant) {
        throw CaseError(ErrorCode::forbidden,
                        "case " + number + " was received before " + username +
                            " began reading its channel: a custodian of the channel who did not propose their"
                            " membership grants it",
                        "cases");
      }
      const auto keys = grant_case(db, s.key, s.key_id, row.id, to);
      if (keys == 0) continue;
      ++r.cases;
      r.keys += keys;
      append_audit(audit_, db, row, {now, s.user_id, "case.grant", row.id, ""},
                   "to_user_id=" + std::to_string(to.id) + " keys=" + std::to_string(keys) +
                       (g.before_membership ? " before_membership=1" : ""));
    }
  });
  return r;
}

std::vector<storage::AuditRow> TriageService::audit_entries(const Session& s,
                                                            const std::optional<std::string>& number,
                                                            int page, int per_page) {
  require_active(s);
  per_page = std::clamp(per_page, 1, 200);
  page = std::max(1, page);
  auto db = pool_.acquire();
  std::optional<std::int64_t> case_id;
  if (number) {
    case_id = open_case(*db, s, *number).id;
  } else if (!s.is_admin) {
    throw CaseError(ErrorCode::forbidden, "only administrators see the whole audit log");
  }
  // Administrators too see entries about a case only if they can open it:
  // an entry's case number and actions would otherwise tell an excluded
  // administrator what is done in the case that names them.
  auto rows = storage::audit_store::list(*db, {s.key_id, s.user_id, s.agency_id}, case_id, per_page,
                                         static_cast<std::int64_t>(page - 1) * per_page);
  std::map<std::int64_t, storage::CaseRow> cases;
  for (auto& r : rows) {
    // A case.purge entry names no case (so it stays listed) but its detail
    // is sealed as a record of the purged case: opened with that case's uid.
    const auto detail_case = r.case_id ? r.case_id : r.detail_case_id;
    if (!r.sealed_detail || !detail_case) continue;
    auto it = cases.find(*detail_case);
    if (it == cases.end()) {
      auto c = storage::case_store::find_by_id(*db, *detail_case);
      if (!c) continue;
      it = cases.emplace(*detail_case, std::move(*c)).first;
    }
    if (auto d = open_detail(r.sealed_detail, it->second, s.key)) r.detail = std::move(*d);
    r.sealed_detail.reset();
  }
  return rows;
}

}  // namespace krasip::cases
