#include "krasip/cases/governance/governance_service.hpp"

#include <algorithm>
#include <functional>
#include <boost/json.hpp>

#include "krasip/cases/alerts/mail_settings.hpp"
#include "krasip/cases/common/case_error.hpp"
#include "krasip/cases/common/thai_time.hpp"
#include "krasip/cases/governance/change_log.hpp"
#include "krasip/cases/governance/channel_delta.hpp"
#include "krasip/crypto/encoding.hpp"
#include "krasip/crypto/envelope.hpp"
#include "krasip/crypto/keyed_hash.hpp"
#include "krasip/storage/channel_store.hpp"
#include "krasip/storage/database.hpp"
#include "krasip/storage/key_store.hpp"
#include "krasip/storage/user_store.hpp"

namespace krasip::cases {

namespace json = boost::json;

namespace {

// Decided proposals stay listed this long.
constexpr std::int64_t kListedDays = 90;

bool contains(const std::vector<std::int64_t>& v, std::int64_t x) { return std::find(v.begin(), v.end(), x) != v.end(); }

bool setting_up(storage::Database& db, std::int64_t agency_id) {
  return !storage::channel_store::agency_has_cases(db, agency_id);
}

std::optional<storage::UserRow> row_of(storage::Database& db, const Actor& a) {
  if (!a.user_id) return std::nullopt;
  return storage::user_store::find_by_id(db, *a.user_id);
}

AgencyScope scope_of_agency(storage::Database& db, std::int64_t agency_id) {
  const auto a = storage::key_store::load_agency(db, agency_id);
  if (!a) throw CaseError(ErrorCode::not_found, "no such agency");
  return AgencyScope::of(*a);
}

// Who may ask for a change: an administrator of the agency or of one above
// it, or the host's operator. Anyone else is refused before anything is read.
std::optional<storage::UserRow> require_proposer(storage::Database& db, const Actor& actor, AgencyScope agency) {
  if (actor.is_operator()) return std::nullopt;
  const auto u = row_of(db, actor);
  if (!u || u->disabled_at || !u->is_admin) throw CaseError(ErrorCode::forbidden, "for administrators only");
  if (u->agency_id != agency.id() && !contains(storage::key_store::ancestors(db, agency.id()), u->agency_id)) {
    throw CaseError(ErrorCode::not_found, "no such agency");
  }
  return u;
}

json::object channel_ref(const storage::ChannelRow& c) {
  return {{"id", c.slug}, {"name_th", c.name_th}, {"name_en", c.name_en}};
}

std::string date_of(std::int64_t t) { return iso_date_bangkok(t); }

// The channels of the agency the account is a member of, and in which roles.
json::array reads_of(storage::Database& db, const storage::UserRow& u) {
  json::array roles;
  for (const auto& [channel_id, m] : storage::channel_store::all_members(db, u.agency_id)) {
    (void)channel_id;
    if (m.user_id != u.id) continue;
    if (std::find(roles.begin(), roles.end(), json::value(m.role)) == roles.end()) roles.push_back(json::string(m.role));
  }
  return roles;
}

std::vector<std::int64_t> member_channels(storage::Database& db, const storage::UserRow& u) {
  std::vector<std::int64_t> out;
  for (const auto& [channel_id, m] : storage::channel_store::all_members(db, u.agency_id)) {
    if (m.user_id == u.id && !contains(out, channel_id)) out.push_back(channel_id);
  }
  return out;
}

storage::UserRow account_in(storage::Database& db, AgencyScope agency, const std::string& username) {
  auto u = storage::user_store::find_by_username(db, username);
  if (!u || u->agency_id != agency.id()) throw CaseError(ErrorCode::not_found, "no such user", "username");
  return *u;
}

crypto::SecureBytes proposal_key(const ServerSecrets& secrets) {
  return crypto::derive_subkey(secrets.pepper, "krasip proposal secret v1");
}

json::object mail_json(const MailSettingsChange& c) {
  json::object o{{"smtp_url", c.smtp_url},
                 {"from", c.from},
                 {"user", c.username},
                 {"require_tls", c.require_tls},
                 {"clear_password", c.clear_password},
                 {"new_password", !c.password.empty()}};
  if (c.batch_times) {
    json::array times;
    for (const auto& t : c.batch_times->texts()) times.push_back(json::string(t));
    o["batch_times"] = std::move(times);
  }
  return o;
}

ChannelSpec spec_of_new(const json::object& change) {
  auto spec = ChannelDelta::from_json(change).spec_on(ChannelView{});
  spec.id = std::string(change.at("id").as_string());
  return spec;
}

}  // namespace

void GovernanceService::publish(storage::Database& db, std::int64_t agency_id, std::optional<std::int64_t> channel_id,
                                std::optional<std::int64_t> proposal_id, const std::string& event,
                                bool readers_changed, json::object fields,
                                const std::vector<std::int64_t>& notify_channels, std::int64_t now) const {
  if (channel_id) {
    if (const auto c = storage::channel_store::find_by_id(db, *channel_id)) fields["channel"] = channel_ref(*c);
  }
  change_log::append(db, {agency_id, now, channel_id, proposal_id, event, readers_changed, std::move(fields)});
  if (mail_ != nullptr) mail_->notify(db, agency_id, notify_channels, event, now);
}

storage::ProposalRow GovernanceService::propose(storage::Database& db, const Actor& actor, storage::ProposalRow p,
                                                const json::array& changes, std::int64_t now) const {
  if (p.uid.empty()) p.uid = crypto::to_hex(crypto::random_bytes(8));
  p.proposed_by = actor.user_id;
  p.proposed_at = now;
  p.approvers = "agency";
  auto scope = scope_of(db, p);
  p.approvers = scope.oversight ? "parent" : "agency";
  // Where no one could approve, the change waits in public instead, open
  // to veto by the channel's readers and the agencies above.
  p.wait = !anyone_may_approve(db, p, scope, now);
  p.deadline = now + (p.wait ? kPublicWaitDays : kApprovalDays) * kDaySeconds;
  p.id = storage::proposal_store::insert(db, p);
  AuditEvent e{now, actor.user_id, "proposal.add", std::nullopt,
               "proposal=" + p.uid + " kind=" + p.kind + " approvers=" + p.approvers + " wait=" + (p.wait ? "1" : "0")};
  e.agency = scope_of_agency(db, p.agency_id);
  audit_.append(db, e);
  const auto proposer = row_of(db, actor);
  publish(db, p.agency_id, p.channel_id, p.id, "proposed", false,
          {{"proposal", p.uid},
           {"kind", p.kind},
           {"changes", changes},
           {"by", public_role(db, proposer, p.agency_id)},
           {"approvers", p.approvers},
           {"wait", p.wait},
           {"deadline", date_of(p.deadline)}},
          scope.channel_ids, now);
  return p;
}

void GovernanceService::close(storage::Database& db, const storage::ProposalRow& p, const std::string& state,
                              std::optional<std::int64_t> decider, std::int64_t now, const std::string& outcome) const {
  storage::proposal_store::decide(db, p.id, state, decider, now, outcome);
  const std::string action = state == "refused"     ? "proposal.refuse"
                             : state == "vetoed"    ? "proposal.veto"
                             : state == "withdrawn" ? "proposal.withdraw"
                             : state == "lapsed"    ? "proposal.lapse"
                                                    : "proposal.fail";
  AuditEvent e{now, decider, action, std::nullopt, "proposal=" + p.uid};
  e.agency = scope_of_agency(db, p.agency_id);
  audit_.append(db, e);
  const auto by = decider ? storage::user_store::find_by_id(db, *decider) : std::nullopt;
  json::object fields{{"proposal", p.uid}, {"kind", p.kind}};
  if (decider) fields["by"] = public_role(db, by, p.agency_id);
  if (!outcome.empty()) fields["reason"] = outcome;
  publish(db, p.agency_id, p.channel_id, p.id, state, false, std::move(fields), scope_of(db, p).channel_ids, now);
}

void GovernanceService::apply(storage::Database& db, const storage::ProposalRow& p, std::optional<std::int64_t> decider,
                              const std::string& how, std::int64_t now) const {
  const auto agency = scope_of_agency(db, p.agency_id);
  const auto change = json::parse(p.change).as_object();
  const auto notify = scope_of(db, p).channel_ids;
  json::array changes;
  bool readers_changed = false;
  try {
    if (p.kind == "channel.edit") {
      const auto row = p.channel_id ? storage::channel_store::find_by_id(db, *p.channel_id) : std::nullopt;
      if (!row) throw CaseError(ErrorCode::not_found, "the channel no longer exists");
      const auto current = *ChannelService::find(db, agency, row->slug);
      const auto delta = ChannelDelta::from_json(change);
      const auto plan = channels_.plan_edit(db, agency, row->slug, delta.spec_on(current));
      changes = describe(db, current.channel, delta);
      readers_changed = delta.changes_members();
      channels_.apply(db, agency, plan, now, decider, p.id, p.proposed_by);
    } else if (p.kind == "channel.add") {
      const auto plan = channels_.plan_add(db, agency, spec_of_new(change));
      changes = json::array{json::object{{"what", "channel_added"}}};
      readers_changed = true;
      const auto v = channels_.apply(db, agency, plan, now, decider, p.id, p.proposed_by);
      // The proposal named a slug; the published entry names the channel.
      publish(db, p.agency_id, v.channel.id, p.id, "applied", true,
              {{"proposal", p.uid}, {"kind", p.kind}, {"changes", changes}, {"how", how},
               {"approved_by", decider ? public_role(db, storage::user_store::find_by_id(db, *decider), p.agency_id)
                                       : std::string("nobody")}},
              {v.channel.id}, now);
      storage::proposal_store::decide(db, p.id, "applied", decider, now);
      AuditEvent e{now, decider, "proposal.apply", std::nullopt, "proposal=" + p.uid + " how=" + how};
      e.agency = agency;
      audit_.append(db, e);
      return;
    } else if (p.kind == "user.disable" || p.kind == "user.reset") {
      const auto u = p.subject_user_id ? storage::user_store::find_by_id(db, *p.subject_user_id) : std::nullopt;
      if (!u) throw CaseError(ErrorCode::not_found, "the account no longer exists");
      changes = json::array{json::object{{"what", p.kind == "user.disable" ? "account_disabled" : "account_reenrolled"},
                                         {"reads", reads_of(db, *u)}}};
      readers_changed = true;
      if (p.kind == "user.disable") {
        accounts_.disable(db, agency, u->username, now, decider);
      } else {
        // Its owner gets a link from an administrator afterwards (a new one
        // re-keys the account again; nobody holds this one).
        (void)enrolments_.reenrol(db, agency, *u, now, decider);
      }
    } else if (p.kind == "mail.settings") {
      MailSettingsChange c;
      c.smtp_url = std::string(change.at("smtp_url").as_string());
      c.from = std::string(change.at("from").as_string());
      c.username = std::string(change.at("user").as_string());
      c.require_tls = change.at("require_tls").as_bool();
      c.clear_password = change.at("clear_password").as_bool();
      if (const auto* times = change.if_contains("batch_times")) {
        std::vector<std::string> texts;
        for (const auto& t : times->as_array()) texts.emplace_back(t.as_string());
        c.batch_times = BatchTimes::parse(texts);
      }
      if (!p.secret_sealed.empty()) {
        c.password = crypto::decrypt_record(proposal_key(secrets_), p.secret_nonce, p.secret_sealed, "proposal:" + p.uid);
      }
      changes = json::array{json::object{{"what", "mail_settings"}}};
      edit_agency_mail(db, audit_, secrets_, agency, c, now, decider.value_or(0));
    }
  } catch (const CaseError& e) {
    // What was approved no longer fits the agency as it now stands (a
    // member left meanwhile, a rule changed): nothing is written, and the
    // failure is as public as the proposal was.
    close(db, p, "failed", decider, now, e.what());
    return;
  }
  storage::proposal_store::decide(db, p.id, "applied", decider, now);
  AuditEvent e{now, decider, "proposal.apply", std::nullopt, "proposal=" + p.uid + " how=" + how};
  e.agency = agency;
  audit_.append(db, e);
  publish(db, p.agency_id, p.channel_id, p.id, "applied", readers_changed,
          {{"proposal", p.uid}, {"kind", p.kind}, {"changes", changes}, {"how", how},
           {"approved_by", decider ? public_role(db, storage::user_store::find_by_id(db, *decider), p.agency_id)
                                   : std::string("nobody")}},
          notify, now);
}

ChannelOutcome GovernanceService::add_channel(storage::Database& db, const Actor& actor, AgencyScope agency,
                                              const ChannelSpec& spec, std::int64_t now) const {
  const auto proposer = require_proposer(db, actor, agency);
  ChannelOutcome out;
  if (setting_up(db, agency.id())) {
    out.channel = channels_.apply(db, agency, channels_.plan_add(db, agency, spec), now, actor.user_id, std::nullopt,
                                  actor.user_id);
    out.applied = true;
    publish(db, agency.id(), out.channel.channel.id, std::nullopt, "applied", true,
            {{"kind", "channel.add"},
             {"changes", json::array{json::object{{"what", "channel_added"}}}},
             {"how", "at_once"},
             {"by", public_role(db, proposer, agency.id())}},
            {out.channel.channel.id}, now);
    return out;
  }
  (void)channels_.plan_add(db, agency, spec);  // refused now, field by field, if it could never apply
  auto change = delta_of(ChannelView{}, spec).to_json();
  change["id"] = *spec.id;
  storage::ProposalRow p;
  p.agency_id = agency.id();
  p.kind = "channel.add";
  p.change = json::serialize(change);
  out.proposal = propose(db, actor, std::move(p), json::array{json::object{{"what", "channel_added"}}}, now);
  return out;
}

ChannelOutcome GovernanceService::edit_channel(storage::Database& db, const Actor& actor, AgencyScope agency,
                                               const std::string& id, const ChannelSpec& spec, std::int64_t now) const {
  const auto proposer = require_proposer(db, actor, agency);
  auto current = ChannelService::find(db, agency, id);
  if (!current) throw CaseError(ErrorCode::not_found, "no such channel", "id");
  if (spec.id && *spec.id != id) throw CaseError(ErrorCode::invalid_field, "a channel's id cannot change", "id");
  const auto delta = delta_of(*current, spec);
  ChannelOutcome out;
  out.channel = *current;
  if (delta.empty()) return out;
  // The whole change is checked first: a refusal names its field before
  // any part of it is written.
  (void)channels_.plan_edit(db, agency, id, delta.spec_on(*current));
  const bool at_once = setting_up(db, agency.id());
  SplitDelta split;
  if (at_once) {
    split.now = delta;
  } else {
    split = split_delta(db, current->channel, delta, actor.is_operator() ? std::nullopt : std::optional(actor.agency_id));
  }
  if (!split.later.empty()) {
    if (const auto pending = storage::proposal_store::pending_for_channel(db, current->channel.id)) {
      throw CaseError(ErrorCode::invalid_transition,
                      "a proposed change to this channel awaits a decision (until " + date_of(pending->deadline) +
                          "); withdraw it or wait for it first",
                      "id");
    }
  }
  if (!split.now.empty()) {
    const auto plan = channels_.plan_edit(db, agency, id, split.now.spec_on(*current));
    const auto changes = describe(db, current->channel, split.now);
    // Whoever brought a reader in never grants them earlier cases.
    out.channel = channels_.apply(db, agency, plan, now, actor.user_id, std::nullopt, actor.user_id);
    out.applied = true;
    publish(db, agency.id(), current->channel.id, std::nullopt, "applied", split.now.changes_members(),
            {{"kind", "channel.edit"},
             {"changes", changes},
             {"how", "at_once"},
             {"by", public_role(db, proposer, agency.id())}},
            {current->channel.id}, now);
  }
  if (!split.later.empty()) {
    (void)channels_.plan_edit(db, agency, id, split.later.spec_on(out.channel));
    storage::ProposalRow p;
    p.agency_id = agency.id();
    p.channel_id = current->channel.id;
    p.kind = "channel.edit";
    p.change = json::serialize(split.later.to_json());
    out.proposal = propose(db, actor, std::move(p), describe(db, out.channel.channel, split.later), now);
  }
  return out;
}

AccountOutcome GovernanceService::account_change(storage::Database& db, const Actor& actor, AgencyScope agency,
                                                 const storage::UserRow& u, const std::string& kind, bool at_once,
                                                 const std::function<void(AccountOutcome&)>& apply_now,
                                                 std::int64_t now) const {
  const json::array changes{json::object{{"what", kind == "user.disable" ? "account_disabled" : "account_reenrolled"},
                                         {"reads", reads_of(db, u)}}};
  AccountOutcome out;
  if (at_once) {
    const auto channels = member_channels(db, u);
    apply_now(out);
    out.applied = true;
    publish(db, agency.id(), std::nullopt, std::nullopt, "applied", false,
            {{"kind", kind}, {"changes", changes}, {"how", "at_once"}, {"by", public_role(db, row_of(db, actor), agency.id())}},
            channels, now);
    return out;
  }
  if (storage::proposal_store::pending_for_user(db, u.id)) {
    throw CaseError(ErrorCode::invalid_transition, "a proposed change to this account awaits a decision", "username");
  }
  storage::ProposalRow p;
  p.agency_id = agency.id();
  p.subject_user_id = u.id;
  p.kind = kind;
  p.change = "{}";
  out.proposal = propose(db, actor, std::move(p), changes, now);
  return out;
}

AccountOutcome GovernanceService::disable_user(storage::Database& db, const Actor& actor, AgencyScope agency,
                                               const std::string& username, std::int64_t now) const {
  (void)require_proposer(db, actor, agency);
  const auto u = account_in(db, agency, username);
  if (actor.user_id && *actor.user_id == u.id) {
    throw CaseError(ErrorCode::invalid_field, "you cannot disable your own account", "username");
  }
  if (u.disabled_at) return {};
  const bool at_once = setting_up(db, agency.id()) || !reads_open_cases(db, u);
  return account_change(db, actor, agency, u, "user.disable", at_once,
                        [&](AccountOutcome&) { accounts_.disable(db, agency, username, now, actor.user_id); }, now);
}

AccountOutcome GovernanceService::reenrol_user(storage::Database& db, const Actor& actor, AgencyScope agency,
                                               const std::string& username, std::int64_t now, ReenrolBy by,
                                               const std::optional<std::string>& password) const {
  (void)require_proposer(db, actor, agency);
  const auto u = account_in(db, agency, username);
  if (actor.user_id && *actor.user_id == u.id) {
    throw CaseError(ErrorCode::invalid_field, "change your own password under 'Change password'", "username");
  }
  if (u.disabled_at) throw CaseError(ErrorCode::invalid_transition, "this account is disabled", "username");
  // An account that is still waiting for its owner's enrolment holds
  // nothing yet: a new link for it is no new power.
  const bool awaiting_owner = storage::enrolment_store::open_for_user(db, u.id, now).has_value() || u.totp_sealed.empty();
  const bool at_once = setting_up(db, agency.id()) || awaiting_owner || !reads_open_cases(db, u);
  return account_change(db, actor, agency, u, "user.reset", at_once, [&](AccountOutcome& out) {
    if (by == ReenrolBy::operator_password) {
      out.secrets = accounts_.reset(db, agency, username, password, now, actor.user_id);
    } else {
      out.enrolment = enrolments_.reenrol(db, agency, u, now, actor.user_id);
    }
  }, now);
}

void GovernanceService::enable_user(storage::Database& db, const Actor& actor, AgencyScope agency,
                                    const std::string& username, std::int64_t now) const {
  const auto proposer = require_proposer(db, actor, agency);
  const auto u = account_in(db, agency, username);
  if (!u.disabled_at) return;
  accounts_.enable(db, agency, username, now, actor.user_id);
  publish(db, agency.id(), std::nullopt, std::nullopt, "applied", true,
          {{"kind", "user.enable"},
           {"changes", json::array{json::object{{"what", "account_enabled"}, {"reads", reads_of(db, u)}}}},
           {"how", "at_once"},
           {"by", public_role(db, proposer, agency.id())}},
          member_channels(db, u), now);
}

GovernanceOutcome GovernanceService::set_mail(storage::Database& db, const Actor& actor, AgencyScope agency,
                                              const MailSettingsChange& change, std::int64_t now) const {
  const auto proposer = require_proposer(db, actor, agency);
  GovernanceOutcome out;
  check_mail_change(change);
  const json::array changes{json::object{{"what", "mail_settings"}}};
  if (setting_up(db, agency.id())) {
    edit_agency_mail(db, audit_, secrets_, agency, change, now, actor.user_id.value_or(0));
    out.applied = true;
    publish(db, agency.id(), std::nullopt, std::nullopt, "applied", false,
            {{"kind", "mail.settings"}, {"changes", changes}, {"how", "at_once"}, {"by", public_role(db, proposer, agency.id())}},
            {}, now);
    return out;
  }
  if (storage::proposal_store::pending_of_kind(db, agency.id(), "mail.settings")) {
    throw CaseError(ErrorCode::invalid_transition, "a proposed change to the mail settings awaits a decision",
                    "smtp_url");
  }
  storage::ProposalRow p;
  p.agency_id = agency.id();
  p.kind = "mail.settings";
  p.change = json::serialize(mail_json(change));
  // The password waits encrypted like the stored one, bound to the proposal.
  p.uid = crypto::to_hex(crypto::random_bytes(8));
  if (!change.password.empty()) {
    auto sealed = crypto::encrypt_record(proposal_key(secrets_), change.password.view(), "proposal:" + p.uid);
    p.secret_nonce = std::move(sealed.nonce);
    p.secret_sealed = std::move(sealed.ciphertext);
  }
  out.proposal = propose(db, actor, std::move(p), changes, now);
  return out;
}

void GovernanceService::announce_role(storage::Database& db, const Actor& actor, AgencyScope agency,
                                      const std::string& role, std::int64_t now) const {
  publish(db, agency.id(), std::nullopt, std::nullopt, "applied", false,
          {{"kind", "user.roles"},
           {"changes", json::array{json::object{{"what", "role_given"}, {"role", role}}}},
           {"how", "at_once"},
           {"by", public_role(db, row_of(db, actor), agency.id())}},
          {}, now);
}

storage::ProposalRow GovernanceService::decidable(storage::Database& db, const std::string& uid) const {
  const auto p = storage::proposal_store::find_by_uid(db, uid);
  if (!p) throw CaseError(ErrorCode::not_found, "no such proposal", "proposal");
  if (p->state != "pending") {
    throw CaseError(ErrorCode::invalid_transition, "this proposal is no longer pending (" + p->state + ")", "proposal");
  }
  return *p;
}

namespace {
// The decider's row, refused as "no such proposal" when it may not even see it.
storage::UserRow decider_row(storage::Database& db, const Actor& decider, const storage::ProposalRow& p,
                             const ProposalScope& scope) {
  const auto u = row_of(db, decider);
  if (!u || u->disabled_at) throw CaseError(ErrorCode::not_found, "no such proposal", "proposal");
  // Its agency's administrators and those above, and the readers of the
  // channels it concerns, see a proposal; no one else.
  const bool admin_here =
      u->is_admin && (u->agency_id == p.agency_id || contains(storage::key_store::ancestors(db, p.agency_id), u->agency_id));
  const bool sees = admin_here || std::any_of(scope.channel_ids.begin(), scope.channel_ids.end(), [&](std::int64_t c) {
                      return storage::channel_store::is_member(db, c, u->id, "recipient");
                    });
  if (!sees) throw CaseError(ErrorCode::not_found, "no such proposal", "proposal");
  return *u;
}

CaseError why_not_approver(const storage::ProposalRow& p, const ProposalScope& scope, const storage::UserRow& u,
                           std::int64_t now) {
  if (p.proposed_by && *p.proposed_by == u.id) {
    return CaseError(ErrorCode::forbidden, "you proposed this change: a second person approves it", "proposal");
  }
  if (std::find(scope.subjects.begin(), scope.subjects.end(), u.username) != scope.subjects.end() ||
      (p.subject_user_id && *p.subject_user_id == u.id)) {
    return CaseError(ErrorCode::forbidden, "this change is about you: someone else decides it", "proposal");
  }
  if (!established(u, now)) {
    return CaseError(ErrorCode::forbidden,
                     "an account created, re-enrolled or given a role in the last 30 days does not approve changes",
                     "proposal");
  }
  if (p.approvers == "parent") {
    return CaseError(ErrorCode::forbidden,
                     "this channel is overseen by a supervising agency: one of its administrators approves", "proposal");
  }
  return CaseError(ErrorCode::forbidden, "a custodian of the channel or another administrator approves this change",
                   "proposal");
}
// Restoring a removed reader is decided by whoever may approve a change
// to their channel that is about them: the same rule as for a proposal.
std::pair<storage::ProposalRow, ProposalScope> restoration(storage::Database& db, const storage::DepartureRow& d) {
  storage::ProposalRow as_if;
  as_if.agency_id = d.agency_id;
  as_if.channel_id = d.channel_id;
  as_if.kind = "channel.edit";
  as_if.change = "{}";
  auto scope = scope_of(db, as_if);
  scope.subjects.push_back(d.username);
  as_if.approvers = scope.oversight ? "parent" : "agency";
  return {std::move(as_if), std::move(scope)};
}
}  // namespace

void GovernanceService::approve(storage::Database& db, const Actor& decider, const std::string& uid,
                                std::int64_t now) const {
  const auto p = decidable(db, uid);
  const auto scope = scope_of(db, p);
  const auto u = decider_row(db, decider, p, scope);
  if (!may_approve(db, p, scope, u, now)) throw why_not_approver(p, scope, u, now);
  apply(db, p, u.id, "approved", now);
}

void GovernanceService::refuse(storage::Database& db, const Actor& decider, const std::string& uid,
                               std::int64_t now) const {
  const auto p = decidable(db, uid);
  const auto scope = scope_of(db, p);
  const auto u = decider_row(db, decider, p, scope);
  if (!may_approve(db, p, scope, u, now)) throw why_not_approver(p, scope, u, now);
  close(db, p, "refused", u.id, now);
}

void GovernanceService::veto(storage::Database& db, const Actor& decider, const std::string& uid,
                             std::int64_t now) const {
  const auto p = decidable(db, uid);
  const auto scope = scope_of(db, p);
  const auto u = decider_row(db, decider, p, scope);
  if (!p.wait) {
    throw CaseError(ErrorCode::invalid_transition,
                    "this proposal waits for an approver, not a public wait: an approver refuses it", "proposal");
  }
  if (now >= p.deadline) {
    throw CaseError(ErrorCode::invalid_transition, "the public wait ended on " + date_of(p.deadline) + ": too late to veto",
                    "proposal");
  }
  if (!may_veto(db, p, scope, u)) {
    throw CaseError(ErrorCode::forbidden,
                    "a recipient of the channel or an administrator of the supervising agency vetoes", "proposal");
  }
  close(db, p, "vetoed", u.id, now);
}

void GovernanceService::withdraw(storage::Database& db, const Actor& decider, const std::string& uid,
                                 std::int64_t now) const {
  const auto p = decidable(db, uid);
  if (p.proposed_by != decider.user_id) {
    throw CaseError(ErrorCode::forbidden, "only whoever proposed a change withdraws it", "proposal");
  }
  close(db, p, "withdrawn", decider.user_id, now);
}

std::int64_t GovernanceService::restore(storage::Database& db, const Actor& decider, std::int64_t departure_id,
                                        std::int64_t now) const {
  const auto d = storage::departure_store::find(db, departure_id);
  const auto u = row_of(db, decider);
  if (!d || !u || u->disabled_at) throw CaseError(ErrorCode::not_found, "no such removed reader", "departure");
  if (d->state != "suspended" || d->left_at < now - kGraceDays * kDaySeconds) {
    throw CaseError(ErrorCode::invalid_transition,
                    "the grace period is over or the reader was restored: grant cases again instead", "departure");
  }
  // The approvers of a change to the channel decide, as for a proposal.
  const auto [as_if, scope] = restoration(db, *d);
  if (!may_approve(db, as_if, scope, *u, now)) throw why_not_approver(as_if, scope, *u, now);
  const auto agency = scope_of_agency(db, d->agency_id);
  const auto current = *ChannelService::find(db, agency, d->channel_slug);
  // Every role the person left in this channel comes back together.
  std::vector<storage::DepartureRow> theirs;
  for (const auto& x : storage::departure_store::suspended(db, d->agency_id)) {
    if (x.channel_id == d->channel_id && x.user_id == d->user_id) theirs.push_back(x);
  }
  ChannelDelta delta;
  for (const auto& x : theirs) {
    auto& list = x.role == "custodian" ? delta.add_custodians : delta.add_recipients;
    list.push_back(x.username);
    if (x.role == "custodian") delta.add_recipients.push_back(x.username);
  }
  const auto plan = channels_.plan_edit(db, agency, d->channel_slug, delta.spec_on(current));
  channels_.apply(db, agency, plan, now, u->id);
  const bool custodian = storage::channel_store::is_member(db, d->channel_id, d->user_id, "custodian");
  std::int64_t keys = 0;
  for (const auto& x : theirs) keys += storage::departure_store::restore(db, x.id, custodian, now);
  AuditEvent e{now, u->id, "member.restore", std::nullopt,
               "channel=" + d->channel_slug + " user_id=" + std::to_string(d->user_id) + " keys=" + std::to_string(keys)};
  e.agency = agency;
  audit_.append(db, e);
  const auto person = storage::user_store::find_by_id(db, d->user_id);
  json::array changes;
  for (const auto& x : theirs) {
    const bool above = person && contains(storage::key_store::ancestors(db, d->agency_id), person->agency_id);
    changes.push_back(json::object{{"what", x.role + "_restored"}, {"from", above ? "supervising_agency" : "agency"}});
  }
  publish(db, d->agency_id, d->channel_id, std::nullopt, "restored", true,
          {{"changes", changes}, {"by", public_role(db, u, d->agency_id)}}, {d->channel_id}, now);
  return keys;
}

std::vector<ProposalView> GovernanceService::proposals(storage::Database& db, const Actor& viewer, std::int64_t now) const {
  std::vector<ProposalView> out;
  const auto u = row_of(db, viewer);
  if (!u || u->disabled_at) return out;
  std::vector<std::int64_t> agencies{u->agency_id};
  for (const auto a : storage::key_store::descendants(db, u->agency_id)) agencies.push_back(a);
  for (auto& p : storage::proposal_store::list(db, agencies, now - kListedDays * kDaySeconds)) {
    const auto scope = scope_of(db, p);
    const bool admin_here = u->is_admin && (u->agency_id == p.agency_id ||
                                            contains(storage::key_store::ancestors(db, p.agency_id), u->agency_id));
    const bool reader = std::any_of(scope.channel_ids.begin(), scope.channel_ids.end(), [&](std::int64_t c) {
      return storage::channel_store::is_member(db, c, u->id, "recipient");
    });
    if (!admin_here && !reader) continue;
    ProposalView v;
    if (const auto a = storage::key_store::load_agency(db, p.agency_id)) v.agency_slug = a->slug;
    if (p.channel_id) v.channel = storage::channel_store::find_by_id(db, *p.channel_id);
    if (p.subject_user_id) {
      if (const auto s = storage::user_store::find_by_id(db, *p.subject_user_id)) v.subject = s->username;
    }
    if (p.proposed_by) {
      if (const auto s = storage::user_store::find_by_id(db, *p.proposed_by)) v.proposed_by = s->username;
    }
    if (p.decided_by) {
      if (const auto s = storage::user_store::find_by_id(db, *p.decided_by)) v.decided_by = s->username;
    }
    const auto change = json::parse(p.change).as_object();
    if (p.kind == "channel.edit" && v.channel) {
      v.changes = describe(db, *v.channel, ChannelDelta::from_json(change), true);
    } else if (p.kind == "channel.add") {
      v.changes = json::array{json::object{{"what", "channel_added"}, {"id", change.at("id")}}};
    } else if (p.kind == "mail.settings") {
      v.changes = json::array{json::object{{"what", "mail_settings"}, {"smtp_url", change.at("smtp_url")}}};
    } else {
      v.changes = json::array{json::object{{"what", p.kind == "user.disable" ? "account_disabled" : "account_reenrolled"}}};
    }
    if (p.state == "pending") {
      v.may_approve = may_approve(db, p, scope, *u, now);
      v.may_veto = p.wait && now < p.deadline && may_veto(db, p, scope, *u);
      v.may_withdraw = p.proposed_by == u->id;
    }
    v.row = std::move(p);
    v.row.secret_nonce.clear();
    v.row.secret_sealed.clear();
    out.push_back(std::move(v));
  }
  return out;
}

std::vector<storage::DepartureRow> GovernanceService::restorable(storage::Database& db, const Actor& viewer,
                                                                 std::int64_t now) const {
  std::vector<storage::DepartureRow> out;
  const auto u = row_of(db, viewer);
  if (!u || u->disabled_at) return out;
  std::vector<std::int64_t> agencies{u->agency_id};
  for (const auto a : storage::key_store::descendants(db, u->agency_id)) agencies.push_back(a);
  for (const auto a : agencies) {
    for (auto& d : storage::departure_store::suspended(db, a)) {
      if (d.left_at < now - kGraceDays * kDaySeconds) continue;
      const auto [as_if, scope] = restoration(db, d);
      if (may_approve(db, as_if, scope, *u, now)) out.push_back(std::move(d));
    }
  }
  return out;
}

RollResult GovernanceService::roll(storage::Database& db, std::int64_t now) const {
  RollResult r;
  for (const auto& p : storage::proposal_store::due(db, now)) {
    if (p.wait) {
      apply(db, p, std::nullopt, "after_wait", now);
      const auto after = storage::proposal_store::find(db, p.id);
      (after && after->state == "applied" ? r.applied : r.failed) += 1;
    } else {
      close(db, p, "lapsed", std::nullopt, now);
      ++r.lapsed;
    }
  }
  const std::int64_t grace_start = now - kGraceDays * kDaySeconds;
  r.departures_expired = storage::departure_store::expire(db, grace_start);
  storage::key_store::drop_keys_of_disabled(db, grace_start, &r.disabled_keys_deleted);
  return r;
}

}  // namespace krasip::cases
