#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "krasip/storage/records.hpp"

namespace krasip::storage {

class Database;

// A one-time enrolment (schema 18): the owner of a new account, or of one
// being re-enrolled (user_id set), sets their own password and TOTP from a
// link only they should hold. Only a keyed hash of the link's token is kept.
struct EnrolmentRow {
  std::int64_t id = 0;
  std::int64_t agency_id = 0;
  std::optional<std::int64_t> user_id;  // re-enrolment of this account
  std::string username;
  std::string display_name;
  bool custodian = false;
  bool admin = false;
  std::optional<std::int64_t> created_by;
  std::int64_t created_at = 0;
  std::int64_t expires_at = 0;
  std::optional<std::int64_t> used_at;
};

namespace enrolment_store {

std::int64_t insert(Database& db, const EnrolmentRow& e, BlobView token_hash);
std::optional<EnrolmentRow> find(Database& db, std::int64_t id);
std::optional<EnrolmentRow> find_by_token(Database& db, BlobView token_hash);
// An unused, unexpired enrolment reserving the name, or re-enrolling the account.
std::optional<EnrolmentRow> open_for_username(Database& db, const std::string& username, std::int64_t now);
std::optional<EnrolmentRow> open_for_user(Database& db, std::int64_t user_id, std::int64_t now);
std::vector<EnrolmentRow> open_in(Database& db, std::int64_t agency_id, std::int64_t now);
// A new link for the same enrolment: the previous one stops working.
void replace_token(Database& db, std::int64_t id, BlobView token_hash, std::int64_t expires_at);
void mark_used(Database& db, std::int64_t id, std::int64_t at);

}  // namespace enrolment_store
}  // namespace krasip::storage
