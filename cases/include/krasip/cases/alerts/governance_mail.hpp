#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "krasip/cases/alerts/case_alerts.hpp"

namespace krasip::storage {
class Database;
}

namespace krasip::cases {

// Mail about a change to an agency's protection (issue 20, item 5): a
// proposal, a decision, an applied change, a coming purge. Like an alert it
// says nothing of a case or a channel (a channel's name can say what its
// complaints are about): only that something changed or waits and where to
// look. It goes to every current recipient of the channels concerned and to
// the administrators of the agencies above, whatever their alert choices,
// each through their own agency's mail server (never the child's for the
// supervising agency's staff).
class GovernanceMail {
 public:
  explicit GovernanceMail(AlertComposer composer) : composer_(std::move(composer)) {}
  // `event`: proposed, applied, refused, vetoed, withdrawn, lapsed, failed,
  // restored, purge_notice. `channel_ids` empty: every channel of the agency.
  void notify(storage::Database& db, std::int64_t agency_id, const std::vector<std::int64_t>& channel_ids,
              const std::string& event, std::int64_t now) const;
  AlertText text(const std::string& event) const;

 private:
  AlertComposer composer_;
};

}  // namespace krasip::cases
