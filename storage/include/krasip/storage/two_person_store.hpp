#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "krasip/storage/records.hpp"

namespace krasip::storage {

class Database;

// A request to see a case's identity in a two-person channel (schema 9).
// state: pending, approved (sealed_key holds the identity's data key for
// the asker's key), refused, viewed (used once), revoked.
struct IdentityRequestRow {
  std::int64_t id = 0;
  std::int64_t case_id = 0;
  std::int64_t requested_by = 0;
  std::string requested_by_username;
  std::int64_t at = 0;
  std::string state;
  std::optional<std::int64_t> decided_by;
  std::string decided_by_username;
  std::optional<std::int64_t> decided_at;
  std::optional<std::int64_t> viewed_at;
  std::optional<std::int64_t> key_id;
  Blob sealed_key;
  // Sealed to the case's readers; present when the reader asked about holds a key.
  std::optional<ReadableEnvelope> sealed_reason{};
  std::optional<ReadableEnvelope> sealed_refusal{};
  std::string reason{};   // filled by the caller once opened
  std::string refusal{};  // likewise
  // 'reveal': seen once in the console; 'referral': put once into a
  // referral package (schema 16).
  std::string purpose{"reveal"};
};

// A rejection or "unsubstantiated" waiting for a second recipient.
struct PendingOutcomeRow {
  std::int64_t case_id = 0;
  std::string status;
  std::int64_t proposed_by = 0;
  std::string proposed_by_username;
  std::int64_t message_envelope_id = 0;
  std::int64_t at = 0;
  std::optional<ReadableEnvelope> sealed_message{};
  std::string message{};  // filled by the caller once opened
};

// Writes inside a transaction.
namespace two_person_store {

std::int64_t add_identity_request(Database& db, std::int64_t case_id, std::int64_t requested_by,
                                  std::int64_t reason_envelope_id, std::int64_t at,
                                  const std::string& purpose = "reveal");
// `reader_key_id` decides which sealed reasons come with the rows (-1: none).
std::optional<IdentityRequestRow> find_identity_request(Database& db, std::int64_t case_id, std::int64_t id,
                                                        std::int64_t reader_key_id = -1);
std::vector<IdentityRequestRow> identity_requests(Database& db, std::int64_t case_id,
                                                  std::int64_t reader_key_id);
// The asker's request still open (pending, or approved and not yet used).
std::optional<IdentityRequestRow> open_request_of(Database& db, std::int64_t case_id, std::int64_t user_id);
void approve_identity_request(Database& db, std::int64_t id, std::int64_t by, std::int64_t at,
                              std::int64_t key_id, const Blob& sealed_key);
void refuse_identity_request(Database& db, std::int64_t id, std::int64_t by, std::int64_t at,
                             std::int64_t refusal_envelope_id);
// The case's identity envelope without any reader's key (the approved
// request holds the asker's).
std::optional<ReadableEnvelope> identity_envelope(Database& db, std::int64_t case_id);
// Used once: the key is erased (secure_delete overwrites it).
void mark_viewed(Database& db, std::int64_t id, std::int64_t at);
// Ends the case's open requests (pending, or approved and unused): one
// person's when excluded (`requested_by`), everyone's when the reporter
// moved the case to another channel.
void revoke_open_requests(Database& db, std::int64_t case_id,
                          std::optional<std::int64_t> requested_by = std::nullopt);

void set_pending_outcome(Database& db, const PendingOutcomeRow& p);
std::optional<PendingOutcomeRow> pending_outcome(Database& db, std::int64_t case_id,
                                                 std::int64_t reader_key_id = -1);
// Removes the pending outcome and its sealed message (envelope and keys).
void drop_pending_outcome(Database& db, std::int64_t case_id);

}  // namespace two_person_store
}  // namespace krasip::storage
