#pragma once
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "krasip/cases/intake/intake_service.hpp"
#include "krasip/cases/reporter/case_followups.hpp"
#include "krasip/cases/reporter/escalation_service.hpp"
#include "krasip/cases/reporter/referral_record.hpp"
#include "krasip/cases/common/server_secrets.hpp"
#include "krasip/storage/channel_store.hpp"
#include "krasip/storage/reader_pool.hpp"

namespace krasip::cases {

struct TimelineEntry {
  std::int64_t at;
  std::string status;
};

struct MessageView {
  std::int64_t at;
  std::string from;  // "reporter" or "investigator"
  std::string body;
};

// A move to another channel by the reporter (issue 10, item 4), opened
// with the reporter's key. A channel no longer found keeps its slug only.
struct EscalationView {
  std::int64_t at = 0;
  storage::ChannelRow from;
  storage::ChannelRow to;
  std::string reason;
  std::string identity;  // identity_move_name (escalation_service.hpp)
};

// What a reporter sees with their tracking code.
struct StatusView {
  std::string case_number;
  std::string status;
  std::string category;
  std::int64_t received_at = 0;
  std::vector<TimelineEntry> timeline;
  boost::json::object submission;  // their own complaint, decrypted with their key
  bool identity_provided = false;
  std::vector<MessageView> messages;
  std::vector<AttachmentEntry> attachments;  // evidence files both ways (issue 4)
  storage::AgencyRow agency;  // whose case it is (issue 11): named on the status page
  std::optional<storage::ChannelRow> channel;  // where the case is now
  std::vector<storage::ChannelRow> can_move_to;  // every other channel of the agency
  std::vector<EscalationView> escalations;
  // Requests to move the case out of an oversight channel (issue 20, item
  // 7), oldest first: pending, confirmed, declined or lapsed.
  std::vector<EscalationRequestView> escalation_requests;
  std::optional<Referral> referral;  // where the case was referred (issue 13, item 4)
  // The days (00:00 Bangkok) on which the readers of the case's channel
  // changed since it was received (issue 20, item 5): from the agency's
  // public change log, so it tells the reporter nothing the public page
  // does not.
  std::vector<std::int64_t> readers_changed;
  // Set for a case deleted after its retention (issue 13, item 6): only
  // case_number and this are filled in.
  std::optional<std::int64_t> purged_at;
};

// Opens a case by tracking code alone. A malformed code (bad check digit)
// and an unknown code are told apart; an unknown code does the same work as
// a known one so that timing does not reveal which codes exist.
class StatusService {
 public:
  StatusService(const ServerSecrets& secrets, storage::ReaderPool& pool, Clock clock = system_clock())
      : secrets_(secrets), pool_(pool), clock_(std::move(clock)) {}
  StatusView lookup(std::string_view tracking_code);

 private:
  const ServerSecrets& secrets_;
  storage::ReaderPool& pool_;
  Clock clock_;  // whether a pending move has lapsed
};

}  // namespace krasip::cases
