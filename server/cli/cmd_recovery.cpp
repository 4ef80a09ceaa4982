#include <algorithm>
#include <iostream>

#include "commands.hpp"
#include "krasip/cases/audit/audit_log.hpp"
#include "krasip/cases/common/case_error.hpp"
#include "krasip/cases/agencies/data_paths.hpp"
#include "krasip/cases/common/server_secrets.hpp"
#include "krasip/cases/common/case_records.hpp"
#include "krasip/cases/triage/triage_service.hpp"
#include "krasip/crypto/recovery_key.hpp"
#include "krasip/storage/case_store.hpp"
#include "krasip/storage/database.hpp"
#include "krasip/storage/triage_store.hpp"
#include "krasip/storage/key_store.hpp"
#include "krasip/storage/transaction.hpp"
#include "krasip/storage/user_store.hpp"
#include "krasip/storage/write_queue.hpp"
#include "options.hpp"
#include "ownership.hpp"

namespace krasip::cli {

// krasipd recovery grant --data-dir DIR --username U, with the recovery key
// typed on standard input: gives the account keys to every case (identity
// too if the account is a custodian). The key is used in memory and wiped.
// With --case N: every key of that one case the recovery key holds, even to
// an account that already opens its complaint. After a reporter moved a
// case to another channel, that is how its new readers get what only
// investigators could read (notes, history and audit details) and, for a
// custodian, an identity the escalation could not move (never one the
// reporter kept back: grant_case skips it): a deliberate act per case.
int cmd_recovery(int argc, char** argv) {
  if (argc < 3 || std::string(argv[2]) != "grant") {
    throw UsageError("usage: krasipd recovery grant --data-dir DIR --username U [--case N] < recovery-key");
  }
  const Options opt(argc, argv, 3, {"data-dir", "username", "case", "pepper-file", "owner"}, {});
  auto paths = cases::DataPaths::in(opt.require("data-dir"));
  if (auto p = opt.get("pepper-file")) paths.pepper_file = *p;
  settle_identity(opt.get("owner"), paths);  // before anything is opened
  const auto secrets = cases::ServerSecrets::load(paths.pepper_file);
  std::string line;
  std::getline(std::cin, line);
  const auto secret = crypto::decode_recovery_key(line);
  std::fill(line.begin(), line.end(), '\0');
  if (!secret) {
    std::cerr << "krasipd: that is not a valid recovery key (check for typos)\n";
    return 1;
  }
  const auto recovery = crypto::KeyPair::from_secret(*secret);
  storage::Database db = storage::open_writer(paths.database);
  storage::Transaction tx(db);
  std::optional<std::int64_t> recovery_id;
  std::int64_t recovery_agency = 0;
  for (const auto& a : storage::key_store::list_agencies(db)) {
    const auto r = storage::key_store::recovery_key(db, a.id);
    if (r && r->public_key == recovery.public_key) recovery_id = r->id, recovery_agency = a.id;
  }
  if (!recovery_id) {
    std::cerr << "krasipd: this recovery key belongs to no agency of this deployment\n";
    return 1;
  }
  // An agency's recovery key re-grants to that agency's accounts, and to
  // accounts of agencies above it (members of its channels); another
  // agency's account is "no such user".
  auto user = storage::user_store::find_by_username(db, opt.require("username"));
  if (user && user->agency_id != recovery_agency) {
    const auto up = storage::key_store::ancestors(db, recovery_agency);
    if (std::find(up.begin(), up.end(), user->agency_id) == up.end()) user.reset();
  }
  if (!user || user->disabled_at) {
    std::cerr << "krasipd: no such active user\n";
    return 1;
  }
  cases::GrantResult r;
  std::optional<std::int64_t> case_id;
  if (const auto number = opt.get("case")) {
    const auto c = storage::case_store::find_by_number(db, *number);
    if (!c) {
      std::cerr << "krasipd: no such case\n";
      return 1;
    }
    if (storage::triage_store::is_excluded(db, c->id, user->id)) {
      std::cerr << "krasipd: " << user->username << " is excluded from " << *number << "\n";
      return 1;
    }
    case_id = c->id;
    r.keys = cases::grant_case(db, recovery, *recovery_id, c->id, *user);
    r.cases = r.keys > 0 ? 1 : 0;
  } else {
    r = cases::grant_cases(db, recovery, *recovery_id, *user);
  }
  const auto now = static_cast<std::int64_t>(std::time(nullptr));
  const std::string detail = "to_user_id=" + std::to_string(user->id) + " cases=" + std::to_string(r.cases);
  cases::AuditEvent entry{now, std::nullopt, "recovery.grant", std::nullopt, detail};
  if (case_id) {
    // About one case: who was given it is sealed to its readers, as for
    // every audit detail about a case.
    auto sealed = cases::seal_investigator_record(db, *storage::case_store::find_by_id(db, *case_id),
                                                  "audit:", detail, now);
    entry = {now, std::nullopt, "recovery.grant", case_id, ""};
    entry.detail_envelope_id = sealed.envelope_id;
    entry.detail_nonce = std::move(sealed.nonce);
    entry.detail_ciphertext = std::move(sealed.ciphertext);
  }
  cases::AuditLog(secrets.pepper).append(db, entry);
  tx.commit();
  std::cout << "granted " << r.cases << " cases (" << r.keys << " keys) to " << user->username << "\n";
  return 0;
}

}  // namespace krasip::cli
