#pragma once
#include "krasip/cases/common/agency_scope.hpp"
#include <optional>
#include <string>
#include <vector>

#include "krasip/cases/audit/audit_log.hpp"
#include "krasip/storage/channel_store.hpp"
#include "krasip/storage/user_store.hpp"

namespace krasip::storage {
class Database;
}

namespace krasip::cases {

// What an administrator sets on a channel (issue 10). On edit, an absent
// member leaves that part unchanged.
struct ChannelSpec {
  std::optional<std::string> id;  // the slug; required on add, fixed afterwards
  std::optional<std::string> name_th, name_en, description_th, description_en;
  std::optional<std::string> readers_th, readers_en, identity_readers_th, identity_readers_en;
  std::optional<bool> identity_two_person;
  std::optional<bool> outcome_needs_confirmation;
  std::optional<std::int64_t> retention_days;  // the floor to 36525; default 1826 (five years)
  std::optional<std::vector<std::string>> recipients;  // usernames
  std::optional<std::vector<std::string>> custodians;  // usernames
};

struct ChannelView {
  storage::ChannelRow channel;
  std::vector<std::string> recipients;  // usernames
  std::vector<std::string> custodians;
};

// A checked change, not yet written: the channel as it would be and its
// members before and after. The governance room (cases/governance) reads it
// to tell a change that strengthens protection from one that must wait for
// a second person.
struct ChannelPlan {
  bool is_new = false;
  storage::ChannelRow before;  // as stored (empty when new)
  storage::ChannelRow after;
  std::vector<storage::ChannelMemberRow> members_before;
  std::vector<storage::UserRow> recipients;  // after
  std::vector<storage::UserRow> custodians;  // after
};

// Channels and who receives them. The rules, checked on every add and edit
// (CaseError naming the field):
//  - id: 2-32 of a-z, 0-9 and dash, unique, never changed;
//  - name_th, name_en: required, at most 100 characters;
//  - readers_th/en, identity_readers_th/en (what the reporter is told about
//    who reads): required, at most 300; descriptions optional, at most 500;
//  - at least one recipient and one custodian; every one an existing,
//    enabled account; custodians are recipients of the channel too (they
//    open the case before its identity) and accounts designated custodian
//    (krasipd user add --custodian), whom identity reveal requires;
//  - identity_two_person needs at least two custodians (one asks, another
//    approves), outcome_needs_confirmation at least two recipients;
//  - retention_days: from the deployment's floor (`krasipd deployment set
//    --retention-floor-days`, default 1825) to 36525 (a hundred years); how
//    long a closed case is kept before `krasipd purge` deletes it;
//  - an oversight channel (one a supervising agency's staff receive) keeps
//    at least one recipient from that agency (issue 20).
// Whoever leaves a role does not lose its keys at once: they are suspended
// (storage::departure_store) for the approvers to restore within the grace
// period. An added member holds no key to earlier cases until a holder
// grants them, case by case (TriageService::grant).
//
// This is the mechanism only: who may change what, and when a change waits
// for a second person, is cases/governance's (GovernanceService), which
// every route and command goes through.
class ChannelService {
 public:
  explicit ChannelService(const AuditLog& audit) : audit_(audit) {}
  // Every call names the agency whose channels it touches (issue 11);
  // members may be accounts of that agency or of one above it.
  ChannelPlan plan_add(storage::Database& db, AgencyScope agency, const ChannelSpec& spec) const;
  ChannelPlan plan_edit(storage::Database& db, AgencyScope agency, const std::string& id,
                        const ChannelSpec& spec) const;
  // Writes a plan: members who left have their keys suspended (linked to
  // `proposal_id` when the change was one), new members start now, proposed
  // by `proposed_by`. Audited as channel.add / channel.edit.
  ChannelView apply(storage::Database& db, AgencyScope agency, const ChannelPlan& plan, std::int64_t now,
                    std::optional<std::int64_t> actor = std::nullopt,
                    std::optional<std::int64_t> proposal_id = std::nullopt,
                    std::optional<std::int64_t> proposed_by = std::nullopt) const;
  // plan and apply at once, for setting up and for tests.
  ChannelView add(storage::Database& db, AgencyScope agency, const ChannelSpec& spec, std::int64_t now,
                  std::optional<std::int64_t> actor = std::nullopt) const;
  ChannelView edit(storage::Database& db, AgencyScope agency, const std::string& id,
                   const ChannelSpec& spec, std::int64_t now,
                   std::optional<std::int64_t> actor = std::nullopt) const;
  static std::vector<ChannelView> list(storage::Database& db, AgencyScope agency);
  static std::optional<ChannelView> find(storage::Database& db, AgencyScope agency, const std::string& id);

 private:
  const AuditLog& audit_;
};

}  // namespace krasip::cases
