#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "krasip/storage/records.hpp"

namespace krasip::storage {

class Database;

// Retention (issue 13, item 6; schema 12). A closed case past its channel's
// retention is shredded: every row holding its content or a key to it is
// deleted, and the `cases` row stays as its tombstone (see schema.cpp,
// version 12). Writes run inside the caller's transaction.
namespace purge_store {

struct ExpiredCase {
  std::int64_t id = 0;
  std::string case_number;
  std::int64_t agency_id = 0;
  std::string channel_slug;  // "" if the case has no channel
  int fiscal_year = 0;
  std::string status;        // the outcome: a final status
  std::int64_t received_at = 0;
  std::int64_t closed_at = 0;  // its last move into a final status
  std::int64_t retention_days = 0;
  std::int64_t channel_id = 0;
  std::optional<std::int64_t> notice_at;  // when its readers were told
};

// The retention in force for a case (issue 20, item 4): the longest of the
// channel's when the case ended, the channel's now and the deployment's
// floor. A lowered retention so applies only to cases ended after it.
// Cases in a final status, not yet purged, whose closed_at plus that many
// days is at or before `now`; oldest id first. With `only`, that case if
// it is one of them (checked again inside the purge's transaction: the
// service may have reopened it meanwhile).
std::vector<ExpiredCase> expired(Database& db, std::int64_t now,
                                 std::optional<std::int64_t> only = std::nullopt);
// The same facts of a case not purged (whatever its status or retention),
// for purging it again after a restore (the purge journal); nullopt if it
// is purged or does not exist.
std::optional<ExpiredCase> not_purged(Database& db, std::int64_t case_id);
// Every case not purged, with its uid (what the purge journal names).
std::vector<std::pair<std::int64_t, Blob>> unpurged_uids(Database& db);
// Records that the case's readers were told of its purge.
void mark_noticed(Database& db, std::int64_t case_id, std::int64_t at);
// When the case's channel last changed (settings or readers).
std::int64_t channel_changed_at(Database& db, std::int64_t channel_id);

// The deployment's floor: no channel keeps a closed case for fewer days
// (schema 18; default 1825).
std::int64_t retention_floor(Database& db);
void set_retention_floor(Database& db, std::int64_t days);

// How many days a purged case's tracking code still answers "purged"
// (schema 23; default 365, 30 to 3650): the deployment's own setting.
inline constexpr std::int64_t kDefaultPurgedCodeGraceDays = 365;
inline constexpr std::int64_t kMinPurgedCodeGraceDays = 30;
inline constexpr std::int64_t kMaxPurgedCodeGraceDays = 3650;
std::int64_t purged_code_grace(Database& db);
void set_purged_code_grace(Database& db, std::int64_t days);
// Replaces the code_hash of every case purged at least the grace before
// `now` by random bytes (once: code_dropped), so its code then answers as
// one never issued. Returns how many were dropped.
std::int64_t drop_codes(Database& db, std::int64_t now);

// Deletes the case's messages, notes, attachment rows, events, exclusions,
// requests, pending outcome, every key sealed to any of its envelopes and
// every envelope no audit entry's hash covers (those keep their ciphertext,
// which no key opens any more); blanks the reporter's salt and replaces the
// reporter's public key with random bytes; marks the row purged at `now`
// (the purge journal's day when purging again after a restore). Returns
// the attachment files (names under attachments/) to unlink after commit.
std::vector<std::string> shred_case(Database& db, std::int64_t case_id, std::int64_t closed_at,
                                    std::int64_t now);

// When the case was purged, if it was.
std::optional<std::int64_t> purged_at(Database& db, std::int64_t case_id);

}  // namespace purge_store
}  // namespace krasip::storage
