#include <unistd.h>

#include <iostream>

#include "commands.hpp"
#include "krasip/cases/agencies/agency_setup.hpp"
#include "krasip/cases/common/server_secrets.hpp"
#include "krasip/cases/retention/purge_journal.hpp"
#include "options.hpp"
#include "ownership.hpp"

namespace krasip::cli {

int cmd_init(int argc, char** argv) {
  const Options opt(argc, argv, 2, {"data-dir", "pepper-file", "admin-username", "admin-name", "owner"},
                    {"no-admin", "fast-kdf"});
  auto paths = cases::DataPaths::in(opt.require("data-dir"));
  if (auto p = opt.get("pepper-file")) paths.pepper_file = *p;
  // Root initialises (the pepper may go where only root writes), then hands
  // the files to the service's user; see ownership.hpp.
  std::optional<Owner> owner;
  if (auto o = opt.get("owner")) {
    owner = owner_for(o, paths.data_dir);
    if (::geteuid() != 0 && owner->uid != ::geteuid()) {
      throw UsageError("--owner " + *o + ": run this as root or as that user");
    }
  }
  const bool pepper_dir_existed = std::filesystem::exists(paths.pepper_file.parent_path());

  std::optional<cases::FirstCustodian> admin;
  if (!opt.flag("no-admin")) {
    admin = cases::FirstCustodian{opt.get("admin-username").value_or("admin"),
                                  opt.get("admin-name").value_or("ผู้ดูแลระบบ (Administrator)")};
  }
  // --fast-kdf is for test fixtures only: Argon2id INTERACTIVE instead of MODERATE.
  const auto limits = opt.flag("fast-kdf") ? crypto::PwhashLimits::interactive()
                                           : crypto::PwhashLimits::moderate();
  const auto result = cases::initialise_agency(paths, cases::demo_agency(), admin, limits);
  // Empty from the start, so a restore never has to be told it may go
  // without one (issue 21, item 5).
  cases::PurgeJournal(cases::ServerSecrets::load(paths.pepper_file).pepper, paths.purge_journal).create_if_missing();
  if (::geteuid() == 0) {
    if (owner) {
      give_files(*owner, paths, !pepper_dir_existed);
    } else {
      std::cerr << "note: run as root without --owner: the files belong to root, and a service\n"
                   "running as another user cannot open them (use --owner krasip)\n";
    }
  }

  std::cout << "Krasip initialised in " << paths.data_dir.string() << "\n\n"
            << "AGENCY RECOVERY KEY (shown once; print it, keep it offline with the head of the\n"
            << "agency; it opens every case if all investigators lose access):\n\n  "
            << result.recovery_key << "\n\n";
  if (admin) {
    std::cout << "First investigator (identity custodian and administrator):\n"
              << "  username: " << admin->username << "\n"
              << "  password: " << result.custodian_password << "   (shown once)\n"
              << "  TOTP (add to an authenticator app, shown once):\n    "
              << result.custodian_totp_uri << "\n\n";
  }
  std::cout << "Tracking-code pepper: " << paths.pepper_file.string()
            << " (keep it outside database backups)\n"
            << "Purge journal: " << paths.purge_journal.string()
            << " (restore needs it; copy it off the machine with the backups)\n";
  return 0;
}

}  // namespace krasip::cli
