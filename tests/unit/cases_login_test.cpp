// Failed logins and password changes, without HTTP: who gets refused, who
// only slowed, and that Argon2id never holds up the single writer.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "krasip/cases/agencies/agency_setup.hpp"
#include "krasip/cases/common/case_error.hpp"
#include "krasip/cases/agencies/data_paths.hpp"
#include "krasip/cases/accounts/login_service.hpp"
#include "krasip/cases/common/server_secrets.hpp"
#include "krasip/crypto/key_pair.hpp"
#include "krasip/crypto/password_wrap.hpp"
#include "krasip/storage/reader_pool.hpp"
#include "krasip/storage/user_store.hpp"
#include "krasip/storage/write_queue.hpp"
#include "temp_dir.hpp"

using namespace krasip;
using namespace krasip::cases;
using namespace std::chrono_literals;

namespace {

constexpr std::int64_t kNow = 1764300000;

struct Fixture {
  test::TempDir dir{"login"};
  DataPaths paths = DataPaths::in(dir.path() / "data");
  InitResult init = initialise_agency(paths, demo_agency(), FirstCustodian{"admin", "Admin"},
                                      crypto::PwhashLimits::interactive());
  ServerSecrets secrets = ServerSecrets::load(paths.pepper_file);
  storage::WriteQueue writer{paths.database};
  storage::ReaderPool pool{paths.database};
  SessionStore sessions;
  AuditLog audit{secrets.pepper};

  ErrorCode login_error(LoginService& login, const std::string& password,
                        const std::string& client) {
    try {
      (void)login.login("admin", password, "000000", client);
    } catch (const CaseError& e) {
      return e.code();
    }
    FAIL("the login was accepted");
    return ErrorCode::busy;
  }

  // A session of the admin as a login would make it, without the TOTP step.
  Session admin_session() {
    auto db = pool.acquire();
    const auto user = storage::user_store::find_by_username(*db, "admin");
    REQUIRE(user);
    Session s;
    s.user_id = user->id;
    s.username = user->username;
    s.key_id = user->key_id;
    s.key = crypto::KeyPair::from_secret(crypto::unwrap_secret_key(
        AccountService::wrapped_of(*user), init.custodian_password,
        AccountService::wrap_context(user->username)));
    return s;
  }
};

}  // namespace

TEST_CASE("failed logins refuse per (account, client) and only slow down per account") {
  Fixture f;
  LoginThrottle throttle;
  throttle.client_failures = 2;
  throttle.account_failures = 3;
  throttle.step = 1000ms;
  throttle.cap = 2500ms;
  LoginService login(f.pool, f.writer, f.sessions, f.audit, [] { return kNow; },
                     crypto::PwhashLimits::interactive(), throttle);

  CHECK(f.login_error(login, "wrong-password-1", "192.0.2.1") == ErrorCode::invalid_credentials);
  CHECK(f.login_error(login, "wrong-password-2", "192.0.2.1") == ErrorCode::invalid_credentials);
  // That client is now refused for this account, even with the right password...
  CHECK(f.login_error(login, f.init.custodian_password, "192.0.2.1") == ErrorCode::rate_limited);
  // ...but not for another account,
  try {
    (void)login.login("someone-else", "wrong-password-3", "000000", "192.0.2.1");
    FAIL("accepted");
  } catch (const CaseError& e) {
    CHECK(e.code() == ErrorCode::invalid_credentials);
  }
  // and another client is only told the credentials are wrong.
  CHECK(login.failure_delay("admin") == 0ms);
  CHECK(f.login_error(login, "wrong-password-4", "192.0.2.2") == ErrorCode::invalid_credentials);
  CHECK(login.failure_delay("admin") == 0ms);  // 3 failures: still answered at once
  CHECK(f.login_error(login, "wrong-password-5", "192.0.2.3") == ErrorCode::invalid_credentials);
  CHECK(login.failure_delay("admin") == 1000ms);
  CHECK(f.login_error(login, "wrong-password-6", "192.0.2.4") == ErrorCode::invalid_credentials);
  CHECK(login.failure_delay("admin") == 2000ms);
  CHECK(f.login_error(login, "wrong-password-7", "192.0.2.5") == ErrorCode::invalid_credentials);
  CHECK(login.failure_delay("admin") == 2500ms);  // capped
  CHECK(login.failure_delay("someone-else") == 0ms);
  // The refused attempt was not counted as a failure of the account.
  CHECK(f.login_error(login, "wrong-password-8", "192.0.2.2") == ErrorCode::invalid_credentials);
  CHECK(f.login_error(login, "wrong-password-9", "192.0.2.2") == ErrorCode::rate_limited);
}

TEST_CASE("a password change runs Argon2id off the writer; the writer stays free meanwhile") {
  Fixture f;
  // Slow re-wrap (about a second), so a writer held by it would show.
  const AccountService accounts(f.audit, crypto::PwhashLimits{12, 64 * 1024 * 1024});
  LoginService login(f.pool, f.writer, f.sessions, f.audit, [] { return kNow; },
                     crypto::PwhashLimits::interactive());
  const auto session = f.admin_session();

  std::atomic<bool> done{false};
  std::chrono::steady_clock::duration change_took{};
  std::thread changer([&] {
    const auto t0 = std::chrono::steady_clock::now();
    login.change_password(session, f.init.custodian_password, "a-new-long-password", accounts);
    change_took = std::chrono::steady_clock::now() - t0;
    done = true;
  });
  std::chrono::steady_clock::duration slowest{};
  int writes = 0;
  while (!done) {
    const auto t0 = std::chrono::steady_clock::now();
    f.writer.run([](storage::Database&) {});
    slowest = std::max(slowest, std::chrono::steady_clock::now() - t0);
    ++writes;
    std::this_thread::sleep_for(10ms);
  }
  changer.join();
  REQUIRE(change_took > 400ms);  // otherwise this test proves nothing
  CHECK(writes > 5);
  CHECK(slowest < change_took / 2);

  // The new password opens the same key; the old one no longer does.
  auto db = f.pool.acquire();
  const auto user = storage::user_store::find_by_username(*db, "admin");
  REQUIRE(user);
  const auto wrapped = AccountService::wrapped_of(*user);
  const auto context = AccountService::wrap_context("admin");
  const auto secret = crypto::unwrap_secret_key(wrapped, "a-new-long-password", context);
  CHECK(crypto::KeyPair::from_secret(secret).public_key == session.key.public_key);
  CHECK_THROWS_AS(crypto::unwrap_secret_key(wrapped, f.init.custodian_password, context),
                  crypto::DecryptError);
  // And the current password is checked against the latest wrap.
  try {
    login.change_password(session, f.init.custodian_password, "another-long-password", accounts);
    FAIL("accepted");
  } catch (const CaseError& e) {
    CHECK(e.code() == ErrorCode::invalid_credentials);
  }
}
