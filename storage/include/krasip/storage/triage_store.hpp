#pragma once
#include <optional>
#include <string>
#include <vector>

#include "krasip/storage/records.hpp"

namespace krasip::storage {

class Database;

struct CaseFilter {
  std::optional<std::string> status;
  std::optional<std::string> category;
  std::optional<std::int64_t> assignee_id;
  bool overdue_only = false;
  // "Overdue" at this instant, by each case's agency's own service
  // standards (agencies.ack_days etc.), these days where it has none.
  std::int64_t overdue_at = 0;
  std::int64_t default_ack_days = 7;
  std::int64_t default_reply_days = 15;
  std::int64_t default_outcome_days = 90;
  // Keyset paging: only cases older than this (received_at, id) position.
  std::optional<std::int64_t> before_received_at;
  std::optional<std::int64_t> before_id;
  // Issue 22: only the cases of this flood batch; or, with
  // `without_batched`, only the cases of none.
  std::optional<std::int64_t> flood_batch_id;
  bool without_batched = false;
};

// One flood batch as a reader sees it: only the cases they may read.
struct BatchSummaryRow {
  Blob uid;
  std::int64_t cases = 0;
  std::int64_t open = 0;  // received, acknowledged or investigating
  std::int64_t overdue = 0;
  std::int64_t day = 0;  // the day's start, as its cases' received_at
  std::int64_t id = 0;
};

struct ExclusionRow {
  std::int64_t user_id = 0;
  std::string username;
  std::string reason;  // empty once sealed: see sealed_reason
  std::optional<std::int64_t> excluded_by;
  std::int64_t at = 0;
  // The reason, sealed to the case's readers; present when the reader
  // asked about holds a key to it.
  std::optional<ReadableEnvelope> sealed_reason{};
  std::optional<std::int64_t> approved_by{};  // the second custodian, when one was needed
  std::string excluded_by_username{};
  std::string approved_by_username{};
};

// An exclusion of a custodian or an administrator, waiting for a second
// custodian. Until approved it changes nothing about who can read.
struct ExclusionRequestRow {
  std::int64_t user_id = 0;
  std::string username;
  std::int64_t requested_by = 0;
  std::string requested_by_username;
  std::int64_t reason_envelope_id = 0;
  std::int64_t at = 0;
  std::optional<ReadableEnvelope> sealed_reason{};
  std::string reason{};  // filled by the caller once opened
};

struct NoteRow {
  std::int64_t id = 0;
  std::int64_t at = 0;
  std::int64_t author_user_id = 0;
  ReadableEnvelope envelope;
};

struct CaseEventRow {
  std::int64_t at = 0;
  std::string kind;
  std::optional<std::string> status;
  std::optional<std::int64_t> actor_user_id;
  std::optional<std::string> detail;  // plaintext: only in rows older than schema 5
  bool visible_to_reporter = false;
  // The detail (who was assigned, excluded...) sealed to the case's readers.
  std::optional<std::int64_t> detail_envelope_id{};
  // Read back for one reader key, when it holds a key to it.
  std::optional<ReadableEnvelope> sealed_detail{};
};

// A plaintext detail written before schema version 5, to be sealed once.
struct PlaintextDetail {
  enum class Kind { exclusion_reason, event_detail } kind;
  std::int64_t case_id = 0;
  std::int64_t row_key = 0;  // the excluded user_id, or the case_events id
  std::string text;
};

// Triage of cases by investigators: which cases a reader key opens, the
// changes they make, exclusions and notes. Writes run inside the writer's
// transaction.
namespace triage_store {

// Cases whose complaint envelope `reader_key_id` can open and from which
// `user_id` is not excluded, newest first. Asks for limit+1 rows so the
// caller knows whether there is a next page without counting all rows.
// Only cases of `agency_ids` (the account's agency and the agencies of the
// channels it receives; never empty for a result).
std::vector<CaseRow> list_cases(Database& db, const CaseFilter& filter,
                                const std::vector<std::int64_t>& agency_ids, std::int64_t reader_key_id,
                                std::int64_t user_id, std::int64_t limit, std::int64_t offset);
// The flood batches (issue 22, flood_batch_store.hpp) with a case the
// reader may list (as list_cases), newest first, each counted over those
// cases only. Uses the filter's overdue instant and days, nothing else.
std::vector<BatchSummaryRow> batch_summaries(Database& db, const CaseFilter& filter,
                                             const std::vector<std::int64_t>& agency_ids, std::int64_t reader_key_id,
                                             std::int64_t user_id, std::int64_t limit);
// The agencies whose cases an account's list covers: its own and those of
// the channels it receives (a supervising agency's account named below it).
std::vector<std::int64_t> listed_agencies(Database& db, std::int64_t user_id, std::int64_t own_agency_id);

bool can_open(Database& db, std::int64_t case_id, std::int64_t reader_key_id);
// May this account read this case: it holds a key to the complaint, is a
// recipient of the case's channel, and is not excluded from it.
// And (issue 11) the account's agency is the case's or one above it.
bool may_read(Database& db, std::int64_t case_id, std::int64_t user_id, std::int64_t reader_key_id,
              std::int64_t agency_id);
bool is_excluded(Database& db, std::int64_t case_id, std::int64_t user_id);
// With each sealed reason `reader_key_id` holds a key to.
std::vector<ExclusionRow> exclusions(Database& db, std::int64_t case_id, std::int64_t reader_key_id);
// Records the exclusion and removes the user's sealed keys for every
// envelope of the case: from now on they cannot decrypt it at all. The
// reason is only kept sealed, in the envelope `reason_envelope_id`.
void exclude(Database& db, std::int64_t case_id, std::int64_t user_id, std::int64_t key_id,
             std::optional<std::int64_t> reason_envelope_id, std::optional<std::int64_t> by,
             std::int64_t at, std::optional<std::int64_t> approved_by = std::nullopt);
// Ends an exclusion; the person's keys are not restored here (the caller
// re-grants them from a key holder). False when there was none.
bool lift_exclusion(Database& db, std::int64_t case_id, std::int64_t user_id);

// Returns false when a request for this person is already pending.
bool add_exclusion_request(Database& db, std::int64_t case_id, std::int64_t user_id,
                           std::int64_t requested_by, std::int64_t reason_envelope_id, std::int64_t at);
std::optional<ExclusionRequestRow> find_exclusion_request(Database& db, std::int64_t case_id,
                                                          std::int64_t user_id);
void drop_exclusion_request(Database& db, std::int64_t case_id, std::int64_t user_id);
// With each sealed reason `reader_key_id` holds a key to.
std::vector<ExclusionRequestRow> exclusion_requests(Database& db, std::int64_t case_id,
                                                    std::int64_t reader_key_id);
// Active identity custodians who can open the case and are not excluded
// from it: those an exclusion must never bring to zero.
std::vector<std::int64_t> custodians_who_can_open(Database& db, std::int64_t case_id);

// Exclusion reasons and event details still in plaintext (written before
// schema 5), and the step that replaces each by its sealed envelope.
std::vector<PlaintextDetail> plaintext_details(Database& db);
void replace_plaintext_detail(Database& db, const PlaintextDetail& d, std::int64_t envelope_id);

// Whether a referral was recorded through the referral route (a 'referral' event).
bool has_referral(Database& db, std::int64_t case_id);
void set_status(Database& db, std::int64_t case_id, const std::string& status, std::int64_t at);
void set_category(Database& db, std::int64_t case_id, const std::string& category, std::int64_t at);
void set_priority(Database& db, std::int64_t case_id, const std::string& priority, std::int64_t at);
void set_assignee(Database& db, std::int64_t case_id, std::optional<std::int64_t> user_id,
                  std::int64_t at);
void mark_first_reply(Database& db, std::int64_t case_id, std::int64_t at);
void add_event(Database& db, std::int64_t case_id, const CaseEventRow& event);
// With each sealed detail `reader_key_id` holds a key to.
std::vector<CaseEventRow> events(Database& db, std::int64_t case_id, std::int64_t reader_key_id);

std::int64_t add_note(Database& db, std::int64_t case_id, std::int64_t author_user_id,
                      std::int64_t envelope_id, std::int64_t at);
std::vector<NoteRow> notes_for(Database& db, std::int64_t case_id, std::int64_t reader_key_id);

// Every envelope of a case that `reader_key_id` can open (for re-granting).
std::vector<ReadableEnvelope> envelopes_for(Database& db, std::int64_t case_id,
                                            std::int64_t reader_key_id);
bool has_key(Database& db, std::int64_t envelope_id, std::int64_t reader_key_id);
void add_sealed_key(Database& db, std::int64_t envelope_id, std::int64_t reader_key_id,
                    BlobView sealed);
// Cases `from_key` opens but `to_key` does not, where `to_user` is not
// excluded and is a recipient of the case's channel.
std::vector<std::int64_t> cases_to_grant(Database& db, std::int64_t from_key, std::int64_t to_key,
                                         std::optional<std::int64_t> to_user);

}  // namespace triage_store
}  // namespace krasip::storage
