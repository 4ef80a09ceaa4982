#include "governance_json.hpp"

#include <boost/json.hpp>

#include "krasip/cases/common/thai_time.hpp"
#include "krasip/cases/governance/change_log.hpp"
#include "krasip/crypto/encoding.hpp"
#include "krasip/storage/change_log_store.hpp"

namespace krasip::server {

namespace json = boost::json;

namespace {
json::value optional_text(const std::optional<std::string>& v) { return v ? json::value(*v) : json::value(nullptr); }
}  // namespace

json::object pending_json(const storage::ProposalRow& p) {
  return {{"id", p.uid},
          {"kind", p.kind},
          {"state", p.state},
          {"approvers", p.approvers},
          {"wait", p.wait},
          {"deadline", cases::iso_date_bangkok(p.deadline)}};
}

json::object proposal_json(const cases::ProposalView& v) {
  auto o = pending_json(v.row);
  o["agency"] = v.agency_slug;
  if (v.channel) {
    o["channel"] = json::object{{"id", v.channel->slug}, {"name_th", v.channel->name_th}, {"name_en", v.channel->name_en}};
  } else {
    o["channel"] = nullptr;
  }
  o["subject"] = optional_text(v.subject);
  o["proposed_by"] = optional_text(v.proposed_by);  // null: the host's operator
  o["proposed_at"] = cases::iso8601_bangkok(v.row.proposed_at);
  o["decided_by"] = optional_text(v.decided_by);
  o["decided_at"] = v.row.decided_at ? json::value(cases::iso8601_bangkok(*v.row.decided_at)) : json::value(nullptr);
  o["outcome"] = v.row.outcome;
  o["changes"] = v.changes;
  o["may_approve"] = v.may_approve;
  o["may_veto"] = v.may_veto;
  o["may_withdraw"] = v.may_withdraw;
  return o;
}

json::object change_log_json(storage::Database& db, const storage::AgencyRow& agency) {
  json::array entries;
  for (const auto& r : storage::change_log_store::all(db, agency.id)) {
    json::value parsed;
    try {
      parsed = json::parse(r.entry);
    } catch (const std::exception&) {
      parsed = nullptr;
    }
    entries.push_back(json::object{{"seq", r.seq}, {"entry", r.entry}, {"hash", crypto::to_hex(r.hash)}, {"parsed", parsed}});
  }
  const auto v = cases::change_log::verify(db, agency.id);
  return {{"agency", agency.slug}, {"entries", std::move(entries)}, {"head", v.head_hex}, {"intact", v.intact},
          {"algorithm", "BLAKE2b-256 of the previous hash (32 zero bytes first) followed by the entry text"}};
}

}  // namespace krasip::server
