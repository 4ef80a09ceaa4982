#pragma once
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "krasip/cases/agencies/channel_service.hpp"

namespace krasip::storage {
class Database;
}

namespace krasip::cases {

// A change to a channel as a difference, not a target: who joins and who
// leaves each role, which settings and texts change. A proposal keeps it in
// this form so that when it is applied, days later, it changes only what it
// named (a strengthening applied meanwhile is not undone).
struct ChannelDelta {
  std::vector<std::string> add_recipients, remove_recipients, add_custodians, remove_custodians;
  std::optional<bool> identity_two_person, outcome_needs_confirmation;
  std::optional<std::int64_t> retention_days;
  std::optional<std::string> name_th, name_en, description_th, description_en;
  std::optional<std::string> readers_th, readers_en, identity_readers_th, identity_readers_en;

  bool empty() const;
  bool changes_members() const;
  bool changes_texts() const;
  // The usernames it adds: they do not approve their own membership.
  std::vector<std::string> added() const;
  boost::json::object to_json() const;
  static ChannelDelta from_json(const boost::json::object& o);
  // The spec that makes this change on the channel as it stands now.
  ChannelSpec spec_on(const ChannelView& current) const;
};

// The difference an edit makes to a channel (lists equal as sets to the
// current ones are no change).
ChannelDelta delta_of(const ChannelView& current, const ChannelSpec& spec);

// What in a change strengthens protection, and takes effect at once: a
// two-person rule switched on, a longer retention, and staff of a
// supervising agency added by that agency's own administrator
// (`actor_agency`). Everything else must wait for a second person.
struct SplitDelta {
  ChannelDelta now;
  ChannelDelta later;
};
SplitDelta split_delta(storage::Database& db, const storage::ChannelRow& channel, const ChannelDelta& d,
                       std::optional<std::int64_t> actor_agency);

// The change as the agency publishes it: by role, never by name. A JSON
// array of {"what": ..., ...}: recipient_added / recipient_removed /
// custodian_added / custodian_removed (with "from": "agency" or
// "supervising_agency"), identity_two_person / outcome_needs_confirmation
// ("to": true|false), retention_days ("from", "to"), texts ("fields").
// `with_names`: each member change also names the account ("username"),
// for the console, which the agency's own staff read; never in what is
// published.
boost::json::array describe(storage::Database& db, const storage::ChannelRow& channel, const ChannelDelta& d,
                            bool with_names = false);

}  // namespace krasip::cases
