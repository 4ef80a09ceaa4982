#include "krasip/cases/agencies/agency_setup.hpp"

#include <sodium.h>

#include <stdexcept>

#include "krasip/cases/accounts/account_service.hpp"
#include "krasip/cases/audit/audit_log.hpp"
#include "krasip/cases/common/server_secrets.hpp"
#include "krasip/crypto/key_pair.hpp"
#include "krasip/crypto/recovery_key.hpp"
#include "krasip/storage/database.hpp"
#include "krasip/storage/key_store.hpp"
#include "krasip/storage/transaction.hpp"
#include "krasip/storage/write_queue.hpp"

namespace krasip::cases {

storage::AgencyRow demo_agency() {
  return {"องค์การบริหารส่วนตำบลหนองไฮ", "Nong Hai Subdistrict Administrative Organization",
          "NH"};
}

InitResult initialise_agency(const DataPaths& paths, const storage::AgencyRow& agency,
                             const std::optional<FirstCustodian>& custodian,
                             crypto::PwhashLimits limits) {
  if (std::filesystem::exists(paths.database)) {
    throw std::runtime_error(paths.database.string() + " already exists; not initialising again");
  }
  std::filesystem::create_directories(paths.data_dir);
  std::filesystem::permissions(paths.data_dir, std::filesystem::perms::owner_all);
  const ServerSecrets secrets = std::filesystem::exists(paths.pepper_file)
                                    ? ServerSecrets::load(paths.pepper_file)
                                    : ServerSecrets::create(paths.pepper_file);
  const AuditLog audit(secrets.pepper);

  const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
  const auto recovery = crypto::KeyPair::generate();
  InitResult result{crypto::encode_recovery_key(recovery.secret_key), {}, {}};

  storage::Database db = storage::open_writer(paths.database);
  storage::Transaction tx(db);
  storage::key_store::insert_agency(db, agency, now);
  storage::key_store::insert_reader_key(db, "recovery", recovery.public_key, now, agency.id);
  audit.append(db, {now, std::nullopt, "agency.init", std::nullopt, ""});
  if (custodian) {
    const auto account = AccountService(audit, limits).add(
        db, AgencyScope::of(agency), {custodian->username, custodian->display_name, true, true, std::nullopt}, now);
    result.custodian_password = *account.generated_password;
    result.custodian_totp_uri = account.totp_uri;
  }
  tx.commit();
  return result;
}

}  // namespace krasip::cases
