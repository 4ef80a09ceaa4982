#include <iostream>

#include "commands.hpp"
#include "krasip/cases/audit/audit_log.hpp"
#include "krasip/cases/common/case_error.hpp"
#include "krasip/cases/agencies/data_paths.hpp"
#include "krasip/cases/agencies/server_secrets.hpp"
#include "krasip/cases/triage/triage_service.hpp"
#include "krasip/crypto/recovery_key.hpp"
#include "krasip/storage/database.hpp"
#include "krasip/storage/key_store.hpp"
#include "krasip/storage/transaction.hpp"
#include "krasip/storage/user_store.hpp"
#include "krasip/storage/write_queue.hpp"
#include "options.hpp"
#include "ownership.hpp"

namespace krasip::cli {

// krasipd recovery grant --data-dir DIR --username U, with the recovery key
// typed on standard input: gives the account keys to every case (identity
// too if the account is a custodian). The key is used in memory and wiped.
int cmd_recovery(int argc, char** argv) {
  if (argc < 3 || std::string(argv[2]) != "grant") {
    throw UsageError("usage: krasipd recovery grant --data-dir DIR --username U < recovery-key");
  }
  const Options opt(argc, argv, 3, {"data-dir", "username", "pepper-file", "owner"}, {});
  auto paths = cases::DataPaths::in(opt.require("data-dir"));
  if (auto p = opt.get("pepper-file")) paths.pepper_file = *p;
  settle_identity(opt.get("owner"), paths);  // before anything is opened
  const auto secrets = cases::ServerSecrets::load(paths.pepper_file);
  std::string line;
  std::getline(std::cin, line);
  const auto secret = crypto::decode_recovery_key(line);
  std::fill(line.begin(), line.end(), '\0');
  if (!secret) {
    std::cerr << "krasipd: that is not a valid recovery key (check for typos)\n";
    return 1;
  }
  const auto recovery = crypto::KeyPair::from_secret(*secret);
  storage::Database db = storage::open_writer(paths.database);
  storage::Transaction tx(db);
  std::optional<std::int64_t> recovery_id;
  for (const auto& r : storage::key_store::active_readers(db)) {
    if (r.kind == "recovery" && r.public_key == recovery.public_key) recovery_id = r.id;
  }
  if (!recovery_id) {
    std::cerr << "krasipd: this recovery key does not belong to this agency\n";
    return 1;
  }
  const auto user = storage::user_store::find_by_username(db, opt.require("username"));
  if (!user || user->disabled_at) {
    std::cerr << "krasipd: no such active user\n";
    return 1;
  }
  const auto r = cases::grant_cases(db, recovery, *recovery_id, *user);
  cases::AuditLog(secrets.pepper)
      .append(db, {static_cast<std::int64_t>(std::time(nullptr)), std::nullopt, "recovery.grant",
                   std::nullopt, "to_user_id=" + std::to_string(user->id) + " cases=" + std::to_string(r.cases)});
  tx.commit();
  std::cout << "granted " << r.cases << " cases (" << r.keys << " keys) to " << user->username << "\n";
  return 0;
}

}  // namespace krasip::cli
