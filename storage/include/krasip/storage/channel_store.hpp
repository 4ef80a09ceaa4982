#pragma once
#include <optional>
#include <string>
#include <vector>

#include "krasip/storage/records.hpp"

namespace krasip::storage {

class Database;

// A channel (ช่องทางรับเรื่อง): what the reporter reads about it, and the
// accounts its cases are sealed to.
struct ChannelRow {
  std::int64_t id = 0;
  std::string slug;
  std::string name_th;
  std::string name_en;
  std::string description_th;
  std::string description_en;
  std::string readers_th;
  std::string readers_en;
  std::string identity_readers_th;
  std::string identity_readers_en;
  bool identity_two_person = false;
  std::int64_t position = 0;
  // Rejecting or finding unsubstantiated waits for a second recipient (schema 9).
  bool outcome_needs_confirmation = false;
  std::int64_t agency_id = 1;  // slugs are unique within an agency (schema 10)
  // Days a closed case is kept before `krasipd purge` deletes it (schema 12).
  std::int64_t retention_days = 1826;
  // Its neutral code in case numbers (schema 20): empty for the agency's
  // first channel (PREFIX-YEAR-NNNNN), then B, C, D, ... in creation order
  // (PREFIX-B-YEAR-NNNNN). Never the slug: a slip found at home must not
  // say "executives". Set by insert(), never changed.
  std::string number_code{};
};

struct ChannelMemberRow {
  std::int64_t user_id = 0;
  std::string username;
  std::string role;  // recipient or custodian
  std::int64_t key_id = 0;
  Blob public_key;
  bool active = false;  // account not disabled
  std::int64_t agency_id = 0;  // the account's agency: the channel's, or one above it
  std::int64_t since = 0;      // when the membership began (schema 18; 0: before it)
  std::optional<std::int64_t> proposed_by;  // who proposed it, when it was a proposal
};

// Channels and their members (schema 6). Writes inside a transaction.
namespace channel_store {

// One agency's channels, in the order its reporters see them.
std::vector<ChannelRow> list(Database& db, std::int64_t agency_id);
std::optional<ChannelRow> find_by_slug(Database& db, std::int64_t agency_id, const std::string& slug);
std::optional<ChannelRow> find_by_id(Database& db, std::int64_t id);
// Gives the channel its number code (number_code_for the channels the
// agency already has); c.number_code is ignored.
std::int64_t insert(Database& db, const ChannelRow& c, std::int64_t now);
// The n-th channel's code (n from 1): "" for the first, then "B".."Z",
// "AA", "AB", ... (letters in bijective base 26, the first being "A").
std::string number_code_for(std::int64_t n);
// The channel's number code, assigned now if it has none (a row written
// by something other than insert()).
std::string number_code(Database& db, std::int64_t channel_id);
void update(Database& db, const ChannelRow& c, std::int64_t now);
// Every member of every channel of an agency, ordered by channel, role, user.
std::vector<std::pair<std::int64_t, ChannelMemberRow>> all_members(Database& db, std::int64_t agency_id);
std::vector<ChannelMemberRow> members(Database& db, std::int64_t channel_id);
// Replaces one role's members of a channel. Members who stay keep their
// `since`; new ones start `at`, proposed by `proposed_by` (when the change
// was a proposal someone else approved).
void set_members(Database& db, std::int64_t channel_id, const std::string& role,
                 const std::vector<std::int64_t>& user_ids, std::int64_t at = 0,
                 std::optional<std::int64_t> proposed_by = std::nullopt);
bool is_member(Database& db, std::int64_t channel_id, std::int64_t user_id, const std::string& role);
// An oversight channel (issue 20): at least one of its recipients is an
// account of an agency above the channel's own (key_store::ancestors), such
// as the district office receiving a subdistrict's executives' channel.
// Disabled accounts count: switching off the outside reader does not make
// the channel an ordinary one. The one place this is decided.
bool is_oversight_channel(Database& db, std::int64_t channel_id);
// Whether `user_id` has `role` in the channel of case `case_id`.
bool is_case_member(Database& db, std::int64_t case_id, std::int64_t user_id, const std::string& role);
// A new account joins the channel 'default' (if the agency still has it) as
// a recipient, and as a custodian if it is one: an agency with one channel
// keeps working as before channels existed.
void join_default(Database& db, std::int64_t user_id, bool custodian, std::int64_t at);
// The agencies above the channel's whose enabled accounts receive it: a
// channel with one is an oversight channel (issue 20), whose changes the
// supervising agency approves and which never loses its last such reader.
std::vector<std::int64_t> oversight_agencies(Database& db, std::int64_t channel_id);
// Whether the agency has ever received a case: before its first, its
// settings change at once (setting up); after, weakening changes are
// proposals (cases/governance).
bool agency_has_cases(Database& db, std::int64_t agency_id);

}  // namespace channel_store
}  // namespace krasip::storage
