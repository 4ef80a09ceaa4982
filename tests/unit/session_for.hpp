#pragma once
#include <doctest/doctest.h>

#include <string>

#include "krasip/cases/accounts/account_service.hpp"
#include "krasip/cases/accounts/session_store.hpp"
#include "krasip/crypto/key_pair.hpp"
#include "krasip/crypto/password_wrap.hpp"
#include "krasip/storage/reader_pool.hpp"
#include "krasip/storage/user_store.hpp"

namespace krasip::test {

// A session as a login would make it (account row, roles, key unwrapped
// with the password), without the TOTP step.
inline cases::Session session_for(storage::ReaderPool& pool, const std::string& name,
                                  const std::string& password) {
  auto db = pool.acquire();
  const auto user = storage::user_store::find_by_username(*db, name);
  REQUIRE(user);
  cases::Session s;
  s.user_id = user->id;
  s.username = user->username;
  s.key_id = user->key_id;
  s.is_custodian = user->is_custodian;
  s.is_admin = user->is_admin;
  s.agency_id = user->agency_id;
  s.key = crypto::KeyPair::from_secret(crypto::unwrap_secret_key(
      cases::AccountService::wrapped_of(*user), password, cases::AccountService::wrap_context(user->username)));
  return s;
}

}  // namespace krasip::test
