#include "krasip/storage/case_followups.hpp"

#include "krasip/storage/case_store.hpp"
#include "krasip/storage/database.hpp"

namespace krasip::storage::case_store {

namespace {

constexpr const char* kAttachmentSelect =
    "SELECT a.id, a.uid, a.at, a.author, a.author_user_id, a.file_name, a.size_bytes,"
    " e.id, e.field, e.nonce, e.ciphertext, k.sealed_key"
    " FROM attachments a JOIN envelopes e ON e.id = a.envelope_id"
    " JOIN envelope_keys k ON k.envelope_id = e.id AND k.reader_key_id = ?";

AttachmentRow read_attachment(const Statement& st) {
  AttachmentRow r;
  r.id = st.get_int(0);
  r.uid = st.get_blob(1);
  r.at = st.get_int(2);
  r.author = st.get_text(3);
  r.author_user_id = st.get_optional_int(4);
  r.file_name = st.get_text(5);
  r.size_bytes = st.get_int(6);
  r.envelope = ReadableEnvelope{st.get_int(7), st.get_text(8), st.get_blob(9), st.get_blob(10),
                                st.get_blob(11)};
  return r;
}

}  // namespace

std::int64_t insert_message(Database& db, const NewMessage& m) {
  const std::int64_t envelope_id = insert_envelope(db, m.case_id, m.envelope, m.at);
  auto st = db.cached(
      "INSERT INTO messages (id, case_id, at, author, author_user_id, envelope_id, ord)"
      " VALUES (random() & 0x3FFFFFFFFFFFFFFF, ?1, ?2, ?3, ?4, ?5,"
      " (SELECT COALESCE(MAX(ord), 0) + 1 FROM messages WHERE case_id = ?1))");
  st->bind(1, m.case_id).bind(2, m.at).bind(3, m.author).bind(4, m.author_user_id);
  st->bind(5, envelope_id);
  st->run();
  return db.last_insert_rowid();
}

std::vector<FollowUpMessageRow> messages_with_authors(Database& db, std::int64_t case_id,
                                                      std::int64_t reader_key_id) {
  auto st = db.cached(
      "SELECT m.id, m.at, m.author, m.author_user_id, e.id, e.field, e.nonce, e.ciphertext,"
      " k.sealed_key FROM messages m JOIN envelopes e ON e.id = m.envelope_id"
      " JOIN envelope_keys k ON k.envelope_id = e.id AND k.reader_key_id = ?"
      " WHERE m.case_id = ? ORDER BY m.ord");
  st->bind(1, reader_key_id).bind(2, case_id);
  std::vector<FollowUpMessageRow> out;
  while (st->step()) {
    out.push_back({st->get_int(0), st->get_int(1), st->get_text(2), st->get_optional_int(3),
                   ReadableEnvelope{st->get_int(4), st->get_text(5), st->get_blob(6),
                                    st->get_blob(7), st->get_blob(8)}});
  }
  return out;
}

std::int64_t count_messages_since(Database& db, std::int64_t case_id, const std::string& author,
                                  std::int64_t since) {
  auto st = db.cached("SELECT count(*) FROM messages WHERE case_id = ? AND author = ? AND at >= ?");
  st->bind(1, case_id).bind(2, author).bind(3, since);
  return st->step() ? st->get_int(0) : 0;
}

std::int64_t insert_attachment(Database& db, const NewAttachment& a) {
  const std::int64_t envelope_id = insert_envelope(db, a.case_id, a.envelope, a.at);
  auto st = db.cached(
      "INSERT INTO attachments (id, case_id, uid, at, author, author_user_id, envelope_id, file_name,"
      " size_bytes, ord) VALUES (random() & 0x3FFFFFFFFFFFFFFF, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
      " (SELECT COALESCE(MAX(ord), 0) + 1 FROM attachments WHERE case_id = ?1))");
  st->bind(1, a.case_id).bind(2, a.uid).bind(3, a.at).bind(4, a.author);
  st->bind(5, a.author_user_id).bind(6, envelope_id).bind(7, a.file_name).bind(8, a.size_bytes);
  st->run();
  return db.last_insert_rowid();
}

CaseUsage attachment_usage(Database& db, std::int64_t case_id) {
  auto st = db.cached(
      "SELECT count(*), COALESCE(SUM(size_bytes), 0) FROM attachments WHERE case_id = ?");
  st->bind(1, case_id);
  if (!st->step()) return {};
  return {st->get_int(0), st->get_int(1)};
}

std::vector<AttachmentRow> attachments_for(Database& db, std::int64_t case_id,
                                           std::int64_t reader_key_id) {
  static const std::string sql =
      std::string(kAttachmentSelect) + " WHERE a.case_id = ? ORDER BY a.ord";
  auto st = db.cached(sql.c_str());
  st->bind(1, reader_key_id).bind(2, case_id);
  std::vector<AttachmentRow> out;
  while (st->step()) out.push_back(read_attachment(*st));
  return out;
}

std::optional<AttachmentRow> attachment_by_uid(Database& db, std::int64_t case_id, BlobView uid,
                                               std::int64_t reader_key_id) {
  static const std::string sql =
      std::string(kAttachmentSelect) + " WHERE a.case_id = ? AND a.uid = ?";
  auto st = db.cached(sql.c_str());
  st->bind(1, reader_key_id).bind(2, case_id).bind(3, uid);
  if (!st->step()) return std::nullopt;
  return read_attachment(*st);
}

std::vector<std::string> attachment_file_names(Database& db) {
  auto st = db.cached("SELECT file_name FROM attachments");
  std::vector<std::string> out;
  while (st->step()) out.push_back(st->get_text(0));
  return out;
}

}  // namespace krasip::storage::case_store
