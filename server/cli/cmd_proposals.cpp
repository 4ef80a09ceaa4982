#include <ctime>
#include <iostream>
#include <string>

#include <boost/json.hpp>

#include "agency_option.hpp"
#include "commands.hpp"
#include "governance_cli.hpp"
#include "krasip/cases/agencies/data_paths.hpp"
#include "krasip/cases/common/case_error.hpp"
#include "krasip/cases/common/thai_time.hpp"
#include "krasip/storage/database.hpp"
#include "krasip/storage/proposal_store.hpp"
#include "krasip/storage/transaction.hpp"
#include "krasip/storage/write_queue.hpp"
#include "options.hpp"
#include "ownership.hpp"

namespace krasip::cli {

// krasipd proposals list|withdraw (issue 20): what waits for a second
// person or for the end of its public wait, who must act and until when;
// the operator withdraws their own proposals here (accounts decide in the
// console, with their password and a code).
int cmd_proposals(int argc, char** argv) {
  if (argc < 3) throw UsageError("proposals needs a subcommand: list, withdraw");
  const std::string sub = argv[2];
  const Options opt(argc, argv, 3, {"data-dir", "pepper-file", "owner", "agency", "id", "clock-offset-file"}, {});
  auto paths = cases::DataPaths::in(opt.require("data-dir"));
  if (auto p = opt.get("pepper-file")) paths.pepper_file = *p;
  settle_identity(opt.get("owner"), paths);
  storage::Database db = storage::open_writer(paths.database);
  const auto agency = agency_option(db, opt.get("agency"));
  const auto now = cli_now(opt);
  try {
    if (sub == "list") {
      const auto rows = storage::proposal_store::list(db, {agency.id}, now - 90 * 86400);
      for (const auto& p : rows) {
        std::cout << p.uid << "\t" << p.kind << "\t" << p.state << "\tproposed "
                  << cases::iso_date_bangkok(p.proposed_at) << " by "
                  << (p.proposed_by ? "account " + std::to_string(*p.proposed_by) : std::string("the operator"));
        if (p.state == "pending") {
          std::cout << "\n  " << (p.wait ? "public wait: applies on " : "needs ")
                    << (p.wait ? cases::iso_date_bangkok(p.deadline)
                               : std::string(p.approvers == "parent" ? "an administrator of the supervising agency"
                                                                     : "a custodian of the channel or another administrator") +
                                     ", until " + cases::iso_date_bangkok(p.deadline));
        } else if (!p.outcome.empty()) {
          std::cout << "\n  " << p.outcome;
        }
        std::cout << "\n  change: " << p.change << "\n";
      }
      std::cout << rows.size() << " proposal(s) pending or decided in the last 90 days for " << agency.slug << "\n";
      return 0;
    }
    if (sub == "withdraw") {
      const GovernanceContext gov(paths.pepper_file);
      storage::Transaction tx(db);
      gov.service.withdraw(db, cases::Actor::host_operator(), opt.require("id"), now);
      tx.commit();
      std::cout << "withdrawn\n";
      return 0;
    }
    throw UsageError("unknown proposals subcommand: " + sub);
  } catch (const cases::CaseError& e) {
    std::cerr << "krasipd: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace krasip::cli
