#include "krasip/cases/reporter/case_followups.hpp"

#include <boost/json.hpp>

#include "krasip/cases/evidence/attachment_file.hpp"
#include "krasip/cases/common/case_crypto.hpp"
#include "krasip/cases/common/case_error.hpp"
#include "krasip/crypto/encoding.hpp"
#include "krasip/crypto/envelope.hpp"
#include "krasip/crypto/file_stream.hpp"
#include "krasip/storage/case_followups.hpp"
#include "krasip/storage/case_store.hpp"

namespace krasip::cases {

namespace json = boost::json;

namespace {

struct OpenedAttachment {
  AttachmentEntry entry;
  crypto::SecureBytes data_key;
};

OpenedAttachment open_attachment(const storage::AttachmentRow& a, const storage::CaseRow& c,
                                 KeyOpener reader) {
  OpenedAttachment out{{}, reader.open(a.envelope.sealed_key)};
  const auto meta_key = crypto::derive_subkey(out.data_key, kAttachmentMetadataSubkey,
                                              kAttachmentKdfContext);
  const auto plain = crypto::decrypt_record(meta_key, a.envelope.nonce, a.envelope.ciphertext,
                                            associated_data(c.uid, a.envelope.field));
  const auto meta =
      json::parse(std::string_view(reinterpret_cast<const char*>(plain.data()), plain.size()))
          .as_object();
  auto& e = out.entry;
  e.id = crypto::to_hex(a.uid);
  e.at = a.at;
  e.from = a.author;
  e.author_user_id = a.author_user_id;
  e.filename = std::string(meta.at("filename").as_string());
  e.content_type = std::string(meta.at("content_type").as_string());
  e.size = meta.at("size").to_number<std::uint64_t>();
  e.metadata_removed = meta.at("metadata_removed").as_bool();
  return out;
}

std::optional<storage::Blob> parse_uid(std::string_view hex) {
  if (hex.size() != 32) return std::nullopt;
  storage::Blob out(16);
  for (std::size_t i = 0; i < 16; ++i) {
    int v = 0;
    for (int k = 0; k < 2; ++k) {
      const char ch = hex[2 * i + static_cast<std::size_t>(k)];
      int d;
      if (ch >= '0' && ch <= '9') {
        d = ch - '0';
      } else if (ch >= 'a' && ch <= 'f') {
        d = ch - 'a' + 10;
      } else {
        return std::nullopt;
      }
      v = v * 16 + d;
    }
    out[i] = static_cast<std::uint8_t>(v);
  }
  return out;
}

}  // namespace

std::string attachment_field(storage::BlobView attachment_uid) {
  return "attachment:" + crypto::to_hex(attachment_uid);
}

std::vector<MessageEntry> read_messages(storage::Database& db, const storage::CaseRow& c,
                                        std::int64_t reader_key_id, KeyOpener reader) {
  std::vector<MessageEntry> out;
  for (const auto& m : storage::case_store::messages_with_authors(db, c.id, reader_key_id)) {
    out.push_back({m.id, m.at, m.author, m.author_user_id, open_case_record(m.envelope, c.uid, reader)});
  }
  return out;
}

std::vector<AttachmentEntry> read_attachments(storage::Database& db, const storage::CaseRow& c,
                                              std::int64_t reader_key_id,
                                              KeyOpener reader) {
  std::vector<AttachmentEntry> out;
  for (const auto& a : storage::case_store::attachments_for(db, c.id, reader_key_id)) {
    out.push_back(open_attachment(a, c, reader).entry);
  }
  return out;
}

AttachmentDownload AttachmentDownload::open(storage::Database& db,
                                            const std::filesystem::path& attachments_dir,
                                            const storage::CaseRow& c,
                                            std::string_view attachment_id,
                                            std::int64_t reader_key_id,
                                            KeyOpener reader) {
  const auto uid = parse_uid(attachment_id);
  std::optional<storage::AttachmentRow> row;
  if (uid) row = storage::case_store::attachment_by_uid(db, c.id, *uid, reader_key_id);
  if (!row) throw CaseError(ErrorCode::not_found, "no such attachment");
  auto opened = open_attachment(*row, c, reader);
  const auto stream_key = crypto::derive_subkey(opened.data_key, kAttachmentStreamSubkey,
                                                kAttachmentKdfContext);
  auto file = std::make_unique<EncryptedFileReader>(
      attachments_dir / row->file_name, stream_key,
      associated_data(c.uid, row->envelope.field) + "|file");
  return AttachmentDownload(std::move(opened.entry), std::move(file));
}

AttachmentDownload::AttachmentDownload(AttachmentEntry info,
                                       std::unique_ptr<EncryptedFileReader> reader)
    : info_(std::move(info)), reader_(std::move(reader)) {}
AttachmentDownload::AttachmentDownload(AttachmentDownload&&) noexcept = default;
AttachmentDownload& AttachmentDownload::operator=(AttachmentDownload&&) noexcept = default;
AttachmentDownload::~AttachmentDownload() = default;

std::optional<std::span<const std::uint8_t>> AttachmentDownload::next_chunk() {
  return reader_->next();
}

}  // namespace krasip::cases
