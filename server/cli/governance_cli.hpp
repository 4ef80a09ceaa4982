#pragma once
#include <iosfwd>
#include <string>

#include "krasip/cases/accounts/account_service.hpp"
#include "krasip/cases/accounts/enrolment_service.hpp"
#include "krasip/cases/agencies/channel_service.hpp"
#include "krasip/cases/alerts/governance_mail.hpp"
#include "krasip/cases/audit/audit_log.hpp"
#include "krasip/cases/common/server_secrets.hpp"
#include "krasip/cases/governance/governance_service.hpp"
#include "krasip/storage/proposal_store.hpp"
#include "options.hpp"

namespace krasip::cli {

// What an operator's command needs to go through the same governance as
// the console (issue 20): the host's operator has no account, so its
// changes that weaken protection are proposals too, and every change is
// published and mailed.
struct GovernanceContext {
  explicit GovernanceContext(const std::filesystem::path& pepper_file, bool fast_kdf = false);
  cases::ServerSecrets secrets;
  cases::AuditLog audit;
  cases::AccountService accounts;
  cases::ChannelService channels;
  cases::EnrolmentService enrolments;
  cases::GovernanceMail mail;
  cases::GovernanceService service;
};

// "proposed 1a2b3c… (channel.edit): waits for ... until YYYY-MM-DD", for a
// change that did not take effect at once.
void print_proposal(std::ostream& out, const storage::ProposalRow& p);

// The time a governed change is made at: the real clock, or with
// --clock-offset-file (tests) the one the test's server follows, so that a
// proposal's deadlines agree with the server's sweep.
std::int64_t cli_now(const Options& opt);

}  // namespace krasip::cli
