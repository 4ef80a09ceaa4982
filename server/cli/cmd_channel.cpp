#include <ctime>
#include <iostream>
#include <string>

#include "agency_option.hpp"
#include "commands.hpp"
#include "krasip/cases/audit/audit_log.hpp"
#include "krasip/cases/common/case_error.hpp"
#include "krasip/cases/agencies/channel_service.hpp"
#include "krasip/cases/agencies/data_paths.hpp"
#include "krasip/storage/database.hpp"
#include "krasip/storage/transaction.hpp"
#include "krasip/storage/write_queue.hpp"
#include "governance_cli.hpp"
#include "options.hpp"
#include "ownership.hpp"

namespace krasip::cli {

namespace {

std::vector<std::string> split_names(const std::string& list) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : list + ",") {
    if (c == ',') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else if (c != ' ') {
      cur += c;
    }
  }
  return out;
}

cases::ChannelSpec spec_from(const Options& opt) {
  cases::ChannelSpec s;
  s.id = opt.get("id");
  s.name_th = opt.get("name-th");
  s.name_en = opt.get("name-en");
  s.description_th = opt.get("description-th");
  s.description_en = opt.get("description-en");
  s.readers_th = opt.get("readers-th");
  s.readers_en = opt.get("readers-en");
  s.identity_readers_th = opt.get("identity-readers-th");
  s.identity_readers_en = opt.get("identity-readers-en");
  if (auto v = opt.get("identity-two-person")) {
    if (*v != "yes" && *v != "no") throw UsageError("--identity-two-person is yes or no");
    s.identity_two_person = *v == "yes";
  }
  if (auto v = opt.get("outcome-needs-confirmation")) {
    if (*v != "yes" && *v != "no") throw UsageError("--outcome-needs-confirmation is yes or no");
    s.outcome_needs_confirmation = *v == "yes";
  }
  if (auto v = opt.get("retention-days")) {
    std::size_t used = 0;
    long long days = -1;
    try {
      days = std::stoll(*v, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != v->size() || days < 0 || days > 36525) {
      throw UsageError("--retention-days takes a number of days, 0 to 36525 (five years: 1826)");
    }
    s.retention_days = days;
  }
  if (auto v = opt.get("recipients")) s.recipients = split_names(*v);
  if (auto v = opt.get("custodians")) s.custodians = split_names(*v);
  return s;
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
  return out;
}

void print(const cases::ChannelView& v) {
  const auto& c = v.channel;
  std::cout << c.slug << "\t" << c.name_th << " / " << c.name_en << "\n"
            << "  recipients: " << joined(v.recipients) << "\n"
            << "  custodians: " << joined(v.custodians) << "\n"
            << "  who reads the complaint: " << c.readers_th << " / " << c.readers_en << "\n"
            << "  who reads the identity: " << c.identity_readers_th << " / " << c.identity_readers_en << "\n"
            << "  identity access needs a second person: " << (c.identity_two_person ? "yes" : "no") << "\n"
            << "  rejecting needs a second recipient: " << (c.outcome_needs_confirmation ? "yes" : "no") << "\n"
            << "  closed cases kept for: " << c.retention_days << " days, then purged\n";
}

}  // namespace

// krasipd channel add|edit|list --data-dir DIR ... (issue 10). Runs while
// the server is up too: the server's reader directory notices the change
// at the next complaint (triggers bump its version). Once the agency has
// had a case, a change that weakens protection is a proposal that an
// account approves in the console (issue 20): the operator has no account.
int cmd_channel(int argc, char** argv) {
  if (argc < 3) throw UsageError("channel needs a subcommand: add, edit, list");
  const std::string sub = argv[2];
  const Options opt(argc, argv, 3,
                    {"data-dir", "pepper-file", "owner", "id", "name-th", "name-en", "description-th",
                     "description-en", "readers-th", "readers-en", "identity-readers-th",
                     "identity-readers-en", "identity-two-person", "outcome-needs-confirmation",
                     "retention-days", "recipients", "custodians", "agency", "clock-offset-file"},
                    {});
  auto paths = cases::DataPaths::in(opt.require("data-dir"));
  if (auto p = opt.get("pepper-file")) paths.pepper_file = *p;
  settle_identity(opt.get("owner"), paths);  // before anything is opened
  storage::Database db = storage::open_writer(paths.database);
  try {
    // --agency SLUG, optional when the deployment has one agency.
    const auto agency = cases::AgencyScope::of(agency_option(db, opt.get("agency")));
    if (sub == "list") {
      for (const auto& v : cases::ChannelService::list(db, agency)) print(v);
      return 0;
    }
    const GovernanceContext gov(paths.pepper_file);
    const auto now = cli_now(opt);
    storage::Transaction tx(db);
    cases::ChannelOutcome out;
    if (sub == "add") {
      out = gov.service.add_channel(db, cases::Actor::host_operator(), agency, spec_from(opt), now);
    } else if (sub == "edit") {
      out = gov.service.edit_channel(db, cases::Actor::host_operator(), agency, opt.require("id"), spec_from(opt), now);
    } else {
      throw UsageError("unknown channel subcommand: " + sub);
    }
    tx.commit();
    if (out.applied || !out.proposal) print(out.channel);
    if (out.proposal) print_proposal(std::cout, *out.proposal);
    if (sub == "edit" && out.applied) {
      std::cout << "  An added recipient holds no key to earlier cases until a custodian of the\n"
                   "  channel grants them case by case (console), or krasipd recovery grant.\n";
    }
  } catch (const cases::CaseError& e) {
    std::cerr << "krasipd: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace krasip::cli
