#include "krasip/cases/agencies/channel_service.hpp"

#include <algorithm>

#include "krasip/cases/common/case_error.hpp"
#include "krasip/cases/common/text_rules.hpp"
#include "krasip/storage/departure_store.hpp"
#include "krasip/storage/key_store.hpp"
#include "krasip/storage/purge_store.hpp"
#include "krasip/storage/user_store.hpp"

namespace krasip::cases {

namespace {

void check_text(const std::string& value, const std::string& field, std::size_t max, bool required) {
  const auto len = utf8_length(value);
  if (!len) throw CaseError(ErrorCode::invalid_utf8, field + " is not valid UTF-8", field);
  if (!has_only_printable(value, false)) {
    throw CaseError(ErrorCode::invalid_field, field + " contains control characters", field);
  }
  if (required && !has_visible_text(value)) {
    throw CaseError(ErrorCode::missing_field, field + " is required", field);
  }
  if (*len > max) {
    throw CaseError(ErrorCode::field_too_long,
                    field + " is longer than " + std::to_string(max) + " characters", field);
  }
}

void check_slug(const std::string& s) {
  bool ok = s.size() >= 2 && s.size() <= 32;
  for (char c : s) ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-');
  if (!ok) throw CaseError(ErrorCode::invalid_field, "id: 2-32 characters of a-z, 0-9 and dash", "id");
}

struct Members {
  std::vector<storage::UserRow> recipients;
  std::vector<storage::UserRow> custodians;
};

void set_fields(storage::ChannelRow& c, const ChannelSpec& s) {
  const auto set = [](std::string& to, const std::optional<std::string>& from) {
    if (from) to = *from;
  };
  set(c.name_th, s.name_th);
  set(c.name_en, s.name_en);
  set(c.description_th, s.description_th);
  set(c.description_en, s.description_en);
  set(c.readers_th, s.readers_th);
  set(c.readers_en, s.readers_en);
  set(c.identity_readers_th, s.identity_readers_th);
  set(c.identity_readers_en, s.identity_readers_en);
  if (s.identity_two_person) c.identity_two_person = *s.identity_two_person;
  if (s.outcome_needs_confirmation) c.outcome_needs_confirmation = *s.outcome_needs_confirmation;
  if (s.retention_days) c.retention_days = *s.retention_days;
}

// A second person must exist: otherwise the channel's identities, or its
// rejections, would wait for ever.
void check_two_people(const storage::ChannelRow& c, const Members& m) {
  if (c.identity_two_person && m.custodians.size() < 2) {
    throw CaseError(ErrorCode::invalid_field,
                    "identity_two_person: a second custodian approves, so name at least two custodians",
                    "identity_two_person");
  }
  if (c.outcome_needs_confirmation && m.recipients.size() < 2) {
    throw CaseError(ErrorCode::invalid_field,
                    "outcome_needs_confirmation: a second recipient confirms, so name at least two recipients",
                    "outcome_needs_confirmation");
  }
}

// `stored_retention`: the channel's value before an edit; kept as it is, it
// may be below today's floor (set before the floor existed: the purge counts
// the floor anyway), but no edit lowers a value below it.
void check_channel(storage::Database& db, const storage::ChannelRow& c,
                   std::optional<std::int64_t> stored_retention = std::nullopt) {
  check_text(c.name_th, "name_th", 100, true);
  check_text(c.name_en, "name_en", 100, true);
  check_text(c.description_th, "description_th", 500, false);
  check_text(c.description_en, "description_en", 500, false);
  check_text(c.readers_th, "readers_th", 300, true);
  check_text(c.readers_en, "readers_en", 300, true);
  check_text(c.identity_readers_th, "identity_readers_th", 300, true);
  check_text(c.identity_readers_en, "identity_readers_en", 300, true);
  // The floor protects what is kept from a quiet shortening (issue 20);
  // a channel stored below it (set before the floor existed) may keep its
  // value, since the purge counts the floor anyway.
  const auto floor = storage::purge_store::retention_floor(db);
  if (c.retention_days > 36525 || c.retention_days < 0) {
    throw CaseError(ErrorCode::invalid_field, "retention_days: at most 36525 days after a case is closed",
                    "retention_days");
  }
  if (c.retention_days < floor && c.retention_days != stored_retention) {
    throw CaseError(ErrorCode::invalid_field,
                    "retention_days: at least " + std::to_string(floor) +
                        " days, the deployment's floor (krasipd deployment set --retention-floor-days)",
                    "retention_days");
  }
}

// An oversight channel keeps a reader from outside the agency: otherwise
// the agency could quietly take its complaints about its executives back.
void check_oversight_kept(storage::Database& db, const ChannelPlan& plan) {
  if (plan.is_new) return;
  const auto up = storage::key_store::ancestors(db, plan.before.agency_id);
  const auto outside = [&](std::int64_t agency_id) {
    return std::find(up.begin(), up.end(), agency_id) != up.end();
  };
  const bool was = std::any_of(plan.members_before.begin(), plan.members_before.end(), [&](const auto& m) {
    return m.role == "recipient" && m.active && outside(m.agency_id);
  });
  const bool is = std::any_of(plan.recipients.begin(), plan.recipients.end(), [&](const auto& u) {
    return !u.disabled_at && outside(u.agency_id);
  });
  if (was && !is) {
    throw CaseError(ErrorCode::invalid_field,
                    "recipients: this channel is overseen by a supervising agency and keeps at least one"
                    " recipient from it",
                    "recipients");
  }
}

std::vector<std::string> names_of(const std::vector<storage::ChannelMemberRow>& members,
                                  const std::string& role) {
  std::vector<std::string> out;
  for (const auto& m : members) {
    if (m.role == role) out.push_back(m.username);
  }
  return out;
}

// `kept`: the list is the channel's current one, left unchanged by an
// edit; a member disabled since then stays (re-enabled, they are back).
// Members are accounts of the channel's agency or of an agency above it
// (issue 11: the district office receives a subdistrict's executives'
// channel); any other agency's account is refused as if it did not exist.
std::vector<storage::UserRow> resolve(storage::Database& db, AgencyScope agency,
                                      const std::vector<std::string>& names, const std::string& field,
                                      bool kept) {
  std::vector<storage::UserRow> out;
  const auto up = storage::key_store::ancestors(db, agency.id());
  for (const auto& n : names) {
    const auto u = storage::user_store::find_by_username(db, n);
    const bool reachable = u && (u->agency_id == agency.id() ||
                                 std::find(up.begin(), up.end(), u->agency_id) != up.end());
    if (!reachable || (u->disabled_at && !kept)) {
      throw CaseError(ErrorCode::invalid_field, field + ": no enabled account named " + n, field);
    }
    if (std::none_of(out.begin(), out.end(), [&](const auto& x) { return x.id == u->id; })) {
      out.push_back(*u);
    }
  }
  if (out.empty()) throw CaseError(ErrorCode::missing_field, field + ": name at least one account", field);
  return out;
}

Members check_members(storage::Database& db, AgencyScope agency,
                      const std::optional<std::vector<std::string>>& recipients,
                      const std::optional<std::vector<std::string>>& custodians,
                      const std::vector<storage::ChannelMemberRow>& before) {
  Members m{resolve(db, agency, recipients.value_or(names_of(before, "recipient")), "recipients", !recipients),
            resolve(db, agency, custodians.value_or(names_of(before, "custodian")), "custodians", !custodians)};
  for (const auto& c : m.custodians) {
    if (!c.is_custodian) {
      throw CaseError(ErrorCode::invalid_field,
                      "custodians: " + c.username + " is not a designated identity custodian", "custodians");
    }
    if (std::none_of(m.recipients.begin(), m.recipients.end(), [&](const auto& r) { return r.id == c.id; })) {
      throw CaseError(ErrorCode::invalid_field,
                      "custodians: " + c.username + " must also be a recipient of the channel", "custodians");
    }
  }
  return m;
}

std::vector<std::int64_t> ids_of(const std::vector<storage::UserRow>& users) {
  std::vector<std::int64_t> out;
  for (const auto& u : users) out.push_back(u.id);
  return out;
}

ChannelView view_of(storage::Database& db, storage::ChannelRow c) {
  const auto members = storage::channel_store::members(db, c.id);
  return {std::move(c), names_of(members, "recipient"), names_of(members, "custodian")};
}

std::string audit_detail(const storage::ChannelRow& c, const Members& m) {
  std::string d = "channel=" + c.slug + " retention_days=" + std::to_string(c.retention_days) + " recipients=";
  for (const auto& u : m.recipients) d += std::to_string(u.id) + ",";
  d += " custodians=";
  for (const auto& u : m.custodians) d += std::to_string(u.id) + ",";
  return d;
}

}  // namespace

ChannelPlan ChannelService::plan_add(storage::Database& db, AgencyScope agency, const ChannelSpec& spec) const {
  if (!spec.id) throw CaseError(ErrorCode::missing_field, "id is required", "id");
  check_slug(*spec.id);
  if (storage::channel_store::find_by_slug(db, agency.id(), *spec.id)) {
    throw CaseError(ErrorCode::invalid_field, "a channel with that id exists", "id");
  }
  ChannelPlan p;
  p.is_new = true;
  p.after.slug = *spec.id;
  p.after.agency_id = agency.id();
  set_fields(p.after, spec);
  check_channel(db, p.after);
  auto m = check_members(db, agency, spec.recipients.value_or(std::vector<std::string>{}),
                         spec.custodians.value_or(std::vector<std::string>{}), {});
  check_two_people(p.after, m);
  p.recipients = std::move(m.recipients);
  p.custodians = std::move(m.custodians);
  return p;
}

ChannelPlan ChannelService::plan_edit(storage::Database& db, AgencyScope agency, const std::string& id,
                                      const ChannelSpec& spec) const {
  auto found = storage::channel_store::find_by_slug(db, agency.id(), id);
  if (!found) throw CaseError(ErrorCode::not_found, "no such channel", "id");
  if (spec.id && *spec.id != id) throw CaseError(ErrorCode::invalid_field, "a channel's id cannot change", "id");
  ChannelPlan p;
  p.before = *found;
  p.after = *found;
  set_fields(p.after, spec);
  check_channel(db, p.after, p.before.retention_days);
  p.members_before = storage::channel_store::members(db, found->id);
  auto m = check_members(db, agency, spec.recipients, spec.custodians, p.members_before);
  check_two_people(p.after, m);
  p.recipients = std::move(m.recipients);
  p.custodians = std::move(m.custodians);
  check_oversight_kept(db, p);
  return p;
}

ChannelView ChannelService::apply(storage::Database& db, AgencyScope agency, const ChannelPlan& plan,
                                  std::int64_t now, std::optional<std::int64_t> actor,
                                  std::optional<std::int64_t> proposal_id,
                                  std::optional<std::int64_t> proposed_by) const {
  storage::ChannelRow c = plan.after;
  const Members m{plan.recipients, plan.custodians};
  if (plan.is_new) {
    c.id = storage::channel_store::insert(db, c, now);
  } else {
    // Whoever leaves a role has what it gave them suspended, not deleted:
    // the approvers may restore it within the grace period (issue 20).
    // Custodians first, so that the identity keys go with that role.
    for (const char* role : {"custodian", "recipient"}) {
      for (const auto& old : plan.members_before) {
        if (old.role != role) continue;
        const auto& now_in = old.role == "recipient" ? m.recipients : m.custodians;
        if (std::none_of(now_in.begin(), now_in.end(), [&](const auto& u) { return u.id == old.user_id; })) {
          storage::departure_store::suspend(db, c.id, old.user_id, old.key_id, old.role, now, proposal_id);
        }
      }
    }
    storage::channel_store::update(db, c, now);
  }
  storage::channel_store::set_members(db, c.id, "recipient", ids_of(m.recipients), now, proposed_by);
  storage::channel_store::set_members(db, c.id, "custodian", ids_of(m.custodians), now, proposed_by);
  AuditEvent e{now, actor, plan.is_new ? "channel.add" : "channel.edit", std::nullopt, audit_detail(c, m)};
  e.agency = agency;
  audit_.append(db, e);
  return view_of(db, std::move(c));
}

ChannelView ChannelService::add(storage::Database& db, AgencyScope agency, const ChannelSpec& spec,
                                std::int64_t now, std::optional<std::int64_t> actor) const {
  return apply(db, agency, plan_add(db, agency, spec), now, actor);
}

ChannelView ChannelService::edit(storage::Database& db, AgencyScope agency, const std::string& id,
                                 const ChannelSpec& spec, std::int64_t now,
                                 std::optional<std::int64_t> actor) const {
  return apply(db, agency, plan_edit(db, agency, id, spec), now, actor);
}

std::vector<ChannelView> ChannelService::list(storage::Database& db, AgencyScope agency) {
  std::vector<ChannelView> out;
  for (auto& c : storage::channel_store::list(db, agency.id())) out.push_back(view_of(db, std::move(c)));
  return out;
}

std::optional<ChannelView> ChannelService::find(storage::Database& db, AgencyScope agency, const std::string& id) {
  auto c = storage::channel_store::find_by_slug(db, agency.id(), id);
  if (!c) return std::nullopt;
  return view_of(db, std::move(*c));
}

}  // namespace krasip::cases
