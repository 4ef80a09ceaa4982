#include <iostream>
#include <string>

#include <spdlog/spdlog.h>

#include "commands.hpp"
#include "krasip/cases/agencies/data_paths.hpp"
#include "krasip/storage/database.hpp"
#include "krasip/storage/purge_store.hpp"
#include "krasip/storage/transaction.hpp"
#include "krasip/storage/write_queue.hpp"
#include "options.hpp"
#include "ownership.hpp"

namespace krasip::cli {

// krasipd deployment show|set --retention-floor-days N (issue 20, item 4):
// the fewest days any channel of the deployment keeps a closed case (the
// purge counts it whatever a channel says). The host's own setting: no
// agency can lower it from the console.
int cmd_deployment(int argc, char** argv) {
  if (argc < 3) throw UsageError("deployment needs a subcommand: show, set");
  const std::string sub = argv[2];
  const Options opt(argc, argv, 3, {"data-dir", "owner", "retention-floor-days"}, {});
  const auto paths = cases::DataPaths::in(opt.require("data-dir"));
  settle_identity(opt.get("owner"), paths);
  storage::Database db = storage::open_writer(paths.database);
  if (sub == "set") {
    const auto v = opt.require("retention-floor-days");
    std::size_t used = 0;
    long long days = -1;
    try {
      days = std::stoll(v, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != v.size() || days < 0 || days > 36525) {
      throw UsageError("--retention-floor-days takes a number of days, 0 to 36525 (default 1825)");
    }
    storage::Transaction tx(db);
    const auto before = storage::purge_store::retention_floor(db);
    storage::purge_store::set_retention_floor(db, days);
    tx.commit();
    std::cout << "retention floor: " << before << " -> " << days << " days\n";
    return 0;
  }
  if (sub == "show") {
    std::cout << "retention floor: " << storage::purge_store::retention_floor(db) << " days\n";
    return 0;
  }
  throw UsageError("unknown deployment subcommand: " + sub);
}

}  // namespace krasip::cli
