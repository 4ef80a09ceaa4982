#pragma once
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "krasip/cases/accounts/account_service.hpp"
#include "krasip/cases/accounts/enrolment_service.hpp"
#include "krasip/cases/agencies/agency_settings.hpp"
#include "krasip/cases/agencies/channel_service.hpp"
#include "krasip/cases/alerts/governance_mail.hpp"
#include "krasip/cases/audit/audit_log.hpp"
#include "krasip/cases/common/server_secrets.hpp"
#include "krasip/cases/governance/actor.hpp"
#include "krasip/cases/governance/governance_rules.hpp"
#include "krasip/storage/departure_store.hpp"
#include "krasip/storage/proposal_store.hpp"

namespace krasip::storage {
class Database;
}

namespace krasip::cases {

// A proposal as the console and the command line show it.
struct ProposalView {
  storage::ProposalRow row;
  std::string agency_slug;
  std::optional<storage::ChannelRow> channel;
  std::optional<std::string> subject;  // username of the account it is about
  std::optional<std::string> proposed_by;  // username; nullopt: the host's operator
  std::optional<std::string> decided_by;
  boost::json::array changes;          // as published (by role)
  bool may_approve = false;            // the viewer may approve or refuse it now
  bool may_veto = false;               // the viewer may veto it (its public wait)
  bool may_withdraw = false;           // the viewer proposed it
};

// What a request to change something became: applied at once, a proposal,
// or both (the part that strengthens protection applied, the rest waiting).
struct GovernanceOutcome {
  bool applied = false;                        // something took effect now
  std::optional<storage::ProposalRow> proposal;  // what waits
};

struct ChannelOutcome : GovernanceOutcome {
  ChannelView channel;  // as it stands now
};

struct AccountOutcome : GovernanceOutcome {
  std::optional<EnrolmentLink> enrolment;   // a re-enrolment that took effect now (console)
  std::optional<AccountSecrets> secrets;    // the same by the operator (printed once)
};

// How a re-enrolment that takes effect at once reaches the account's owner:
// a link they use themselves (console), or a password and TOTP the host's
// operator prints and hands over (`krasipd user reset-password`).
enum class ReenrolBy { enrolment_link, operator_password };

struct RollResult {
  int applied = 0;
  int lapsed = 0;
  int failed = 0;
  std::int64_t departures_expired = 0;
  std::int64_t disabled_keys_deleted = 0;
};

// No one governs their own oversight (issue 20; docs/security.md "Inside
// the agency"). Every change to who reads an agency's channels, what they
// keep, where its alerts go and which accounts read goes through here, from
// the console and the command line alike:
//  - before the agency's first case, a change applies at once (setting up);
//  - a change that strengthens protection applies at once (a two-person
//    rule switched on, a longer retention, a supervising agency adding its
//    own staff to watch a channel, an account enabled again);
//  - any other is a proposal: a second person approves it (an
//    administrator of the agency above for an overseen channel; else a
//    custodian of the channel or a second administrator; never the proposer,
//    never the person it is about, never an account new to its powers), or,
//    where no one can, it applies after a public wait unless vetoed;
//  - every step is published in the agency's change log, mailed (content
//    free) to the readers concerned and the administrators above, and
//    audited.
// Every method runs inside the caller's write transaction; decisions take
// the step-up the caller checked.
class GovernanceService {
 public:
  GovernanceService(const AuditLog& audit, const ServerSecrets& secrets, const ChannelService& channels,
                    const AccountService& accounts, const EnrolmentService& enrolments,
                    const GovernanceMail* mail = nullptr)
      : audit_(audit), secrets_(secrets), channels_(channels), accounts_(accounts), enrolments_(enrolments),
        mail_(mail) {}

  // `agency`: the channel's agency; the actor is of it or of one above it.
  ChannelOutcome add_channel(storage::Database& db, const Actor& actor, AgencyScope agency, const ChannelSpec& spec,
                             std::int64_t now) const;
  ChannelOutcome edit_channel(storage::Database& db, const Actor& actor, AgencyScope agency, const std::string& id,
                              const ChannelSpec& spec, std::int64_t now) const;
  AccountOutcome disable_user(storage::Database& db, const Actor& actor, AgencyScope agency,
                              const std::string& username, std::int64_t now) const;
  AccountOutcome reenrol_user(storage::Database& db, const Actor& actor, AgencyScope agency,
                              const std::string& username, std::int64_t now,
                              ReenrolBy by = ReenrolBy::enrolment_link,
                              const std::optional<std::string>& password = std::nullopt) const;
  // Strengthens: at once, published.
  void enable_user(storage::Database& db, const Actor& actor, AgencyScope agency, const std::string& username,
                   std::int64_t now) const;
  GovernanceOutcome set_mail(storage::Database& db, const Actor& actor, AgencyScope agency,
                             const MailSettingsChange& change, std::int64_t now) const;
  // Published, at once: a role given (the account does not count as a
  // second person for kNewPowerDays).
  void announce_role(storage::Database& db, const Actor& actor, AgencyScope agency, const std::string& role,
                     std::int64_t now) const;

  // Decisions by a signed-in account (`decider`), on a proposal it may see.
  void approve(storage::Database& db, const Actor& decider, const std::string& uid, std::int64_t now) const;
  void refuse(storage::Database& db, const Actor& decider, const std::string& uid, std::int64_t now) const;
  void veto(storage::Database& db, const Actor& decider, const std::string& uid, std::int64_t now) const;
  void withdraw(storage::Database& db, const Actor& decider, const std::string& uid, std::int64_t now) const;
  // An approver of the channel brings a removed reader back within the
  // grace period, their suspended keys with them.
  std::int64_t restore(storage::Database& db, const Actor& decider, std::int64_t departure_id,
                       std::int64_t now) const;

  // The proposals the viewer may see: their agency's, and those of agencies
  // below it whose channels their agency oversees (decided ones for 90 days).
  std::vector<ProposalView> proposals(storage::Database& db, const Actor& viewer, std::int64_t now) const;
  // Removed readers still restorable, that the viewer may restore.
  std::vector<storage::DepartureRow> restorable(storage::Database& db, const Actor& viewer, std::int64_t now) const;

  // The daily (in practice, every sweep) roll: public waits that ended
  // apply, unanswered proposals lapse, suspended keys and disabled accounts'
  // keys past the grace period are deleted.
  RollResult roll(storage::Database& db, std::int64_t now) const;

 private:
  storage::ProposalRow propose(storage::Database& db, const Actor& actor, storage::ProposalRow p,
                               const boost::json::array& changes, std::int64_t now) const;
  void apply(storage::Database& db, const storage::ProposalRow& p, std::optional<std::int64_t> decider,
             const std::string& how, std::int64_t now) const;
  void close(storage::Database& db, const storage::ProposalRow& p, const std::string& state,
             std::optional<std::int64_t> decider, std::int64_t now, const std::string& outcome = {}) const;
  void publish(storage::Database& db, std::int64_t agency_id, std::optional<std::int64_t> channel_id,
               std::optional<std::int64_t> proposal_id, const std::string& event, bool readers_changed,
               boost::json::object fields, const std::vector<std::int64_t>& notify_channels, std::int64_t now) const;
  storage::ProposalRow decidable(storage::Database& db, const std::string& uid) const;
  // Disabling or re-enrolling `u`: `apply_now` at once (published), or a
  // proposal of `kind`.
  AccountOutcome account_change(storage::Database& db, const Actor& actor, AgencyScope agency, const storage::UserRow& u,
                                const std::string& kind, bool at_once,
                                const std::function<void(AccountOutcome&)>& apply_now, std::int64_t now) const;

  const AuditLog& audit_;
  const ServerSecrets& secrets_;
  const ChannelService& channels_;
  const AccountService& accounts_;
  const EnrolmentService& enrolments_;
  const GovernanceMail* mail_;
};

}  // namespace krasip::cases
