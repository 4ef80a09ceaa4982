#include "krasip/cases/reporter/followup_service.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <boost/json.hpp>
#include <unordered_set>

#include "krasip/cases/evidence/attachment_file.hpp"
#include "krasip/cases/common/case_crypto.hpp"
#include "krasip/cases/common/case_error.hpp"
#include "krasip/cases/reporter/reporter_access.hpp"
#include "krasip/cases/common/text_rules.hpp"
#include "krasip/cases/common/thai_time.hpp"
#include "krasip/crypto/encoding.hpp"
#include "krasip/crypto/file_stream.hpp"
#include "krasip/storage/case_followups.hpp"
#include "krasip/storage/case_store.hpp"
#include "krasip/storage/reporter_code.hpp"
#include "krasip/storage/database.hpp"
#include "krasip/storage/triage_store.hpp"

namespace krasip::cases {

namespace json = boost::json;

namespace {
constexpr std::uint64_t kMiB = 1024 * 1024;

std::string mib(std::uint64_t bytes) { return std::to_string(bytes / kMiB) + " MiB"; }

// The helper failed on this file (crash, time or memory limit, nonsense):
// the reporter is told, the operator sees why, the server goes on.
[[noreturn]] void not_processed(const cleaner::HelperFailed& e, std::string_view step) {
  spdlog::warn("event=cleaner_failed step={} reason={} detail=\"{}\"", step, cleaner::to_string(e.why()),
               e.what());
  throw CaseError(ErrorCode::file_not_processed,
                  "this file could not be checked, so it was not stored; please try again, or "
                  "send it in another form (a screenshot or a fresh PDF print)",
                  "file");
}

// When the reporter writes, their slot is a key wrap (see ReporterKeys):
// takes their key pair out of `readers` and returns the wrap reader instead.
// Without a wrap key (an investigator writes), `readers` stay as they are.
std::vector<crypto::WrapReader> take_reporter_slot(std::vector<crypto::Reader>& readers,
                                                   const storage::CaseRow& c,
                                                   const crypto::SecureBytes* reporter_wrap) {
  if (reporter_wrap == nullptr) return {};
  std::erase_if(readers, [&](const crypto::Reader& r) { return r.id == c.reporter_key_id; });
  return {{c.reporter_key_id, reporter_wrap}};
}

// The reporter's slot of a record sealed outside the writer was made for
// the keys of the code in use then. Had the code been replaced meanwhile
// (CodeReplacement), the slot would open for nobody: refused instead.
void refuse_if_code_replaced(storage::Database& db, std::int64_t case_id, const storage::Blob& salt,
                             const std::string& author) {
  if (storage::case_store::reporter_salt_is(db, case_id, salt)) return;
  if (author == "reporter") {
    throw CaseError(ErrorCode::unknown_code, "no case has this tracking code", "tracking_code");
  }
  throw CaseError(ErrorCode::invalid_transition,
                  "the reporter replaced their tracking code while this was being sent: send it again");
}
}  // namespace

void validate_message_body(std::string_view body, const Limits& limits) {
  const auto len = utf8_length(body);
  if (!len) throw CaseError(ErrorCode::invalid_utf8, "body is not valid UTF-8", "body");
  if (!has_only_printable(body, true)) {
    throw CaseError(ErrorCode::invalid_field, "body contains control characters", "body");
  }
  if (*len > limits.message_max) {
    throw CaseError(ErrorCode::field_too_long,
                    "body is longer than " + std::to_string(limits.message_max) + " characters",
                    "body");
  }
  if (!has_visible_text(body)) throw CaseError(ErrorCode::missing_field, "body is required", "body");
}

MetadataNote metadata_note(bool removed) {
  if (removed) {
    return {"ระบบลบข้อมูลแฝงในไฟล์ (เช่น ตำแหน่ง GPS รุ่นและหมายเลขเครื่อง ชื่อผู้สร้างและผู้แก้ไขเอกสาร) "
            "ออกก่อนจัดเก็บแล้ว",
            "Hidden data in the file (such as GPS location, device model and serial number, the "
            "names of a document's author and editors) was removed before it was stored."};
  }
  return {"ระบบลบข้อมูลแฝงในไฟล์นี้ไม่ได้ (ไฟล์เสียหาย มีรหัสผ่าน หรือเป็นชนิดที่ลบไม่ได้) ไฟล์อาจยังมีข้อมูลที่ระบุตัวคุณได้ เช่น "
          "ชื่อผู้สร้างเอกสาร ชื่อเครื่อง หรือสถานที่บันทึก หากกังวล ให้ถ่ายภาพหน้าจอหรือพิมพ์เป็น PDF "
          "ใหม่ก่อนส่ง",
          "This file could not be cleaned (damaged, password-protected, or a type that cannot be "
          "cleaned): it may still contain information that identifies "
          "you, such as the author's name, the device or the place where it was recorded. If "
          "that worries you, send a screenshot or a fresh PDF print instead."};
}

// --- FollowUpService ------------------------------------------------------------

FollowUpService::FollowUpService(const ServerSecrets& secrets, storage::ReaderPool& pool,
                                 storage::WriteQueue& writer, std::filesystem::path attachments_dir,
                                 Limits limits, Clock clock, cleaner::HelperConfig cleaner)
    : secrets_(secrets),
      pool_(pool),
      writer_(writer),
      dir_(std::move(attachments_dir)),
      limits_(limits),
      clock_(std::move(clock)),
      cleaner_(std::move(cleaner)) {
  if (cleaner_.path.empty()) cleaner_.path = cleaner::default_helper_path();
  cleaner_.max_input = limits_.upload_max_bytes;
  // A cleaned file is never much larger than what came in (a rewritten
  // header at most); anything beyond is refused.
  cleaner_.max_output = limits_.upload_max_bytes + 1024 * 1024;
  std::filesystem::create_directories(dir_);
  // Private to the service's user. Only takes rights away: a folder the
  // operator made read-only stays so (writes then answer 503), and on a
  // read-only filesystem this cannot fail the start.
  std::error_code ec;
  std::filesystem::permissions(
      dir_, std::filesystem::perms::group_all | std::filesystem::perms::others_all,
      std::filesystem::perm_options::remove, ec);
}

std::vector<crypto::Reader> FollowUpService::readers_of(storage::Database& db,
                                                        std::int64_t case_id) {
  std::vector<crypto::Reader> out;
  for (auto& r : storage::case_store::complaint_readers(db, case_id)) {
    // An account excluded from the case keeps its old keys (its history),
    // but nothing new is sealed to it: as for investigators' messages.
    if (r.user_id && storage::triage_store::is_excluded(db, case_id, *r.user_id)) continue;
    out.push_back({r.id, std::move(r.public_key)});
  }
  if (out.empty()) throw std::runtime_error("case has no readers");
  return out;
}

void FollowUpService::post_reporter_message(std::string_view tracking_code, std::string_view body,
                                            MessageDone done) {
  validate_message_body(body, limits_);
  auto db = pool_.acquire();
  const auto opened = open_reporter_case(secrets_, *db, tracking_code);
  post_message(opened.row, "reporter", std::nullopt, body, &opened.key.wrap_key(), std::move(done));
}

void FollowUpService::post_investigator_message(const storage::CaseRow& c, std::int64_t user_id,
                                                std::string_view body, MessageDone done) {
  validate_message_body(body, limits_);
  post_message(c, "investigator", user_id, body, nullptr, std::move(done));
}

void FollowUpService::post_message(const storage::CaseRow& c, std::string author,
                                   std::optional<std::int64_t> user_id, std::string_view body,
                                   const crypto::SecureBytes* reporter_wrap, MessageDone done) {
  std::vector<crypto::Reader> readers;
  {
    auto db = pool_.acquire();
    readers = readers_of(*db, c.id);
  }
  auto row = std::make_shared<storage::NewMessage>();
  row->case_id = c.id;
  const std::int64_t now = clock_();
  // The reporter's messages keep the day only (see docs/security.md, "Times").
  row->at = author == "reporter" ? bangkok_day_start(now) : now;
  row->author = std::move(author);
  row->author_user_id = user_id;
  const auto uid = crypto::random_bytes(16);
  const auto wraps = take_reporter_slot(readers, c, reporter_wrap);
  row->envelope = seal_case_record(c.uid, "message:" + crypto::to_hex(uid), body, readers, wraps);

  auto receipt = std::make_shared<MessageReceipt>(MessageReceipt{0, row->at, row->author});
  const std::size_t per_day = limits_.messages_per_case_per_day;
  const std::int64_t today = bangkok_day_start(now);
  writer_.submit(
      [row, receipt, per_day, today, alerts = alerts_, now, salt = c.reporter_salt](storage::Database& db) {
        refuse_if_code_replaced(db, row->case_id, salt, row->author);
        // Checked on the single writer: concurrent posts cannot overshoot.
        // A Bangkok calendar day, since the reporter's messages keep no time.
        if (storage::case_store::count_messages_since(db, row->case_id, row->author, today) >=
            static_cast<std::int64_t>(per_day)) {
          throw CaseError(ErrorCode::rate_limited,
                          "too many messages for this case today (at most " +
                              std::to_string(per_day) + " a day); please try again tomorrow");
        }
        receipt->id = storage::case_store::insert_message(db, *row);
        if (alerts != nullptr && row->author == "reporter") alerts->on_reporter_activity(db, row->case_id, now);
      },
      [receipt, done = std::move(done)](std::exception_ptr error) {
        done(error, error ? MessageReceipt{} : *receipt);
      });
}

std::unique_ptr<AttachmentUpload> FollowUpService::begin_reporter_upload(
    std::string_view tracking_code) {
  auto db = pool_.acquire();
  const auto opened = open_reporter_case(secrets_, *db, tracking_code);
  return begin_upload(*db, opened.row, "reporter", std::nullopt, opened.key.wrap_key());
}

std::unique_ptr<AttachmentUpload> FollowUpService::begin_investigator_upload(
    const storage::CaseRow& c, std::int64_t user_id) {
  auto db = pool_.acquire();
  return begin_upload(*db, c, "investigator", user_id, std::nullopt);
}

AttachmentDownload FollowUpService::open_reporter_download(std::string_view tracking_code,
                                                           std::string_view attachment_id) {
  auto db = pool_.acquire();
  const auto opened = open_reporter_case(secrets_, *db, tracking_code);
  return AttachmentDownload::open(*db, dir_, opened.row, attachment_id, opened.row.reporter_key_id, opened.key);
}

std::unique_ptr<AttachmentUpload> FollowUpService::begin_upload(
    storage::Database& db, const storage::CaseRow& c, std::string author,
    std::optional<std::int64_t> user_id, std::optional<crypto::SecureBytes> reporter_wrap) {
  const auto usage = storage::case_store::attachment_usage(db, c.id);
  if (usage.attachment_count >= static_cast<std::int64_t>(limits_.attachments_per_case_max) ||
      static_cast<std::uint64_t>(usage.attachment_bytes) >= limits_.case_upload_max_bytes) {
    throw CaseError(ErrorCode::case_upload_limit,
                    "this case already holds the most files it can (" +
                        std::to_string(limits_.attachments_per_case_max) + " files, " +
                        mib(limits_.case_upload_max_bytes) + ")",
                    "file");
  }
  auto readers = readers_of(db, c.id);
  return std::unique_ptr<AttachmentUpload>(new AttachmentUpload(
      *this, c, std::move(readers), std::move(author), user_id,
      limits_.case_upload_max_bytes - static_cast<std::uint64_t>(usage.attachment_bytes),
      std::move(reporter_wrap)));
}

std::size_t FollowUpService::sweep_orphans() {
  std::unordered_set<std::string> keep;
  {
    auto db = pool_.acquire();
    for (auto& n : storage::case_store::attachment_file_names(*db)) keep.insert(std::move(n));
  }
  std::size_t removed = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir_)) {
    const std::string name = e.path().filename().string();
    if (keep.count(name) != 0) continue;
    std::error_code ec;
    if (std::filesystem::remove(e.path(), ec)) ++removed;
  }
  if (removed != 0) spdlog::warn("event=attachments_swept files={}", removed);
  return removed;
}

// --- AttachmentUpload --------------------------------------------------------------

AttachmentUpload::AttachmentUpload(FollowUpService& service, storage::CaseRow c,
                                   std::vector<crypto::Reader> readers, std::string author,
                                   std::optional<std::int64_t> author_user_id,
                                   std::uint64_t case_bytes_left,
                                   std::optional<crypto::SecureBytes> reporter_wrap)
    : service_(service),
      case_(std::move(c)),
      readers_(std::move(readers)),
      reporter_wrap_(std::move(reporter_wrap)),
      author_(std::move(author)),
      author_user_id_(author_user_id),
      case_bytes_left_(case_bytes_left),
      uid_(crypto::random_bytes(16)),
      data_key_(crypto::SecureBytes::random(crypto::kStreamKeyBytes)),
      head_(kSniffBytes),
      whole_(static_cast<std::size_t>(service.limits().upload_max_bytes)) {}

AttachmentUpload::~AttachmentUpload() = default;  // file_ (if not handed on) removes the partial file

void AttachmentUpload::begin_file(std::string_view client_file_name) {
  file_name_ = sanitise_file_name(client_file_name, service_.limits().file_name_max);
}

void AttachmentUpload::open_file() {
  const auto stream_key =
      crypto::derive_subkey(data_key_, kAttachmentStreamSubkey, kAttachmentKdfContext);
  const std::string name = crypto::to_hex(crypto::random_bytes(16)) + ".enc";
  file_ = std::make_shared<EncryptedFileWriter>(
      service_.attachments_dir(), name, stream_key,
      associated_data(case_.uid, attachment_field(uid_)) + "|file");
}

void AttachmentUpload::decide_type() {
  cleaner::HelperAnswer sniffed;
  try {
    sniffed = cleaner::sniff(service_.cleaner(), head_.view());
  } catch (const cleaner::HelperFailed& e) {
    not_processed(e, "sniff");
  }
  type_ = allowed_file_type(sniffed.mime);
  if (type_ == nullptr) {
    throw CaseError(ErrorCode::file_type_not_allowed,
                    "this type of file is not accepted (pictures, PDF, office documents, audio, "
                    "video and plain text are)",
                    "file");
  }
  clean_ = sniffed.has_cleaner;
  if (clean_) {
    whole_.append(head_.view());
  } else {
    open_file();
    file_->write(head_.view());
  }
  head_.clear();
}

void AttachmentUpload::write(std::span<const std::uint8_t> bytes) {
  if (finished_) throw std::logic_error("upload already finished");
  const auto& limits = service_.limits();
  if (bytes.size() > limits.upload_max_bytes - received_) {
    throw CaseError(ErrorCode::file_too_large,
                    "the file is larger than " + mib(limits.upload_max_bytes), "file");
  }
  if (bytes.size() > case_bytes_left_ - std::min(case_bytes_left_, received_)) {
    throw CaseError(ErrorCode::case_upload_limit,
                    "the files of this case would exceed " + mib(limits.case_upload_max_bytes),
                    "file");
  }
  received_ += bytes.size();
  if (type_ == nullptr) {
    const std::size_t take = std::min(bytes.size(), kSniffBytes - head_.size());
    head_.append(bytes.first(take));
    bytes = bytes.subspan(take);
    if (head_.size() < kSniffBytes) return;
    decide_type();
  }
  if (bytes.empty()) return;
  if (clean_) {
    whole_.append(bytes);
  } else {
    file_->write(bytes);
  }
}

void AttachmentUpload::finish(Done done) {
  if (finished_) throw std::logic_error("upload already finished");
  finished_ = true;
  if (received_ == 0) throw CaseError(ErrorCode::invalid_field, "the file is empty", "file");
  if (type_ == nullptr) decide_type();

  bool removed = false;
  cleaner::HelperAnswer cleaned;
  if (clean_) {
    open_file();
    try {
      cleaned = cleaner::sniff_and_clean(service_.cleaner(), whole_.view(), type_->mime,
                                         [this](std::span<const std::uint8_t> clean) {
                                           file_->write(clean);
                                         });
    } catch (const cleaner::HelperFailed& e) {
      file_.reset();  // removes what was written
      whole_.clear();
      not_processed(e, "clean");
    }
    removed = cleaned.cleaned;
    whole_.clear();
  } else {
    cleaned.not_cleaned_reason = "there is no cleaner for this type of file";
  }
  file_->commit();  // last chunk sealed, fsync'd, renamed, folder fsync'd

  AttachmentEntry entry;
  entry.id = crypto::to_hex(uid_);
  const std::int64_t now = service_.now();
  entry.at = author_ == "reporter" ? bangkok_day_start(now) : now;  // see post_message
  if (author_ == "reporter") {
    // The file's own times would tell the hour the database does not.
    const timespec day[2] = {{static_cast<time_t>(entry.at), 0}, {static_cast<time_t>(entry.at), 0}};
    ::utimensat(AT_FDCWD, file_->final_path().c_str(), day, 0);
  }
  entry.from = author_;
  entry.author_user_id = author_user_id_;
  entry.filename = file_name_;
  entry.content_type = std::string(type_->mime);
  entry.size = file_->plaintext_bytes();
  entry.metadata_removed = removed;
  entry.removed = std::move(cleaned.removed);
  entry.not_cleaned_reason = std::move(cleaned.not_cleaned_reason);

  const std::string field = attachment_field(uid_);
  const std::string meta = json::serialize(json::object{{"filename", entry.filename},
                                                        {"content_type", entry.content_type},
                                                        {"size", entry.size},
                                                        {"metadata_removed", removed}});
  const auto meta_key =
      crypto::derive_subkey(data_key_, kAttachmentMetadataSubkey, kAttachmentKdfContext);
  auto sealed = crypto::encrypt_record(meta_key, crypto::as_bytes(meta),
                                       associated_data(case_.uid, field));

  auto row = std::make_shared<storage::NewAttachment>();
  row->case_id = case_.id;
  row->uid = uid_;
  row->at = entry.at;
  row->author = author_;
  row->author_user_id = author_user_id_;
  row->file_name = file_->final_path().filename().string();
  row->size_bytes = static_cast<std::int64_t>(entry.size);
  row->envelope.field = field;
  row->envelope.nonce = std::move(sealed.nonce);
  row->envelope.ciphertext = std::move(sealed.ciphertext);
  auto readers = readers_;
  const auto wraps =
      take_reporter_slot(readers, case_, reporter_wrap_ ? &*reporter_wrap_ : nullptr);
  for (auto& k : crypto::seal_data_key_to(data_key_, readers, wraps)) {
    row->envelope.keys.push_back({k.reader_id, std::move(k.sealed)});
  }

  const Limits limits = service_.limits();
  auto file = file_;  // the job's completion owns the file from here on
  service_.writer().submit(
      [row, limits, after = std::move(after_insert_), alerts = service_.alerts(),
       now = service_.now(), salt = case_.reporter_salt](storage::Database& db) {
        refuse_if_code_replaced(db, row->case_id, salt, row->author);
        const auto usage = storage::case_store::attachment_usage(db, row->case_id);
        if (usage.attachment_count + 1 > static_cast<std::int64_t>(limits.attachments_per_case_max) ||
            static_cast<std::uint64_t>(usage.attachment_bytes + row->size_bytes) >
                limits.case_upload_max_bytes) {
          throw CaseError(ErrorCode::case_upload_limit,
                          "the files of this case would exceed the limit", "file");
        }
        storage::case_store::insert_attachment(db, *row);
        if (after) after(db, *row);
        if (alerts != nullptr && row->author == "reporter") alerts->on_reporter_activity(db, row->case_id, now);
      },
      [file, entry = std::move(entry), done = std::move(done)](std::exception_ptr error) mutable {
        if (error) {
          file->discard();  // no row refers to it: remove it now
        } else {
          file->keep();
        }
        done(error, error ? AttachmentEntry{} : std::move(entry));
      });
  file_.reset();
}

}  // namespace krasip::cases
