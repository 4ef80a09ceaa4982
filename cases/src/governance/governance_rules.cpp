#include "krasip/cases/governance/governance_rules.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "krasip/cases/governance/channel_delta.hpp"
#include "krasip/storage/channel_store.hpp"
#include "krasip/storage/database.hpp"
#include "krasip/storage/key_store.hpp"

namespace krasip::cases {

namespace json = boost::json;

namespace {

bool contains(const std::vector<std::int64_t>& v, std::int64_t x) { return std::find(v.begin(), v.end(), x) != v.end(); }

std::vector<std::int64_t> member_channels(storage::Database& db, std::int64_t agency_id, std::int64_t user_id) {
  std::vector<std::int64_t> out;
  for (const auto& [channel_id, m] : storage::channel_store::all_members(db, agency_id)) {
    if (m.user_id == user_id && !contains(out, channel_id)) out.push_back(channel_id);
  }
  return out;
}

bool custodian_in(storage::Database& db, const std::vector<std::int64_t>& channels, std::int64_t user_id) {
  return std::any_of(channels.begin(), channels.end(), [&](std::int64_t c) {
    return storage::channel_store::is_member(db, c, user_id, "custodian");
  });
}

bool recipient_in(storage::Database& db, const std::vector<std::int64_t>& channels, std::int64_t user_id) {
  return std::any_of(channels.begin(), channels.end(), [&](std::int64_t c) {
    return storage::channel_store::is_member(db, c, user_id, "recipient");
  });
}

}  // namespace

bool established(const storage::UserRow& u, std::int64_t now) {
  const std::int64_t since = now - kNewPowerDays * kDaySeconds;
  return u.key_created_at <= since && u.roles_at <= since;
}

ProposalScope scope_of(storage::Database& db, const storage::ProposalRow& p) {
  ProposalScope s;
  s.agency_id = p.agency_id;
  const auto change = json::parse(p.change).as_object();
  if (p.kind == "channel.edit" && p.channel_id) {
    s.channel_ids = {*p.channel_id};
    s.oversight = !storage::channel_store::oversight_agencies(db, *p.channel_id).empty();
    s.subjects = ChannelDelta::from_json(change).added();
  } else if (p.kind == "channel.add") {
    // A new channel is overseen when it names staff of an agency above.
    const auto up = storage::key_store::ancestors(db, p.agency_id);
    if (const auto* r = change.if_contains("recipients")) {
      for (const auto& n : r->as_array()) {
        const std::string name(n.as_string());
        s.subjects.push_back(name);
        const auto u = storage::user_store::find_by_username(db, name);
        if (u && contains(up, u->agency_id)) s.oversight = true;
      }
    }
  } else if (p.kind == "user.disable" || p.kind == "user.reset") {
    if (p.subject_user_id) {
      s.channel_ids = member_channels(db, p.agency_id, *p.subject_user_id);
      if (const auto u = storage::user_store::find_by_id(db, *p.subject_user_id)) s.subjects.push_back(u->username);
    }
  } else {  // mail.settings: alerts of every channel
    for (const auto& c : storage::channel_store::list(db, p.agency_id)) s.channel_ids.push_back(c.id);
  }
  if (!s.oversight) {
    s.oversight = std::any_of(s.channel_ids.begin(), s.channel_ids.end(), [&](std::int64_t c) {
      return !storage::channel_store::oversight_agencies(db, c).empty();
    });
  }
  return s;
}

bool may_approve(storage::Database& db, const storage::ProposalRow& p, const ProposalScope& scope,
                 const storage::UserRow& u, std::int64_t now) {
  if (u.disabled_at || !established(u, now)) return false;
  if (p.proposed_by && *p.proposed_by == u.id) return false;
  if (p.subject_user_id && *p.subject_user_id == u.id) return false;
  if (std::find(scope.subjects.begin(), scope.subjects.end(), u.username) != scope.subjects.end()) return false;
  if (p.approvers == "parent") {
    return u.is_admin && contains(storage::key_store::ancestors(db, p.agency_id), u.agency_id);
  }
  if (u.is_admin && u.agency_id == p.agency_id) return true;
  return u.is_custodian && custodian_in(db, scope.channel_ids, u.id);
}

bool anyone_may_approve(storage::Database& db, const storage::ProposalRow& p, const ProposalScope& scope,
                        std::int64_t now) {
  std::vector<std::int64_t> agencies;
  if (p.approvers == "parent") {
    agencies = storage::key_store::ancestors(db, p.agency_id);
  } else {
    agencies = {p.agency_id};
    for (const auto c : scope.channel_ids) {
      for (const auto& m : storage::channel_store::members(db, c)) {
        if (!contains(agencies, m.agency_id)) agencies.push_back(m.agency_id);
      }
    }
  }
  for (const auto a : agencies) {
    for (const auto& u : storage::user_store::list(db, a)) {
      if (may_approve(db, p, scope, u, now)) return true;
    }
  }
  return false;
}

bool may_veto(storage::Database& db, const storage::ProposalRow& p, const ProposalScope& scope,
              const storage::UserRow& u) {
  if (u.disabled_at) return false;
  if (p.proposed_by && *p.proposed_by == u.id) return false;
  if (u.is_admin && contains(storage::key_store::ancestors(db, p.agency_id), u.agency_id)) return true;
  return recipient_in(db, scope.channel_ids, u.id);
}

std::string public_role(storage::Database& db, const std::optional<storage::UserRow>& u, std::int64_t agency_id) {
  if (!u) return "operator";
  if (u->agency_id != agency_id && contains(storage::key_store::ancestors(db, agency_id), u->agency_id)) {
    return u->is_admin ? "parent_administrator" : "parent_staff";
  }
  if (u->is_admin) return "administrator";
  if (u->is_custodian) return "custodian";
  return "recipient";
}

bool reads_open_cases(storage::Database& db, const storage::UserRow& u) {
  auto st = db.cached(
      "SELECT 1 FROM envelope_keys k JOIN envelopes e ON e.id = k.envelope_id AND e.field = 'complaint'"
      " JOIN cases c ON c.id = e.case_id"
      " WHERE k.reader_key_id = ? AND c.status != 'closed' AND c.purged_at IS NULL LIMIT 1");
  st->bind(1, u.key_id);
  return st->step();
}

}  // namespace krasip::cases
