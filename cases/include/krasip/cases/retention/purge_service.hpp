#pragma once
#include <cstdint>
#include <filesystem>
#include <vector>

#include "krasip/cases/alerts/governance_mail.hpp"
#include "krasip/cases/audit/audit_log.hpp"
#include "krasip/cases/retention/purge_journal.hpp"
#include "krasip/storage/purge_store.hpp"

namespace krasip::storage {
class Database;
}

namespace krasip::cases {

// Retention by crypto-shredding (issue 13, item 6). A case closed longer
// ago than its channel's retention_days loses, in one transaction, every
// key sealed to its records, its envelopes, messages, notes, history and
// file rows, and the reporter's salt and key; its `cases` row stays as the
// tombstone (docs/security.md, "Retention"). The agency's audit chain gets
// a case.purge entry whose detail is sealed (purge_record_readers), and the
// purge journal a line (purge_journal.hpp). Its evidence files are unlinked
// after the commit and the folder fsync'd: a crash between leaves files
// whose keys are gone.
//
// Issue 21, item 5: the tombstone's code_hash is replaced by random bytes
// once the deployment's grace (default 365 days) has passed since the
// purge (drop_codes, run daily): until then the code answers "purged",
// afterwards as a code never issued.
//
// No quiet destruction (issue 20, item 4): the channel's readers are mailed
// kPurgeNoticeDays before a case is purged (the purge waits for that), and a
// case whose channel changed in the last kChannelQuietDays is not purged
// yet: a change of readers or retention cannot be followed at once by the
// loss of what the new readers would have seen.
inline constexpr std::int64_t kPurgeNoticeDays = 14;
inline constexpr std::int64_t kChannelQuietDays = 30;

class PurgeService {
 public:
  PurgeService(const AuditLog& audit, const PurgeJournal& journal, std::filesystem::path attachments_dir,
               const GovernanceMail* mail = nullptr)
      : audit_(audit), journal_(journal), attachments_dir_(std::move(attachments_dir)), mail_(mail) {}

  std::vector<storage::purge_store::ExpiredCase> expired(storage::Database& db, std::int64_t now) const;

  // Mails the readers of every channel with cases that expire within
  // kPurgeNoticeDays and were not yet announced, and marks them announced
  // (one transaction). Returns how many cases were announced.
  std::size_t announce(storage::Database& db, std::int64_t now) const;
  // Why an expired case is not purged now: "" when it may be.
  static std::string held_back(storage::Database& db, const storage::purge_store::ExpiredCase& c, std::int64_t now);

  // Purges one listed case, in its own short write transaction (the
  // service keeps taking complaints meanwhile). False if it is no longer
  // expired (reopened, or purged by another run) when the transaction
  // starts. Returns after its files are unlinked.
  bool purge(storage::Database& db, const storage::purge_store::ExpiredCase& c, std::int64_t now) const;

  // After a restore: purges again every case of `db` not purged that the
  // journal names (whatever its status: it was purged once), as of the
  // journal's day, then drops the codes whose grace has passed; one
  // transaction, then the files are unlinked. Returns how many.
  std::size_t purge_again(storage::Database& db, const std::vector<PurgeJournal::Entry>& entries,
                          std::int64_t now) const;

  // Drops the tracking-code hashes of cases purged longer than the grace
  // ago (storage::purge_store::drop_codes), in one transaction.
  static std::int64_t drop_codes(storage::Database& db, std::int64_t now);

  // Moves the WAL into the database and truncates it to nothing, so the
  // deleted records' old pages no longer sit in krasip.db-wal. Retries
  // while another connection still reads an older snapshot; false if one
  // still did at the end (the next run, or the service's own checkpoint at
  // shutdown, finishes it).
  static bool truncate_wal(storage::Database& db);

 private:
  // Shreds the case (purged as of `purged_at`) and appends its sealed
  // case.purge entry, at `now`. Returns the files to unlink.
  std::vector<std::string> shred_and_record(storage::Database& db, const storage::purge_store::ExpiredCase& e,
                                            std::int64_t purged_at, std::int64_t now, bool again) const;

  const AuditLog& audit_;
  const PurgeJournal& journal_;
  std::filesystem::path attachments_dir_;
  const GovernanceMail* mail_;
};

}  // namespace krasip::cases
