#include "krasip/cases/reporter/status_service.hpp"

#include <boost/json.hpp>

#include "krasip/cases/common/case_crypto.hpp"
#include "krasip/cases/common/case_error.hpp"
#include "krasip/cases/intake/complaint_input.hpp"
#include "krasip/cases/reporter/escalation_service.hpp"
#include "krasip/cases/reporter/reporter_access.hpp"
#include "krasip/crypto/encoding.hpp"
#include "krasip/crypto/tracking_code.hpp"
#include "krasip/storage/case_store.hpp"
#include "krasip/storage/change_log_store.hpp"
#include "krasip/storage/key_store.hpp"
#include "krasip/storage/transaction.hpp"
#include "krasip/storage/triage_store.hpp"

namespace krasip::cases {

StatusView StatusService::lookup(std::string_view tracking_code) {
  auto db = pool_.acquire();
  const storage::ReadSnapshot snapshot(*db);
  std::optional<ReporterCase> opening;
  try {
    opening.emplace(open_reporter_case(secrets_, *db, tracking_code));
  } catch (const CasePurged& gone) {
    StatusView v;
    v.case_number = gone.case_number();
    v.purged_at = gone.purged_at();
    return v;
  }
  const auto& opened = *opening;
  const auto* row = &opened.row;
  const auto& reporter = opened.key;

  StatusView v;
  v.case_number = row->case_number;
  v.status = row->status;
  v.category = row->category;
  v.received_at = row->received_at;
  v.identity_provided = row->has_identity;

  const auto complaint =
      storage::case_store::envelope_for(*db, row->id, "complaint", row->reporter_key_id);
  if (complaint) {
    v.submission = complaint_from_payload(open_case_record(*complaint, row->uid, reporter));
  }
  for (const auto& e : storage::case_store::events(*db, row->id, true)) {
    if (e.kind == "status" && e.status) v.timeline.push_back({e.at, *e.status});
  }
  for (const auto& m : storage::case_store::messages_for(*db, row->id, row->reporter_key_id)) {
    v.messages.push_back({m.at, m.author, open_case_record(m.envelope, row->uid, reporter)});
  }
  v.attachments = read_attachments(*db, *row, row->reporter_key_id, reporter);

  if (auto a = storage::key_store::load_agency(*db, row->agency_id)) v.agency = std::move(*a);
  const auto channels = storage::channel_store::list(*db, row->agency_id);
  const auto channel_named = [&](const std::string& slug) {
    for (const auto& c : channels) {
      if (c.slug == slug) return c;
    }
    storage::ChannelRow gone;
    gone.slug = slug;
    return gone;
  };
  for (const auto& c : channels) {
    if (row->channel_id && c.id == *row->channel_id) {
      v.channel = c;
    } else {
      v.can_move_to.push_back(c);
    }
  }
  // Only the escalation events are sealed to the reporter; the identity
  // envelope's reporter slot is never read here (escalation_service.hpp).
  for (const auto& e : storage::triage_store::events(*db, row->id, row->reporter_key_id)) {
    if (e.kind != "escalated" || !e.visible_to_reporter || !e.sealed_detail) continue;
    const auto d = parse_escalation_detail(open_case_record(*e.sealed_detail, row->uid, reporter));
    v.escalations.push_back({e.at, channel_named(d.from), channel_named(d.to), d.reason, d.identity});
  }
  v.escalation_requests = escalation_requests(*db, *row, row->reporter_key_id, reporter, clock_());
  v.referral = latest_referral(*db, *row, row->reporter_key_id, reporter);
  if (row->channel_id) {
    v.readers_changed = storage::change_log_store::reader_change_days(*db, *row->channel_id, row->received_at);
  }
  return v;
}

}  // namespace krasip::cases
