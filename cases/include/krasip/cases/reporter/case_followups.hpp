#pragma once
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "krasip/cases/common/case_crypto.hpp"
#include "krasip/crypto/key_pair.hpp"
#include "krasip/storage/records.hpp"

namespace krasip::storage {
class Database;
}

namespace krasip::cases {

class EncryptedFileReader;

// Follow-ups of a case as one reader sees them, decrypted with that
// reader's key. The same functions serve the reporter (key derived from the
// tracking code), an investigator (key unwrapped at login) and the recovery
// key; entries sealed to other keys only are left out.

struct MessageEntry {
  std::int64_t id = 0;
  std::int64_t at = 0;
  std::string from;  // "reporter" or "investigator"
  std::optional<std::int64_t> author_user_id;
  std::string body;
};

struct AttachmentEntry {
  std::string id;  // 32 hex digits, random: safe to put in a URL
  std::int64_t at = 0;
  std::string from;
  std::optional<std::int64_t> author_user_id;
  std::string filename;  // sanitised at upload
  std::string content_type;  // from the content (libmagic), canonical
  std::uint64_t size = 0;    // bytes as stored (after cleaning)
  bool metadata_removed = false;
  // At upload only (not stored): what the cleaner took out ("EXIF GPS"),
  // or why the file could not be cleaned.
  std::vector<std::string> removed;
  std::string not_cleaned_reason;
};

std::vector<MessageEntry> read_messages(storage::Database& db, const storage::CaseRow& c,
                                        std::int64_t reader_key_id, KeyOpener reader);

std::vector<AttachmentEntry> read_attachments(storage::Database& db, const storage::CaseRow& c,
                                              std::int64_t reader_key_id,
                                              KeyOpener reader);

// One evidence file opened for streaming decryption: a download never holds
// the whole file in memory. For GET /api/v1/cases/{n}/attachments/{id}:
//   auto dl = AttachmentDownload::open(db, dir, case_row, id, user.key_id, user.key);
//   set Content-Type / Content-Length / Content-Disposition from dl.info();
//   while (auto chunk = dl.next_chunk()) write *chunk;   // 64 KiB at a time
// Throws CaseError not_found for an unknown id or one this reader has no
// key for, crypto::DecryptError if the file was tampered with or truncated
// (the body must then be aborted: the bytes sent so far are authentic).
class AttachmentDownload {
 public:
  static AttachmentDownload open(storage::Database& db,
                                 const std::filesystem::path& attachments_dir,
                                 const storage::CaseRow& c, std::string_view attachment_id,
                                 std::int64_t reader_key_id, KeyOpener reader);
  AttachmentDownload(AttachmentDownload&&) noexcept;
  AttachmentDownload& operator=(AttachmentDownload&&) noexcept;
  ~AttachmentDownload();

  const AttachmentEntry& info() const { return info_; }
  // The next decrypted chunk (valid until the next call), nullopt at the end.
  std::optional<std::span<const std::uint8_t>> next_chunk();

 private:
  AttachmentDownload(AttachmentEntry info, std::unique_ptr<EncryptedFileReader> reader);
  AttachmentEntry info_;
  std::unique_ptr<EncryptedFileReader> reader_;
};

// The associated data and subkeys of attachment `uid` in case `case_uid`.
// The random data key is sealed to the readers like any envelope key; from
// it crypto_kdf derives subkey 1 (metadata record, XChaCha20-Poly1305) and
// subkey 2 (file stream, secretstream), context "KrspAttc".
std::string attachment_field(storage::BlobView attachment_uid);
inline constexpr std::string_view kAttachmentKdfContext = "KrspAttc";
inline constexpr std::uint64_t kAttachmentMetadataSubkey = 1;
inline constexpr std::uint64_t kAttachmentStreamSubkey = 2;

}  // namespace krasip::cases
