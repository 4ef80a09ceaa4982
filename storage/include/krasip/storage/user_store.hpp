#pragma once
#include <optional>
#include <string>
#include <vector>

#include "krasip/storage/records.hpp"

namespace krasip::storage {

class Database;

struct UserRow {
  std::int64_t id = 0;
  std::string username;
  std::string display_name;
  bool is_custodian = false;
  bool is_admin = false;
  std::int64_t key_id = 0;
  Blob public_key;
  Blob wrap_salt;
  Blob wrap_nonce;
  Blob wrapped_secret;
  std::int64_t pwhash_ops = 0;
  std::int64_t pwhash_mem = 0;
  Blob totp_sealed;
  std::int64_t totp_last_counter = 0;
  std::optional<std::int64_t> disabled_at;
  std::int64_t agency_id = 1;  // usernames are unique in the deployment; an account is of one agency
  // When its current key was made (account created or re-enrolled) and when
  // it was last given a role (schema 18): an account new to its powers is
  // not a "second person" (cases/governance).
  std::int64_t key_created_at = 0;
  std::int64_t roles_at = 0;
};

struct WrappedKeyRow {
  Blob salt;
  Blob nonce;
  Blob ciphertext;
  std::int64_t ops = 0;
  std::int64_t mem = 0;
};

// Investigator accounts. Secret keys are stored only wrapped (see crypto).
namespace user_store {

std::optional<UserRow> find_by_username(Database& db, const std::string& username);
std::optional<UserRow> find_by_id(Database& db, std::int64_t id);
// One agency's accounts.
std::vector<UserRow> list(Database& db, std::int64_t agency_id);

void set_totp(Database& db, std::int64_t user_id, BlobView sealed_secret);
// Records the last TOTP step used; refuses (returns false) a step not newer
// than the last one, so a code cannot be replayed.
bool advance_totp_counter(Database& db, std::int64_t user_id, std::int64_t counter);
void set_wrapped_key(Database& db, std::int64_t user_id, const WrappedKeyRow& wrapped);
// A fresh key pair after a forgotten password: the old key is retired.
void replace_key(Database& db, std::int64_t user_id, BlobView public_key,
                 const WrappedKeyRow& wrapped, std::int64_t now);
void set_disabled(Database& db, std::int64_t user_id, std::optional<std::int64_t> at);
void set_roles(Database& db, std::int64_t user_id, bool custodian, bool admin, std::int64_t at);

}  // namespace user_store
}  // namespace krasip::storage
