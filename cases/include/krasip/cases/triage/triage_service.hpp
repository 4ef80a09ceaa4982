#pragma once
#include <memory>
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "krasip/cases/agencies/catalog.hpp"
#include "krasip/cases/audit/audit_log.hpp"
#include "krasip/cases/reporter/case_followups.hpp"
#include "krasip/cases/common/deadlines.hpp"
#include "krasip/cases/common/clock.hpp"
#include "krasip/cases/accounts/session_store.hpp"
#include "krasip/cases/reporter/status_service.hpp"
#include "krasip/cases/triage/referral.hpp"
#include "krasip/storage/reader_pool.hpp"
#include "krasip/storage/triage_store.hpp"
#include "krasip/storage/two_person_store.hpp"
#include "krasip/storage/user_store.hpp"
#include "krasip/storage/write_queue.hpp"

namespace krasip::cases {

class AttachmentUpload;
class FollowUpService;


struct CaseSummary {
  storage::CaseRow row;
  std::optional<std::string> assignee;  // username
  CaseDeadlines deadlines;
};

struct CaseListQuery {
  std::optional<std::string> status;
  std::optional<std::string> category;
  std::optional<std::string> assignee;  // username
  bool overdue = false;
  int page = 1;
  int per_page = 20;
  // Keyset paging: the cases after this one (the last of the previous page).
  // Constant time however deep; `page` is then ignored.
  std::optional<std::string> after;
  // Issue 22: the cases of this flood batch (its name in hex). Without it
  // the list leaves batched cases out and names their batches instead.
  std::optional<std::string> batch;
};

// Web complaints filed while the service was flooded, one agency's on one
// day, counted over the cases the reader may read (issue 22).
struct FloodBatchSummary {
  std::string id;  // the batch's name, hex
  std::int64_t day = 0;
  std::int64_t cases = 0;
  std::int64_t open = 0;
  std::int64_t overdue = 0;
};

struct CaseListPage {
  std::vector<CaseSummary> items;
  int page = 1;
  int per_page = 20;
  bool has_more = false;
  // On the first page of the unbatched list only.
  std::vector<FloodBatchSummary> batches;
};

struct NoteView {
  std::int64_t at;
  std::string author;
  std::string body;
};

struct HistoryEntry {
  std::int64_t at;
  std::string kind;
  std::optional<std::string> status;
  std::optional<std::string> actor;
  std::optional<std::string> detail;
  bool visible_to_reporter;
};

struct CaseDetail {
  CaseSummary summary;
  boost::json::object complaint;
  std::vector<MessageView> messages;
  std::vector<NoteView> notes;
  std::vector<HistoryEntry> history;
  std::vector<storage::ExclusionRow> exclusions;
  std::vector<storage::ExclusionRequestRow> exclusion_requests;  // awaiting a second custodian
  std::vector<AttachmentEntry> attachments;
  bool can_reveal_identity = false;
  bool can_exclude_others = false;     // may_govern
  bool can_approve_and_lift = false;   // a custodian of the case
  // Two people (issue 10, item 5; docs/security.md "Inside the agency").
  bool identity_two_person = false;         // the case's channel asks a second custodian
  bool outcome_needs_confirmation = false;  // the case's channel asks a second recipient
  bool can_request_identity = false;        // two-person channel, identity given, none open
  bool can_decide_identity_requests = false;  // a custodian holding the identity key
  std::vector<storage::IdentityRequestRow> identity_requests;  // reasons opened
  std::optional<storage::PendingOutcomeRow> pending_outcome;   // message opened
  // Issue 13, items 3 and 4.
  std::string source;                           // web, counter, phone, letter, email
  std::optional<std::string> registry_number;   // opened, when recorded and readable
  std::optional<Referral> referral;             // the latest, opened
  bool can_request_referral_identity = false;   // identity given, no request of mine open
  bool referral_identity_approved = false;      // mine approved: the next package may hold it
  // What the case may be re-categorised to: its agency's categories
  // (issue 11), in the agency's order.
  std::vector<Label> categories;
  // The reporter's requests to move the case out of its oversight channel
  // (issue 20, item 7), oldest first; whether this reader may confirm the
  // one pending (a step-up) or decline it.
  std::vector<EscalationRequestView> escalation_requests;
  bool can_confirm_escalation = false;
  bool can_decline_escalation = false;
};


struct CaseChanges {
  std::optional<std::string> status;
  std::optional<std::string> priority;
  std::optional<std::string> category;
  std::optional<std::optional<std::string>> assignee;  // set to a username or to nobody
  std::optional<std::string> subject_username;  // the account the complaint is about: excluded
  // Told to the reporter with the status change; required for the outcomes
  // that end a case without action (rejected, unsubstantiated).
  std::optional<std::string> outcome_message;
};

enum class ExclusionOutcome { excluded, pending };
// `pending`: a rejection or "unsubstantiated" in a channel that asks a
// second recipient's confirmation; the other changes were made.
enum class UpdateOutcome { done, pending };

struct GrantResult {
  std::int64_t cases = 0;
  std::int64_t keys = 0;
};

// A case the granter could give a colleague the keys to (issue 20, item 3).
struct GrantableCase {
  std::string case_number;
  std::int64_t received_at = 0;
  std::string channel;  // slug
  // Received before the colleague's reading of its channel began (their
  // membership, or their current key if newer): only a custodian of the
  // channel who is neither of them nor proposed the membership grants it.
  bool before_membership = false;
  bool may_grant = false;  // by this granter
};

// What an investigator does with cases. Every call checks, against the
// database, that the account is still active, that the case exists, that
// the investigator is not excluded from it and holds a key to it; every
// call that reads or changes a case writes an audit entry in the same
// transaction as the change. Plaintext exists only in the returned values.
class TriageService {
 public:
  TriageService(storage::ReaderPool& pool, storage::WriteQueue& writer, const AuditLog& audit,
                Clock clock, Deadlines deadlines, std::filesystem::path attachments_dir = {})
      : pool_(pool),
        writer_(writer),
        audit_(audit),
        clock_(std::move(clock)),
        deadlines_(deadlines),
        attachments_dir_(std::move(attachments_dir)) {}

  CaseListPage list(const Session& s, const CaseListQuery& q);
  CaseDetail view(const Session& s, const std::string& case_number);
  UpdateOutcome update(const Session& s, const std::string& case_number, const CaseChanges& changes);
  void add_note(const Session& s, const std::string& case_number, const std::string& body);
  void reply(const Session& s, const std::string& case_number, const std::string& body);
  // Governance (issue 10, item 5; docs/security.md "Inside the agency"):
  // anyone may recuse themselves (reason optional); excluding someone else
  // needs a custodian or administrator and a reason of 10 characters or
  // more; excluding a custodian or an administrator is pending until a
  // second custodian approves; nothing may leave the case without a
  // custodian who can open it. Rule violations are `forbidden`.
  ExclusionOutcome exclude(const Session& s, const std::string& case_number, const std::string& username,
                           const std::string& reason);
  void approve_exclusion(const Session& s, const std::string& case_number, const std::string& username);
  // A custodian ends an exclusion and re-seals to the person every key of
  // the case the custodian holds.
  GrantResult lift_exclusion(const Session& s, const std::string& case_number, const std::string& username,
                             const std::string& reason);
  // A custodian with a reason, in a channel without two-person identity
  // access; in any channel, whoever holds an approved identity request
  // (once: the approval is used up by this).
  boost::json::object reveal_identity(const Session& s, const std::string& case_number,
                                      const std::string& reason);
  // Two-person identity access (two_person.cpp). Any reader of a case in a
  // two-person channel asks, with a reason; a custodian of the channel who
  // holds the identity key, not the asker, approves (sealing the identity's
  // data key to the asker) or refuses with a reason.
  // purpose "referral" (issue 13, item 4): in any channel, the approval lets
  // the asker put the identity once into a referral package.
  std::int64_t request_identity(const Session& s, const std::string& case_number, const std::string& reason,
                                const std::string& purpose = "reveal");
  std::vector<storage::IdentityRequestRow> identity_requests(const Session& s, const std::string& case_number);
  void approve_identity_request(const Session& s, const std::string& case_number, std::int64_t id);
  void refuse_identity_request(const Session& s, const std::string& case_number, std::int64_t id,
                               const std::string& reason);
  // A pending outcome: a second recipient (not the proposer) confirms it
  // (status set, message sent to the reporter) or declines it with a
  // reason; the proposer may withdraw it.
  void confirm_outcome(const Session& s, const std::string& case_number);
  void decline_outcome(const Session& s, const std::string& case_number, const std::string& reason);
  // Grants are case by case: the cases a colleague of the channel lacks,
  // listed to the granter, and the ones chosen granted (issue 20, item 3).
  std::vector<GrantableCase> grantable(const Session& s, const std::string& username);
  GrantResult grant(const Session& s, const std::string& username, const std::vector<std::string>& case_numbers);
  // Referral (referral.cpp; issue 13, item 4): the case goes to `referred`
  // (or stays there, the new referral replacing the last), the body and
  // reference sealed to its readers and the reporter, audited.
  void refer(const Session& s, const std::string& case_number, const std::string& body,
             const std::string& body_name, const std::string& reference);
  std::optional<Referral> referral(const Session& s, const std::string& case_number);
  // The package for the body: the complaint and the chosen files (by id);
  // the identity only when `with_identity` and the caller holds an approved
  // referral request (used up by this). Audited as referral.package.
  ReferralPackage referral_package(const Session& s, const std::string& case_number,
                                   const std::vector<std::string>& file_ids, bool with_identity);
  // An evidence file, decrypted (at most the per-file upload limit in memory).
  // Opens the file for streaming decryption (audited as downloaded): the
  // caller sends it chunk by chunk, never holding it whole.
  AttachmentDownload download(const Session& s, const std::string& case_number,
                              const std::string& attachment_id);
  // A file for the reporter (issue 13, item 5): checks the caller may read
  // the case, then starts an upload through `followups` with the same type
  // and size rules as the reporter's; it is sealed to the reporter and the
  // case's readers (not to excluded accounts) and audited (attachment.send)
  // in the transaction that stores it.
  std::unique_ptr<AttachmentUpload> begin_file_to_reporter(const Session& s, const std::string& case_number,
                                                           FollowUpService& followups);
  std::vector<storage::AuditRow> audit_entries(const Session& s,
                                               const std::optional<std::string>& case_number,
                                               int page, int per_page);
  // Throws unauthenticated if the account was disabled or its key replaced.
  void require_active(const Session& s);

  const Deadlines& deadlines() const { return deadlines_; }

 private:
  storage::CaseRow open_case(storage::Database& db, const Session& s, const std::string& number);
  CaseSummary summarise(storage::Database& db, storage::CaseRow row, std::int64_t now);
  void post_sealed(const Session& s, const std::string& case_number, const std::string& body,
                   bool to_reporter);
  ExclusionOutcome exclude_in(storage::Database& db, const Session& s, const storage::CaseRow& row,
                              const storage::UserRow& target, const std::string& reason,
                              std::int64_t now);

  storage::ReaderPool& pool_;
  storage::WriteQueue& writer_;
  const AuditLog& audit_;
  Clock clock_;
  Deadlines deadlines_;
  std::filesystem::path attachments_dir_;
};

// Re-seals, for `to`, the data keys of every case `from` can open (identity
// envelopes only when `to` is a custodian of the case's channel and the reporter did
// not keep the identity back on escalation). Used online by a colleague's
// session and offline with the recovery key. Runs in the caller's transaction.
GrantResult grant_cases(storage::Database& db, const crypto::KeyPair& from, std::int64_t from_key_id,
                        const storage::UserRow& to);
// The same for one case (the keys of it `from` holds); returns keys sealed.
std::int64_t grant_case(storage::Database& db, const crypto::KeyPair& from, std::int64_t from_key_id,
                        std::int64_t case_id, const storage::UserRow& to);


}  // namespace krasip::cases
