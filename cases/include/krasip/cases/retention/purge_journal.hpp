#pragma once
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "krasip/crypto/secure_bytes.hpp"
#include "krasip/storage/records.hpp"

namespace krasip::cases {

// A purge journal that cannot be read, written or trusted. The message
// names the file (and the line, for a damaged one).
class PurgeJournalError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The purge journal (issue 21, item 5): one line per purged case, kept
// outside what a backup holds, so that `krasipd restore` of an older backup
// purges again the cases purged after it. Default place: the data folder's
// `purge-journal` (DataPaths), which `krasipd backup` never copies and
// `restore` leaves where it is.
//
// A line holds what purging again needs and nothing more: the case's name
// in the journal, a hash of its uid keyed with a key derived from the
// pepper (so the journal next to a stolen backup does not say which of its
// cases were purged later, nor link to the tombstones without the pepper),
// and the day of the purge (00:00 Bangkok), so that a case purged again
// keeps the date its reporter was told and its code's grace ends when it
// would have. No case number, no time of day.
//
//   krasip-purge-journal 1
//   <64 hex digits> <YYYY-MM-DD>
class PurgeJournal {
 public:
  static constexpr const char* kHeader = "krasip-purge-journal 1";

  struct Entry {
    storage::Blob name;     // the keyed hash of the case's uid
    std::int64_t day = 0;   // 00:00 Bangkok of the purge's day
  };

  PurgeJournal(const crypto::SecureBytes& pepper, std::filesystem::path file);

  const std::filesystem::path& file() const { return file_; }

  // The journal's name for a case.
  storage::Blob name_of(storage::BlobView case_uid) const;

  // Makes the journal (its header only, mode 0600, its folder fsync'd) if
  // there is none; true if it made it. Throws if it cannot.
  bool create_if_missing() const;

  // Appends the case's line and flushes it to disk (fsync) before it
  // returns: the purge calls it inside its transaction, before the commit,
  // so a purge on disk is always in the journal (a crash between leaves a
  // line for a case the next run purges anyway). A line left half-written
  // by a crash is cut off first. Throws PurgeJournalError.
  void append(storage::BlobView case_uid, std::int64_t purged_at) const;

  // Reads a journal: PurgeJournalError naming the file if it is missing,
  // unreadable or damaged (a last line without its newline is a write that
  // never finished, and is skipped).
  static std::vector<Entry> read(const std::filesystem::path& file);

 private:
  crypto::SecureBytes key_;
  std::filesystem::path file_;
};

}  // namespace krasip::cases
