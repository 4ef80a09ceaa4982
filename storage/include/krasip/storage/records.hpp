#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "krasip/storage/statement.hpp"

namespace krasip::storage {

struct SealedKeyRow {
  std::int64_t reader_key_id;
  Blob sealed;
};

// Placeholder reader id inside a NewCase: "the reporter key of this case",
// whose row id exists only once the case is inserted.
inline constexpr std::int64_t kThisCaseReporter = 0;

struct EnvelopeRow {
  std::string field;
  Blob nonce;
  Blob ciphertext;
  std::vector<SealedKeyRow> keys;
};

struct NewCase {
  Blob uid;
  int fiscal_year = 0;
  Blob code_hash;
  Blob reporter_salt;
  Blob reporter_public_key;
  std::string category;
  bool has_identity = false;
  std::int64_t received_at = 0;
  std::int64_t channel_id = 0;
  std::string source = "web";  // web, counter, phone, letter, email (schema 16)
  std::vector<EnvelopeRow> envelopes;
};

struct CaseRow {
  std::int64_t id = 0;
  Blob uid;
  std::string case_number;
  int fiscal_year = 0;
  std::string status;
  std::string priority;
  std::string category;
  std::optional<std::int64_t> assignee_id;
  bool has_identity = false;
  std::int64_t received_at = 0;
  std::int64_t updated_at = 0;
  Blob reporter_salt;
  std::int64_t reporter_key_id = 0;
  std::optional<std::int64_t> acknowledged_at;
  std::optional<std::int64_t> first_reply_at;
  std::optional<std::int64_t> outcome_at;
  std::optional<std::int64_t> channel_id;  // NULL only before migration 6 ran
  std::int64_t agency_id = 1;               // the channel's agency (schema 10)
  std::string source = "web";               // how the complaint came (schema 16)
};

// One envelope as a given reader sees it: the ciphertext and the data key
// sealed to that reader.
struct ReadableEnvelope {
  std::int64_t id = 0;
  std::string field;
  Blob nonce;
  Blob ciphertext;
  Blob sealed_key;
};

struct EventRow {
  std::int64_t at = 0;
  std::string kind;
  std::optional<std::string> status;
};

struct MessageRow {
  std::int64_t id = 0;
  std::int64_t at = 0;
  std::string author;
  ReadableEnvelope envelope;
};

struct ReaderKeyRow {
  std::int64_t id = 0;
  std::string kind;
  Blob public_key;
  std::optional<std::int64_t> user_id;
  bool is_custodian = false;
};

struct AgencyRow {
  std::string name_th;
  std::string name_en;
  std::string case_prefix;
  std::string slug{};  // empty: lower(case_prefix) when valid, else "agency-<id>"
  std::int64_t id = 1;
  // The supervising agency (issue 11): its accounts may be named in this
  // agency's channels.
  std::optional<std::int64_t> parent_id{};
  std::string origins{};  // https origins allowed to frame the pages, one per line
  std::optional<std::int64_t> disabled_at{};  // intake closed; staff still read
  // Its own service standards in days (NULL: the deployment's, `serve
  // --ack-days` etc.) and category codes, comma-separated (NULL: all).
  std::optional<std::int64_t> ack_days{};
  std::optional<std::int64_t> reply_days{};
  std::optional<std::int64_t> outcome_days{};
  std::optional<std::string> categories{};
  std::string logo_type{};  // empty: no logo (the bytes are read only by agency_logo)
};

struct NewUser {
  std::string username;
  std::string display_name;
  bool is_custodian = false;
  bool is_admin = false;
  Blob public_key;
  Blob wrap_salt;
  Blob wrap_nonce;
  Blob wrapped_secret;
  std::int64_t pwhash_ops = 0;
  std::int64_t pwhash_mem = 0;
  std::int64_t created_at = 0;
  std::int64_t agency_id = 0;  // 0: the column's default (agency 1; schemas before 10)
};

}  // namespace krasip::storage
