#include "governance_cli.hpp"

#include <ostream>

#include "krasip/cases/common/clock.hpp"
#include "krasip/cases/common/thai_time.hpp"

namespace krasip::cli {

GovernanceContext::GovernanceContext(const std::filesystem::path& pepper_file, bool fast_kdf)
    : secrets(cases::ServerSecrets::load(pepper_file)),
      audit(secrets.pepper),
      accounts(audit, fast_kdf ? crypto::PwhashLimits::interactive() : crypto::PwhashLimits::moderate()),
      channels(audit),
      enrolments(secrets, audit, accounts),
      mail(cases::AlertComposer("")),
      service(audit, secrets, channels, accounts, enrolments, &mail) {}

void print_proposal(std::ostream& out, const storage::ProposalRow& p) {
  out << "proposed " << p.uid << " (" << p.kind << "): ";
  if (p.wait) {
    out << "no one can approve it now, so it waits in public and applies on "
        << cases::iso_date_bangkok(p.deadline)
        << " unless a reader of the channel or an administrator of the agency above vetoes it\n";
  } else {
    out << "waits for "
        << (p.approvers == "parent" ? "an administrator of the supervising agency"
                                    : "a custodian of the channel or another administrator")
        << " to approve it in the console, until " << cases::iso_date_bangkok(p.deadline) << "\n";
  }
  out << "  It is listed on the agency's public measures page; krasipd proposals list shows it.\n";
}

std::int64_t cli_now(const Options& opt) {
  if (const auto f = opt.get("clock-offset-file")) return cases::offset_clock(*f)();
  return cases::system_clock()();
}

}  // namespace krasip::cli
