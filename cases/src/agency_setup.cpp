#include "krasip/cases/agency_setup.hpp"

#include <sodium.h>

#include <stdexcept>

#include "krasip/cases/server_secrets.hpp"
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

std::string generate_password() {
  static constexpr std::string_view kAlphabet = "abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY34679";
  std::string out;
  for (int i = 0; i < 20; ++i) {
    if (i != 0 && i % 5 == 0) out.push_back('-');
    out.push_back(kAlphabet[randombytes_uniform(static_cast<std::uint32_t>(kAlphabet.size()))]);
  }
  return out;
}

InitResult initialise_agency(const DataPaths& paths, const storage::AgencyRow& agency,
                             const std::optional<FirstCustodian>& custodian,
                             crypto::PwhashLimits limits) {
  if (std::filesystem::exists(paths.database)) {
    throw std::runtime_error(paths.database.string() + " already exists; not initialising again");
  }
  std::filesystem::create_directories(paths.data_dir);
  std::filesystem::permissions(paths.data_dir, std::filesystem::perms::owner_all);
  if (!std::filesystem::exists(paths.pepper_file)) ServerSecrets::create(paths.pepper_file);

  const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
  const auto recovery = crypto::KeyPair::generate();
  InitResult result{crypto::encode_recovery_key(recovery.secret_key), {}};

  storage::Database db = storage::open_writer(paths.database);
  storage::Transaction tx(db);
  storage::key_store::insert_agency(db, agency, now);
  storage::key_store::insert_reader_key(db, "recovery", recovery.public_key, now);
  if (custodian) {
    result.custodian_password = generate_password();
    const auto kp = crypto::KeyPair::generate();
    const auto wrapped = crypto::wrap_secret_key(kp.secret_key, result.custodian_password,
                                                 "krasip/user/" + custodian->username, limits);
    storage::NewUser u;
    u.username = custodian->username;
    u.display_name = custodian->display_name;
    u.is_custodian = true;
    u.is_admin = true;
    u.public_key = kp.public_key;
    u.wrap_salt = wrapped.salt;
    u.wrap_nonce = wrapped.nonce;
    u.wrapped_secret = wrapped.ciphertext;
    u.pwhash_ops = static_cast<std::int64_t>(wrapped.limits.opslimit);
    u.pwhash_mem = static_cast<std::int64_t>(wrapped.limits.memlimit);
    u.created_at = now;
    storage::key_store::insert_user(db, u);
  }
  tx.commit();
  return result;
}

}  // namespace krasip::cases
