#include <iostream>
#include <string>

#include "agency_option.hpp"
#include "commands.hpp"
#include "krasip/cases/accounts/account_service.hpp"
#include "krasip/cases/audit/audit_log.hpp"
#include "krasip/cases/common/case_error.hpp"
#include "krasip/cases/agencies/data_paths.hpp"
#include "krasip/storage/database.hpp"
#include "krasip/storage/transaction.hpp"
#include "krasip/storage/write_queue.hpp"
#include "governance_cli.hpp"
#include "options.hpp"
#include "ownership.hpp"

namespace krasip::cli {

namespace {

std::int64_t now() { return static_cast<std::int64_t>(std::time(nullptr)); }

std::optional<std::string> password_from_stdin(const Options& opt) {
  if (!opt.flag("password-stdin")) return std::nullopt;
  std::string line;
  std::getline(std::cin, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

void print_secrets(const cases::AccountSecrets& s, const std::string& username) {
  std::cout << "user " << username << " (id " << s.user_id << ")\n";
  if (s.generated_password) std::cout << "  password: " << *s.generated_password << "   (shown once)\n";
  std::cout << "  TOTP (add to an authenticator app; shown once):\n    " << s.totp_uri << "\n";
}

}  // namespace

// krasipd user add|disable|enable|reset-password --data-dir DIR --username U ...
// Runs while the server is up too: SQLite serialises the writers, and the
// server re-checks an account on every request.
int cmd_user(int argc, char** argv) {
  if (argc < 3) throw UsageError("user needs a subcommand: add, disable, enable, reset-password");
  const std::string sub = argv[2];
  const Options opt(argc, argv, 3, {"data-dir", "username", "name", "pepper-file", "owner", "agency"},
                    {"custodian", "admin", "password-stdin", "fast-kdf"});
  auto paths = cases::DataPaths::in(opt.require("data-dir"));
  if (auto p = opt.get("pepper-file")) paths.pepper_file = *p;
  settle_identity(opt.get("owner"), paths);  // before anything is opened
  const GovernanceContext gov(paths.pepper_file, opt.flag("fast-kdf"));
  const auto operator_ = cases::Actor::host_operator();
  const std::string username = opt.require("username");
  storage::Database db = storage::open_writer(paths.database);
  storage::Transaction tx(db);
  try {
    // --agency SLUG, optional when the deployment has one agency.
    const auto agency = cases::AgencyScope::of(agency_option(db, opt.get("agency")));
    if (sub == "add") {
      const auto s = gov.accounts.add(db, agency, {username, opt.get("name").value_or(username), opt.flag("custodian"),
                                                   opt.flag("admin"), password_from_stdin(opt)},
                                      now());
      if (opt.flag("custodian")) gov.service.announce_role(db, operator_, agency, "custodian", now());
      if (opt.flag("admin")) gov.service.announce_role(db, operator_, agency, "administrator", now());
      tx.commit();
      print_secrets(s, username);
    } else if (sub == "disable") {
      const auto out = gov.service.disable_user(db, operator_, agency, username, now());
      tx.commit();
      if (out.proposal) {
        print_proposal(std::cout, *out.proposal);
      } else {
        std::cout << "user " << username << " disabled; a running server ends their sessions at once\n";
      }
    } else if (sub == "enable") {
      gov.service.enable_user(db, operator_, agency, username, now());
      tx.commit();
      std::cout << "user " << username << " enabled; keys deleted after 30 days disabled come back only"
                                          " through grants\n";
    } else if (sub == "reset-password") {
      // The operator hands the new password over in person, as for `user
      // add`; an account that reads open cases waits for a second person
      // (the console then gives its owner an enrolment link).
      const auto out = gov.service.reenrol_user(db, operator_, agency, username, now(),
                                                cases::ReenrolBy::operator_password, password_from_stdin(opt));
      tx.commit();
      if (out.proposal) {
        print_proposal(std::cout, *out.proposal);
      } else if (out.secrets) {
        print_secrets(*out.secrets, username);
        std::cout << "  The account has a new key: a colleague with access (console: grant access)\n"
                     "  or the recovery key (krasipd recovery grant) must grant its cases again.\n";
      }
    } else {
      throw UsageError("unknown user subcommand: " + sub);
    }
  } catch (const cases::CaseError& e) {
    std::cerr << "krasipd: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace krasip::cli
