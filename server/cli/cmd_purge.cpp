#include <ctime>
#include <iostream>

#include "commands.hpp"
#include "krasip/cases/agencies/data_paths.hpp"
#include "krasip/cases/common/server_secrets.hpp"
#include "krasip/cases/alerts/governance_mail.hpp"
#include "krasip/cases/audit/audit_log.hpp"
#include "krasip/cases/common/clock.hpp"
#include "krasip/cases/common/thai_time.hpp"
#include "krasip/cases/retention/purge_service.hpp"
#include "krasip/storage/database.hpp"
#include "krasip/storage/write_queue.hpp"
#include "options.hpp"
#include "ownership.hpp"

namespace krasip::cli {

namespace {

void print(const storage::purge_store::ExpiredCase& c, const char* verb) {
  std::cout << verb << " " << c.case_number << " (channel " << (c.channel_slug.empty() ? "-" : c.channel_slug)
            << ", fiscal year " << c.fiscal_year << ", " << c.status << ", closed "
            << cases::iso_date_bangkok(c.closed_at) << ", kept " << c.retention_days << " days)\n";
}

}  // namespace

// krasipd purge --data-dir DIR [--purge-journal FILE] [--dry-run]: deletes
// the closed cases whose retention is over (cases/retention/purge_service.hpp),
// announced to their channel's readers 14 days before, each journaled in
// the purge journal (default DIR/purge-journal) for `restore`; then drops the
// tracking-code hashes of cases purged longer than the grace ago. Safe
// while serve runs: each case is one short write transaction, which the
// service's writer waits for like any other (SQLite's lock, busy timeout);
// the daily timer in deploy/ runs it.
int cmd_purge(int argc, char** argv) {
  const Options opt(argc, argv, 2, {"data-dir", "pepper-file", "owner", "clock-offset-file", "purge-journal"},
                    {"dry-run"});
  auto paths = cases::DataPaths::in(opt.require("data-dir"));
  if (auto p = opt.get("pepper-file")) paths.pepper_file = *p;
  settle_identity(opt.get("owner"), paths);  // before anything is opened
  const auto secrets = cases::ServerSecrets::load(paths.pepper_file);  // the audit chain's key
  const cases::AuditLog audit(secrets.pepper);
  const cases::GovernanceMail mail(cases::AlertComposer(""));
  const cases::PurgeJournal journal(secrets.pepper, opt.get("purge-journal").value_or(paths.purge_journal.string()));
  const cases::PurgeService purge(audit, journal, paths.data_dir / "attachments", &mail);
  storage::Database db = storage::open_writer(paths.database);
  const auto clock = opt.get("clock-offset-file") ? cases::offset_clock(*opt.get("clock-offset-file"))
                                                  : cases::system_clock();
  const auto now = clock();
  const auto expired = purge.expired(db, now);
  if (opt.flag("dry-run")) {
    for (const auto& c : expired) {
      const auto why = cases::PurgeService::held_back(db, c, now);
      print(c, why.empty() ? "would purge" : ("would keep for now (" + why + ")").c_str());
    }
    std::cout << expired.size() << " closed case(s) past their channel's retention; nothing deleted (--dry-run)\n";
    return 0;
  }
  // Before anything is deleted: a purge that cannot be journaled would come
  // back with the next restore of an older backup.
  if (journal.create_if_missing()) {
    std::cout << "started the purge journal " << journal.file().string()
              << " (keep it, and copy it off the machine with the backups: README, \"Backups\")\n";
  }
  // Readers hear of a purge 14 days before it (issue 20): the cases due
  // within 14 days are announced now, and purged on a run 14 days later.
  if (const auto announced = purge.announce(db, now)) {
    std::cout << announced << " case(s) announced to their channel's readers; purged 14 days from now at the earliest\n";
  }
  std::size_t done = 0;
  for (const auto& c : purge.expired(db, now)) {
    if (const auto why = cases::PurgeService::held_back(db, c, now); !why.empty()) {
      print(c, ("kept for now (" + why + ")").c_str());
      continue;
    }
    if (!purge.purge(db, c, now)) continue;  // reopened meanwhile
    print(c, "purged");
    ++done;
  }
  // Old page images of what was deleted sit in the WAL until it is
  // emptied; secure_delete (on for every writer) zeroed them in the pages.
  // Issue 21, item 5: after the grace, a purged case's code answers as one
  // never issued.
  const auto dropped = cases::PurgeService::drop_codes(db, now);
  const bool truncated = (done == 0 && dropped == 0) || cases::PurgeService::truncate_wal(db);
  std::cout << done << " case(s) purged\n";
  if (dropped > 0) {
    std::cout << dropped << " tracking code(s) of cases purged more than "
              << storage::purge_store::purged_code_grace(db)
              << " days ago dropped: they now answer as codes never issued\n";
  }
  if (!truncated) {
    std::cout << "The write-ahead log could not be emptied yet (a reader held it); the service empties\n"
                 "it at its next checkpoint, or run purge again.\n";
    return 1;
  }
  return 0;
}

}  // namespace krasip::cli
