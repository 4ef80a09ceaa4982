#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "krasip/cases/common/deadlines.hpp"
#include "krasip/storage/channel_store.hpp"
#include "krasip/storage/records.hpp"

namespace krasip::storage {
class Database;
}

namespace krasip::cases {

// The measures that protect a reporter, as an agency publishes them (issue
// 13, item 1), read from the configuration that enforces them: channels,
// their members, the two-person flags, the deadlines, the agency above. A
// change of configuration changes the text; nothing here is typed by hand.
//
// Readers are published as the agency's own role description and a count,
// never by username or name: the people a complaint is about are often the
// readers' colleagues, and a list of names tells them whom to lean on
// (docs/security.md, "What an agency publishes").
struct ChannelMeasures {
  storage::ChannelRow channel;
  std::int64_t recipients = 0;  // enabled accounts
  std::int64_t recipients_from_parent = 0;
  std::int64_t custodians = 0;
  std::int64_t custodians_from_parent = 0;
};

struct ProtectionMeasures {
  storage::AgencyRow agency;
  std::optional<storage::AgencyRow> parent;  // open agencies only
  Deadlines deadlines;
  std::vector<ChannelMeasures> channels;
};

ProtectionMeasures protection_measures(storage::Database& db, const storage::AgencyRow& agency,
                                       const Deadlines& deadlines);

struct BilingualText {
  std::string th;
  std::string en;
};
struct MeasureSection {
  std::string id;  // readers, identity, no_address, tracking_code, deadlines, escalation
  BilingualText heading;
  std::vector<BilingualText> points;
};
// The same measures as sentences, Thai and English, in the order the public
// page and the ITA evidence pack show them.
std::vector<MeasureSection> measures_text(const ProtectionMeasures& m);

}  // namespace krasip::cases
