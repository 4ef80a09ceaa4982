#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "krasip/storage/records.hpp"

namespace krasip::storage {

class Database;

// A change to who reads, what is kept or where alerts go, waiting for a
// second person or for its public wait to end (schema 18; the rules are the
// case logic's, cases/governance). `change` is the change as it will be
// applied, as JSON; a mail password travels encrypted in secret_*.
struct ProposalRow {
  std::int64_t id = 0;
  std::string uid;  // the public name: ids would count other agencies' proposals
  std::int64_t agency_id = 0;
  std::optional<std::int64_t> channel_id;
  std::optional<std::int64_t> subject_user_id;
  std::string kind;  // channel.add, channel.edit, user.disable, user.reset, mail.settings
  std::string change;
  Blob secret_nonce;
  Blob secret_sealed;
  std::optional<std::int64_t> proposed_by;  // NULL: the host's operator
  std::int64_t proposed_at = 0;
  std::string approvers;  // parent, agency
  bool wait = false;      // applies by itself at the deadline unless vetoed
  std::int64_t deadline = 0;
  std::string state = "pending";  // pending, applied, refused, vetoed, withdrawn, lapsed, failed
  std::optional<std::int64_t> decided_by;
  std::optional<std::int64_t> decided_at;
  std::string outcome;  // why it failed, when it did
};

namespace proposal_store {

std::int64_t insert(Database& db, const ProposalRow& p);
std::optional<ProposalRow> find(Database& db, std::int64_t id);
std::optional<ProposalRow> find_by_uid(Database& db, const std::string& uid);
// The pending proposal about a channel, an account, or an agency's mail
// settings (one at a time each).
std::optional<ProposalRow> pending_for_channel(Database& db, std::int64_t channel_id);
std::optional<ProposalRow> pending_for_user(Database& db, std::int64_t user_id);
std::optional<ProposalRow> pending_of_kind(Database& db, std::int64_t agency_id, const std::string& kind);
// Newest first: the agencies' pending proposals and those decided since `since`.
std::vector<ProposalRow> list(Database& db, const std::vector<std::int64_t>& agency_ids, std::int64_t since);
// Pending proposals whose deadline has come.
std::vector<ProposalRow> due(Database& db, std::int64_t now);
void decide(Database& db, std::int64_t id, const std::string& state, std::optional<std::int64_t> decided_by,
            std::int64_t at, const std::string& outcome = {});

}  // namespace proposal_store
}  // namespace krasip::storage
