#include <iostream>
#include <string>

#include "agency_option.hpp"
#include "commands.hpp"
#include "krasip/cases/accounts/account_service.hpp"
#include "krasip/cases/audit/audit_log.hpp"
#include "krasip/cases/common/case_error.hpp"
#include "krasip/cases/agencies/data_paths.hpp"
#include "krasip/cases/agencies/server_secrets.hpp"
#include "krasip/storage/database.hpp"
#include "krasip/storage/transaction.hpp"
#include "krasip/storage/write_queue.hpp"
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

// krasipd user add|disable|reset-password --data-dir DIR --username U ...
// Runs while the server is up too: SQLite serialises the writers, and the
// server re-checks an account on every request.
int cmd_user(int argc, char** argv) {
  if (argc < 3) throw UsageError("user needs a subcommand: add, disable, reset-password");
  const std::string sub = argv[2];
  const Options opt(argc, argv, 3, {"data-dir", "username", "name", "pepper-file", "owner", "agency"},
                    {"custodian", "admin", "password-stdin", "fast-kdf"});
  auto paths = cases::DataPaths::in(opt.require("data-dir"));
  if (auto p = opt.get("pepper-file")) paths.pepper_file = *p;
  settle_identity(opt.get("owner"), paths);  // before anything is opened
  const auto secrets = cases::ServerSecrets::load(paths.pepper_file);
  const cases::AuditLog audit(secrets.pepper);
  const cases::AccountService accounts(audit, opt.flag("fast-kdf") ? crypto::PwhashLimits::interactive()
                                                                   : crypto::PwhashLimits::moderate());
  const std::string username = opt.require("username");
  storage::Database db = storage::open_writer(paths.database);
  storage::Transaction tx(db);
  try {
    // --agency SLUG, optional when the deployment has one agency.
    const auto agency = cases::AgencyScope::of(agency_option(db, opt.get("agency")));
    if (sub == "add") {
      const auto s = accounts.add(db, agency, {username, opt.get("name").value_or(username), opt.flag("custodian"),
                                       opt.flag("admin"), password_from_stdin(opt)},
                                  now());
      tx.commit();
      print_secrets(s, username);
    } else if (sub == "disable") {
      accounts.disable(db, agency, username, now());
      tx.commit();
      std::cout << "user " << username << " disabled; a running server ends their sessions at once\n";
    } else if (sub == "reset-password") {
      const auto s = accounts.reset(db, agency, username, password_from_stdin(opt), now());
      tx.commit();
      print_secrets(s, username);
      std::cout << "  The account has a new key: a colleague with access (console: grant access)\n"
                   "  or the recovery key (krasipd recovery grant) must grant its cases again.\n";
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
