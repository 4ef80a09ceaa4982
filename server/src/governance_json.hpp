#pragma once
#include <boost/json/object.hpp>

#include "krasip/cases/governance/governance_service.hpp"
#include "krasip/storage/records.hpp"

namespace krasip::storage {
class Database;
}

namespace krasip::server {

// A proposal as the console shows it (names of accounts included: the
// console is for the agency's own staff; the public sees roles only).
boost::json::object proposal_json(const cases::ProposalView& v);
// A change that became a proposal, answered 202 by the route that asked for it.
boost::json::object pending_json(const storage::ProposalRow& p);
// The agency's public change log: {"entries": [{"seq", "date", "event",
// "entry" (the exact text hashed), "hash"}], "head", "intact"}.
boost::json::object change_log_json(storage::Database& db, const storage::AgencyRow& agency);

}  // namespace krasip::server
