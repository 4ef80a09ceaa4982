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

namespace {

// A whole number of days within [min, max], or a usage error saying so.
long long days_option(const std::string& name, const std::string& v, long long min, long long max, long long fallback) {
  std::size_t used = 0;
  long long days = -1;
  try {
    days = std::stoll(v, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != v.size() || days < min || days > max) {
    throw UsageError("--" + name + " takes a number of days, " + std::to_string(min) + " to " + std::to_string(max) +
                     " (default " + std::to_string(fallback) + ")");
  }
  return days;
}

}  // namespace

// krasipd deployment show|set [--retention-floor-days N]
// [--purged-code-grace-days N]: the host's own settings, which no agency
// can change from the console.
// - the retention floor (issue 20, item 4): the fewest days any channel of
//   the deployment keeps a closed case (the purge counts it whatever a
//   channel says);
// - the purged-code grace (issue 21, item 5): how long a purged case's
//   tracking code still answers "purged" before its hash is dropped and it
//   answers as a code never issued.
int cmd_deployment(int argc, char** argv) {
  if (argc < 3) throw UsageError("deployment needs a subcommand: show, set");
  const std::string sub = argv[2];
  const Options opt(argc, argv, 3, {"data-dir", "owner", "retention-floor-days", "purged-code-grace-days"}, {});
  const auto paths = cases::DataPaths::in(opt.require("data-dir"));
  if (sub == "set") {
    // Both checked before anything is opened or changed.
    const auto floor_arg = opt.get("retention-floor-days");
    const auto grace_arg = opt.get("purged-code-grace-days");
    if (!floor_arg && !grace_arg) throw UsageError("deployment set needs --retention-floor-days or --purged-code-grace-days");
    const long long floor = floor_arg ? days_option("retention-floor-days", *floor_arg, 0, 36525, 1825) : -1;
    const long long grace = grace_arg ? days_option("purged-code-grace-days", *grace_arg,
                                                    storage::purge_store::kMinPurgedCodeGraceDays,
                                                    storage::purge_store::kMaxPurgedCodeGraceDays,
                                                    storage::purge_store::kDefaultPurgedCodeGraceDays)
                                      : -1;
    settle_identity(opt.get("owner"), paths);
    storage::Database db = storage::open_writer(paths.database);
    storage::Transaction tx(db);
    const auto floor_before = storage::purge_store::retention_floor(db);
    const auto grace_before = storage::purge_store::purged_code_grace(db);
    if (floor_arg) storage::purge_store::set_retention_floor(db, floor);
    if (grace_arg) storage::purge_store::set_purged_code_grace(db, grace);
    tx.commit();
    if (floor_arg) std::cout << "retention floor: " << floor_before << " -> " << floor << " days\n";
    if (grace_arg) std::cout << "purged codes answer \"purged\" for: " << grace_before << " -> " << grace << " days\n";
    return 0;
  }
  if (sub == "show") {
    settle_identity(opt.get("owner"), paths);
    storage::Database db = storage::open_writer(paths.database);
    std::cout << "retention floor: " << storage::purge_store::retention_floor(db) << " days\n"
              << "purged codes answer \"purged\" for: " << storage::purge_store::purged_code_grace(db) << " days\n";
    return 0;
  }
  throw UsageError("unknown deployment subcommand: " + sub);
}

}  // namespace krasip::cli
