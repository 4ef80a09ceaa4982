#include "krasip/cases/governance/channel_delta.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "krasip/cases/common/case_error.hpp"
#include "krasip/storage/key_store.hpp"
#include "krasip/storage/user_store.hpp"

namespace krasip::cases {

namespace json = boost::json;

namespace {

using Texts = std::optional<std::string> ChannelDelta::*;
struct TextField {
  const char* name;
  Texts delta;
  std::optional<std::string> ChannelSpec::*spec;
  std::string storage::ChannelRow::*row;
};
constexpr TextField kTexts[] = {
    {"name_th", &ChannelDelta::name_th, &ChannelSpec::name_th, &storage::ChannelRow::name_th},
    {"name_en", &ChannelDelta::name_en, &ChannelSpec::name_en, &storage::ChannelRow::name_en},
    {"description_th", &ChannelDelta::description_th, &ChannelSpec::description_th, &storage::ChannelRow::description_th},
    {"description_en", &ChannelDelta::description_en, &ChannelSpec::description_en, &storage::ChannelRow::description_en},
    {"readers_th", &ChannelDelta::readers_th, &ChannelSpec::readers_th, &storage::ChannelRow::readers_th},
    {"readers_en", &ChannelDelta::readers_en, &ChannelSpec::readers_en, &storage::ChannelRow::readers_en},
    {"identity_readers_th", &ChannelDelta::identity_readers_th, &ChannelSpec::identity_readers_th,
     &storage::ChannelRow::identity_readers_th},
    {"identity_readers_en", &ChannelDelta::identity_readers_en, &ChannelSpec::identity_readers_en,
     &storage::ChannelRow::identity_readers_en},
};

using Names = std::vector<std::string> ChannelDelta::*;
constexpr std::pair<const char*, Names> kLists[] = {
    {"add_recipients", &ChannelDelta::add_recipients},
    {"remove_recipients", &ChannelDelta::remove_recipients},
    {"add_custodians", &ChannelDelta::add_custodians},
    {"remove_custodians", &ChannelDelta::remove_custodians},
};

std::vector<std::string> minus(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<std::string> out;
  for (const auto& x : a) {
    if (std::find(b.begin(), b.end(), x) == b.end() && std::find(out.begin(), out.end(), x) == out.end()) {
      out.push_back(x);
    }
  }
  return out;
}

std::vector<std::string> apply_list(std::vector<std::string> current, const std::vector<std::string>& add,
                                    const std::vector<std::string>& remove) {
  current = minus(current, remove);
  for (const auto& a : add) {
    if (std::find(current.begin(), current.end(), a) == current.end()) current.push_back(a);
  }
  return current;
}

}  // namespace

bool ChannelDelta::empty() const {
  if (changes_members() || changes_texts()) return false;
  return !identity_two_person && !outcome_needs_confirmation && !retention_days;
}

bool ChannelDelta::changes_members() const {
  return !add_recipients.empty() || !remove_recipients.empty() || !add_custodians.empty() ||
         !remove_custodians.empty();
}

bool ChannelDelta::changes_texts() const {
  return std::any_of(std::begin(kTexts), std::end(kTexts), [&](const TextField& f) { return (this->*f.delta).has_value(); });
}

std::vector<std::string> ChannelDelta::added() const { return apply_list(add_recipients, add_custodians, {}); }

json::object ChannelDelta::to_json() const {
  json::object o;
  for (const auto& [name, list] : kLists) {
    if ((this->*list).empty()) continue;
    json::array a;
    for (const auto& n : this->*list) a.push_back(json::string(n));
    o[name] = std::move(a);
  }
  if (identity_two_person) o["identity_two_person"] = *identity_two_person;
  if (outcome_needs_confirmation) o["outcome_needs_confirmation"] = *outcome_needs_confirmation;
  if (retention_days) o["retention_days"] = *retention_days;
  for (const auto& f : kTexts) {
    if (this->*f.delta) o[f.name] = *(this->*f.delta);
  }
  return o;
}

ChannelDelta ChannelDelta::from_json(const json::object& o) {
  ChannelDelta d;
  for (const auto& [name, list] : kLists) {
    if (const auto* v = o.if_contains(name)) {
      for (const auto& n : v->as_array()) (d.*list).emplace_back(n.as_string());
    }
  }
  if (const auto* v = o.if_contains("identity_two_person")) d.identity_two_person = v->as_bool();
  if (const auto* v = o.if_contains("outcome_needs_confirmation")) d.outcome_needs_confirmation = v->as_bool();
  if (const auto* v = o.if_contains("retention_days")) d.retention_days = v->as_int64();
  for (const auto& f : kTexts) {
    if (const auto* v = o.if_contains(f.name)) d.*f.delta = std::string(v->as_string());
  }
  return d;
}

ChannelSpec ChannelDelta::spec_on(const ChannelView& current) const {
  ChannelSpec s;
  if (!add_recipients.empty() || !remove_recipients.empty()) {
    s.recipients = apply_list(current.recipients, add_recipients, remove_recipients);
  }
  if (!add_custodians.empty() || !remove_custodians.empty()) {
    s.custodians = apply_list(current.custodians, add_custodians, remove_custodians);
  }
  s.identity_two_person = identity_two_person;
  s.outcome_needs_confirmation = outcome_needs_confirmation;
  s.retention_days = retention_days;
  for (const auto& f : kTexts) s.*f.spec = this->*f.delta;
  return s;
}

ChannelDelta delta_of(const ChannelView& current, const ChannelSpec& spec) {
  ChannelDelta d;
  if (spec.recipients) {
    d.add_recipients = minus(*spec.recipients, current.recipients);
    d.remove_recipients = minus(current.recipients, *spec.recipients);
  }
  if (spec.custodians) {
    d.add_custodians = minus(*spec.custodians, current.custodians);
    d.remove_custodians = minus(current.custodians, *spec.custodians);
  }
  const auto& c = current.channel;
  if (spec.identity_two_person && *spec.identity_two_person != c.identity_two_person) {
    d.identity_two_person = spec.identity_two_person;
  }
  if (spec.outcome_needs_confirmation && *spec.outcome_needs_confirmation != c.outcome_needs_confirmation) {
    d.outcome_needs_confirmation = spec.outcome_needs_confirmation;
  }
  if (spec.retention_days && *spec.retention_days != c.retention_days) d.retention_days = spec.retention_days;
  for (const auto& f : kTexts) {
    if ((spec.*f.spec) && *(spec.*f.spec) != c.*f.row) d.*f.delta = spec.*f.spec;
  }
  return d;
}

SplitDelta split_delta(storage::Database& db, const storage::ChannelRow& channel, const ChannelDelta& d,
                       std::optional<std::int64_t> actor_agency) {
  SplitDelta out;
  out.later = d;
  auto& now = out.now;
  auto& later = out.later;
  if (d.identity_two_person && *d.identity_two_person) {
    now.identity_two_person = true;
    later.identity_two_person.reset();
  }
  if (d.outcome_needs_confirmation && *d.outcome_needs_confirmation) {
    now.outcome_needs_confirmation = true;
    later.outcome_needs_confirmation.reset();
  }
  if (d.retention_days && *d.retention_days > channel.retention_days) {
    now.retention_days = d.retention_days;
    later.retention_days.reset();
  }
  // A supervising agency adding its own staff to watch a channel of an
  // agency below it strengthens the oversight; anyone else adding anyone
  // is a new reader, for a second person to approve.
  const auto up = storage::key_store::ancestors(db, channel.agency_id);
  const bool actor_above = actor_agency && std::find(up.begin(), up.end(), *actor_agency) != up.end();
  if (actor_above) {
    const auto own = [&](const std::string& name) {
      const auto u = storage::user_store::find_by_username(db, name);
      return u && u->agency_id == *actor_agency;
    };
    for (const Names list : {&ChannelDelta::add_recipients, &ChannelDelta::add_custodians}) {
      std::vector<std::string> keep;
      for (const auto& n : d.*list) (own(n) ? now.*list : keep).push_back(n);
      later.*list = std::move(keep);
    }
  }
  return out;
}

json::array describe(storage::Database& db, const storage::ChannelRow& channel, const ChannelDelta& d,
                     bool with_names) {
  json::array out;
  const auto up = storage::key_store::ancestors(db, channel.agency_id);
  const auto from = [&](const std::string& name) {
    const auto u = storage::user_store::find_by_username(db, name);
    const bool above = u && std::find(up.begin(), up.end(), u->agency_id) != up.end();
    return above ? "supervising_agency" : "agency";
  };
  const std::pair<const char*, const std::vector<std::string>*> members[] = {
      {"recipient_added", &d.add_recipients},
      {"recipient_removed", &d.remove_recipients},
      {"custodian_added", &d.add_custodians},
      {"custodian_removed", &d.remove_custodians},
  };
  for (const auto& [what, names] : members) {
    for (const auto& n : *names) {
      json::object change{{"what", what}, {"from", from(n)}};
      if (with_names) change["username"] = n;
      out.push_back(std::move(change));
    }
  }
  if (d.identity_two_person) out.push_back(json::object{{"what", "identity_two_person"}, {"to", *d.identity_two_person}});
  if (d.outcome_needs_confirmation) {
    out.push_back(json::object{{"what", "outcome_needs_confirmation"}, {"to", *d.outcome_needs_confirmation}});
  }
  if (d.retention_days) {
    out.push_back(json::object{{"what", "retention_days"}, {"from", channel.retention_days}, {"to", *d.retention_days}});
  }
  json::array fields;
  for (const auto& f : kTexts) {
    if (d.*f.delta) fields.push_back(json::string(f.name));
  }
  if (!fields.empty()) out.push_back(json::object{{"what", "texts"}, {"fields", std::move(fields)}});
  return out;
}

}  // namespace krasip::cases
