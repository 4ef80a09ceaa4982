#pragma once
#include <cstdint>
#include <filesystem>
#include <vector>

#include "krasip/cases/audit/audit_log.hpp"
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
// a case.purge entry. Its evidence files are unlinked after the commit and
// the folder fsync'd: a crash between leaves files whose keys are gone.
class PurgeService {
 public:
  PurgeService(const AuditLog& audit, std::filesystem::path attachments_dir)
      : audit_(audit), attachments_dir_(std::move(attachments_dir)) {}

  std::vector<storage::purge_store::ExpiredCase> expired(storage::Database& db, std::int64_t now) const;

  // Purges one listed case, in its own short write transaction (the
  // service keeps taking complaints meanwhile). False if it is no longer
  // expired (reopened, or purged by another run) when the transaction
  // starts. Returns after its files are unlinked.
  bool purge(storage::Database& db, const storage::purge_store::ExpiredCase& c, std::int64_t now) const;

  // Moves the WAL into the database and truncates it to nothing, so the
  // deleted records' old pages no longer sit in krasip.db-wal. Retries
  // while another connection still reads an older snapshot; false if one
  // still did at the end (the next run, or the service's own checkpoint at
  // shutdown, finishes it).
  static bool truncate_wal(storage::Database& db);

 private:
  const AuditLog& audit_;
  std::filesystem::path attachments_dir_;
};

}  // namespace krasip::cases
