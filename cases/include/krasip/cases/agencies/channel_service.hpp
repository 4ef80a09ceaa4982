#pragma once
#include "krasip/cases/common/agency_scope.hpp"
#include <optional>
#include <string>
#include <vector>

#include "krasip/cases/audit/audit_log.hpp"
#include "krasip/storage/channel_store.hpp"

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
  std::optional<std::int64_t> retention_days;  // 0 to 36525; default 1826 (five years)
  std::optional<std::vector<std::string>> recipients;  // usernames
  std::optional<std::vector<std::string>> custodians;  // usernames
};

struct ChannelView {
  storage::ChannelRow channel;
  std::vector<std::string> recipients;  // usernames
  std::vector<std::string> custodians;
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
//  - retention_days: 0 to 36525 (a hundred years); how long a closed case
//    is kept before `krasipd purge` deletes it (cases/retention).
// Removing a recipient removes their keys to the channel's cases; removing
// a custodian, their keys to its identities. An added member holds no key
// to earlier cases until a holder grants them (as for a new account).
class ChannelService {
 public:
  explicit ChannelService(const AuditLog& audit) : audit_(audit) {}
  // Every call names the agency whose channels it touches (issue 11);
  // members may be accounts of that agency or of one above it.
  ChannelView add(storage::Database& db, AgencyScope agency, const ChannelSpec& spec, std::int64_t now,
                  std::optional<std::int64_t> actor = std::nullopt) const;
  ChannelView edit(storage::Database& db, AgencyScope agency, const std::string& id,
                   const ChannelSpec& spec, std::int64_t now,
                   std::optional<std::int64_t> actor = std::nullopt) const;
  static std::vector<ChannelView> list(storage::Database& db, AgencyScope agency);

 private:
  const AuditLog& audit_;
};

}  // namespace krasip::cases
