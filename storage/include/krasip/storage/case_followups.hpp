#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "krasip/storage/records.hpp"

namespace krasip::storage {

class Database;

struct NewMessage {
  std::int64_t case_id = 0;
  std::int64_t at = 0;
  std::string author;  // "reporter" or "investigator"
  std::optional<std::int64_t> author_user_id;
  EnvelopeRow envelope;  // field "message:<uid hex>"
};

struct NewAttachment {
  std::int64_t case_id = 0;
  Blob uid;
  std::int64_t at = 0;
  std::string author;
  std::optional<std::int64_t> author_user_id;
  std::string file_name;  // "<hex>.enc" under DATA_DIR/attachments
  std::int64_t size_bytes = 0;
  EnvelopeRow envelope;  // field "attachment:<uid hex>": the encrypted metadata
};

struct AttachmentRow {
  std::int64_t id = 0;
  Blob uid;
  std::int64_t at = 0;
  std::string author;
  std::optional<std::int64_t> author_user_id;
  std::string file_name;
  std::int64_t size_bytes = 0;
  ReadableEnvelope envelope;
};

struct FollowUpMessageRow {
  std::int64_t id = 0;
  std::int64_t at = 0;
  std::string author;
  std::optional<std::int64_t> author_user_id;
  ReadableEnvelope envelope;
};

struct CaseUsage {
  std::int64_t attachment_count = 0;
  std::int64_t attachment_bytes = 0;
};

// Follow-ups of a case: messages both ways and evidence files. Writes run
// inside the WriteQueue's transaction.
namespace case_store {

// Who a new follow-up is sealed to: case_store::complaint_readers (case_store.hpp).

// Inserts the envelope, its sealed keys and the message row; returns its id.
std::int64_t insert_message(Database& db, const NewMessage& m);
// The messages of a case sealed to this reader, oldest first, with authors.
std::vector<FollowUpMessageRow> messages_with_authors(Database& db, std::int64_t case_id,
                                                      std::int64_t reader_key_id);
std::int64_t count_messages_since(Database& db, std::int64_t case_id, const std::string& author,
                                  std::int64_t since);

std::int64_t insert_attachment(Database& db, const NewAttachment& a);
CaseUsage attachment_usage(Database& db, std::int64_t case_id);
// The attachments of a case a reader holds a key for, oldest first.
std::vector<AttachmentRow> attachments_for(Database& db, std::int64_t case_id,
                                           std::int64_t reader_key_id);
std::optional<AttachmentRow> attachment_by_uid(Database& db, std::int64_t case_id, BlobView uid,
                                               std::int64_t reader_key_id);
// Every file name referenced by a row: what the startup sweep keeps.
std::vector<std::string> attachment_file_names(Database& db);

}  // namespace case_store
}  // namespace krasip::storage
