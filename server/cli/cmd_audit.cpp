#include <iostream>

#include "commands.hpp"
#include "krasip/cases/audit_log.hpp"
#include "krasip/cases/data_paths.hpp"
#include "krasip/cases/server_secrets.hpp"
#include "krasip/storage/database.hpp"
#include "options.hpp"
#include "ownership.hpp"

namespace krasip::cli {

// krasipd audit verify --data-dir DIR: exit 0 if the chain is intact,
// 1 naming the first broken entry otherwise.
int cmd_audit(int argc, char** argv) {
  if (argc < 3 || std::string(argv[2]) != "verify") throw UsageError("usage: krasipd audit verify --data-dir DIR");
  const Options opt(argc, argv, 3, {"data-dir", "pepper-file", "owner"}, {});
  auto paths = cases::DataPaths::in(opt.require("data-dir"));
  if (auto p = opt.get("pepper-file")) paths.pepper_file = *p;
  settle_identity(opt.get("owner"), paths);  // before anything is opened
  const auto secrets = cases::ServerSecrets::load(paths.pepper_file);
  storage::Database db(paths.database, storage::OpenMode::read_only);
  const auto v = cases::AuditLog(secrets.pepper).verify(db);
  if (!v.intact) {
    std::cout << "audit chain BROKEN at entry " << *v.first_broken_id
              << " (edited, inserted or an earlier entry removed)\n";
    return 1;
  }
  std::cout << "audit chain intact: " << v.entries << " entries, head " << v.head_hash_hex << "\n";
  return 0;
}

}  // namespace krasip::cli
