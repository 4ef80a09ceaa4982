#pragma once
#include "krasip/cases/alerts/case_alerts.hpp"
#include <cstdint>
#include <exception>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "krasip/cases/reporter/case_followups.hpp"
#include "krasip/cases/agencies/catalog.hpp"
#include "krasip/cases/evidence/file_types.hpp"
#include "krasip/cases/common/clock.hpp"
#include "krasip/cases/common/secure_buffer.hpp"
#include "krasip/cases/common/server_secrets.hpp"
#include "krasip/cleaner/client.hpp"
#include "krasip/crypto/envelope.hpp"
#include "krasip/storage/case_followups.hpp"
#include "krasip/storage/reader_pool.hpp"
#include "krasip/storage/write_queue.hpp"

namespace krasip::cases {

class EncryptedFileWriter;
class FollowUpService;

struct MessageReceipt {
  std::int64_t id = 0;
  std::int64_t at = 0;
  std::string from;
};

// Validates a message body like every other text field: UTF-8, no control
// characters but tab and new lines, not blank, at most Limits::message_max
// code points. Throws CaseError with field "body".
void validate_message_body(std::string_view body, const Limits& limits);

// Texts shown with an uploaded file: whether identifying metadata is gone.
struct MetadataNote {
  std::string_view th;
  std::string_view en;
};
MetadataNote metadata_note(bool metadata_removed);

// One evidence file arriving. Bytes go through write() as they come: the
// first 64 KiB are held (in sodium_malloc'd memory) until the krasip-cleaner
// helper has named the type (libmagic, sandboxed); then a type the helper
// has a cleaner for is held whole (bounded by the per-file limit, in
// sodium_malloc'd memory) and cleaned by a second helper at finish(), and
// anything else is encrypted straight into DATA_DIR/attachments/<hex>.enc.part.
// No parser runs in this process. A helper that crashes, overruns its time
// or memory, or answers nonsense costs this upload only: CaseError
// file_not_processed.
// Limits are enforced as bytes arrive. Destroying an unfinished upload
// removes its partial file: nothing is left behind by an error, a timeout or
// a disconnect.
class AttachmentUpload {
 public:
  using Done = std::function<void(std::exception_ptr, AttachmentEntry)>;

  AttachmentUpload(const AttachmentUpload&) = delete;
  AttachmentUpload& operator=(const AttachmentUpload&) = delete;
  ~AttachmentUpload();

  // The file name the client gave (sanitised here; never stored in clear).
  void begin_file(std::string_view client_file_name);
  // Throws CaseError file_too_large, case_upload_limit or file_type_not_allowed.
  void write(std::span<const std::uint8_t> bytes);
  // Cleans (in the helper; blocks up to its timeout, so call it off the
  // I/O threads), seals the last chunk, fsyncs, and hands the row to the
  // writer. `done` runs on the writer thread once the row is committed (the
  // file is then kept) or with the error (the file is then removed). Throws
  // CaseError synchronously for an empty or disallowed file.
  void finish(Done done);

  std::uint64_t received_bytes() const { return received_; }

  // Runs in the writer's transaction right after the row is inserted (an
  // audit entry that commits with it, or with nothing). Set before finish().
  using AfterInsert = std::function<void(storage::Database&, const storage::NewAttachment&)>;
  void after_insert(AfterInsert fn) { after_insert_ = std::move(fn); }

 private:
  friend class FollowUpService;
  AttachmentUpload(FollowUpService& service, storage::CaseRow c,
                   std::vector<crypto::Reader> readers, std::string author,
                   std::optional<std::int64_t> author_user_id, std::uint64_t case_bytes_left,
                   std::optional<crypto::SecureBytes> reporter_wrap);
  void decide_type();
  void open_file();

  FollowUpService& service_;
  storage::CaseRow case_;
  std::vector<crypto::Reader> readers_;
  // Set when the reporter uploads: their slot is a key wrap (see ReporterKeys).
  std::optional<crypto::SecureBytes> reporter_wrap_;
  std::string author_;
  std::optional<std::int64_t> author_user_id_;
  std::uint64_t case_bytes_left_;
  std::uint64_t received_ = 0;
  std::string file_name_ = "file";
  storage::Blob uid_;
  crypto::SecureBytes data_key_;
  SecureBuffer head_;
  SecureBuffer whole_;      // the file, when it is to be cleaned
  bool clean_ = false;      // the helper has a cleaner for its type
  const FileType* type_ = nullptr;
  std::shared_ptr<EncryptedFileWriter> file_;
  bool finished_ = false;
  AfterInsert after_insert_;
};

// Reporter follow-ups with the tracking code alone, and the shared code
// path investigators' replies and uploads go through.
class FollowUpService {
 public:
  FollowUpService(const ServerSecrets& secrets, storage::ReaderPool& pool,
                  storage::WriteQueue& writer, std::filesystem::path attachments_dir,
                  Limits limits, Clock clock, cleaner::HelperConfig cleaner = {});

  using MessageDone = std::function<void(std::exception_ptr, MessageReceipt)>;

  // Throws CaseError (code, body) synchronously; `done` runs on the writer
  // thread after the commit, or with the error (rate_limited, storage).
  void post_reporter_message(std::string_view tracking_code, std::string_view body,
                             MessageDone done);
  // For the investigator endpoint (POST /api/v1/cases/{n}/messages): the
  // lead passes the case row it has already authorised and the user id.
  void post_investigator_message(const storage::CaseRow& c, std::int64_t user_id,
                                 std::string_view body, MessageDone done);

  // Checks the code (CaseError malformed_code/unknown_code) and the case's
  // remaining quota (case_upload_limit) before any file byte is accepted.
  std::unique_ptr<AttachmentUpload> begin_reporter_upload(std::string_view tracking_code);
  std::unique_ptr<AttachmentUpload> begin_investigator_upload(const storage::CaseRow& c,
                                                              std::int64_t user_id);

  // A file of the case opened with the tracking code for the reporter to
  // download: theirs or one the investigators sent them (issue 13, item 5).
  // CaseError not_found for an id their key does not open.
  AttachmentDownload open_reporter_download(std::string_view tracking_code, std::string_view attachment_id);

  // Removes files under the attachments folder that no row refers to
  // (leftovers of a crash mid-upload). Call before serving. Returns how many.
  std::size_t sweep_orphans();

  const std::filesystem::path& attachments_dir() const { return dir_; }
  const Limits& limits() const { return limits_; }
  const cleaner::HelperConfig& cleaner() const { return cleaner_; }
  std::int64_t now() const { return clock_(); }
  storage::WriteQueue& writer() { return writer_; }
  // A reporter's message or file puts alert mails in the outbox in its own
  // transaction (null: none). Set before serving.
  void set_alerts(const CaseAlerts* alerts) { alerts_ = alerts; }
  const CaseAlerts* alerts() const { return alerts_; }

 private:
  const CaseAlerts* alerts_ = nullptr;
  void post_message(const storage::CaseRow& c, std::string author,
                    std::optional<std::int64_t> user_id, std::string_view body,
                    const crypto::SecureBytes* reporter_wrap, MessageDone done);
  std::unique_ptr<AttachmentUpload> begin_upload(storage::Database& db, const storage::CaseRow& c,
                                                 std::string author,
                                                 std::optional<std::int64_t> user_id,
                                                 std::optional<crypto::SecureBytes> reporter_wrap);
  std::vector<crypto::Reader> readers_of(storage::Database& db, std::int64_t case_id);

  const ServerSecrets& secrets_;
  storage::ReaderPool& pool_;
  storage::WriteQueue& writer_;
  std::filesystem::path dir_;
  Limits limits_;
  Clock clock_;
  cleaner::HelperConfig cleaner_;
};

}  // namespace krasip::cases
