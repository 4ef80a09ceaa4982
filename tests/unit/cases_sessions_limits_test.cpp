// Sessions, rate limits, deadlines and TOTP: the pieces of the investigator
// side that do not need a database.
#include <doctest/doctest.h>

#include "krasip/cases/common/deadlines.hpp"
#include "krasip/cases/common/rate_limiter.hpp"
#include "krasip/cases/accounts/session_store.hpp"
#include "krasip/cases/accounts/totp.hpp"

using namespace krasip;
using namespace krasip::cases;

namespace {
Session make_session(std::int64_t user_id) {
  Session s;
  s.user_id = user_id;
  s.username = "u" + std::to_string(user_id);
  s.key = crypto::KeyPair::generate();
  return s;
}
}  // namespace

TEST_CASE("sessions end after idle time and after the absolute limit") {
  SessionStore store({/*idle*/ 100, /*absolute*/ 250});
  const auto token = store.create(make_session(1), 1000);
  REQUIRE(store.find(token, 1050) != nullptr);
  REQUIRE(store.find(token, 1140) != nullptr);  // activity keeps it alive
  REQUIRE(store.find(token, 1230) != nullptr);
  CHECK(store.find(token, 1260) == nullptr);    // absolute limit reached
  const auto idle = store.create(make_session(2), 2000);
  CHECK(store.find(idle, 2101) == nullptr);     // idle for 101 s
  CHECK(store.find("not-a-token", 2000) == nullptr);
  CHECK(store.find("", 2000) == nullptr);
}

TEST_CASE("CSRF tokens are per session and checked exactly") {
  SessionStore store;
  const auto t1 = store.create(make_session(1), 0);
  const auto t2 = store.create(make_session(2), 0);
  const auto s1 = store.find(t1, 1);
  const auto s2 = store.find(t2, 1);
  REQUIRE(s1);
  REQUIRE(s2);
  CHECK(s1->csrf_token != s2->csrf_token);
  CHECK(store.check_csrf(*s1, s1->csrf_token));
  CHECK_FALSE(store.check_csrf(*s1, s2->csrf_token));
  CHECK_FALSE(store.check_csrf(*s1, ""));
  CHECK_FALSE(store.check_csrf(*s1, s1->csrf_token.substr(1)));
}

TEST_CASE("logout, removal of a user and sweeping forget sessions") {
  SessionStore store({100, 1000});
  const auto a = store.create(make_session(1), 0);
  const auto b = store.create(make_session(1), 0);
  const auto c = store.create(make_session(2), 0);
  store.remove(a);
  CHECK(store.find(a, 1) == nullptr);
  store.remove_user(1);
  CHECK(store.find(b, 1) == nullptr);
  CHECK(store.find(c, 1) != nullptr);
  CHECK(store.sweep(500) == 1);
  CHECK(store.size() == 0);
}

TEST_CASE("rate limiter: a window of N events per key, then refusal, then reset") {
  RateLimiter limiter(3, 60);
  CHECK(limiter.allow("x", 0));
  CHECK(limiter.allow("x", 1));
  CHECK(limiter.allow("x", 2));
  CHECK_FALSE(limiter.allow("x", 3));
  CHECK(limiter.blocked("x", 4));
  CHECK_FALSE(limiter.blocked("y", 4));  // keys are independent
  CHECK_FALSE(limiter.blocked("x", 61));  // the window has passed
  limiter.record("z", 0);
  limiter.record("z", 0);
  limiter.record("z", 0);
  CHECK(limiter.blocked("z", 1));
  limiter.reset("z");
  CHECK_FALSE(limiter.blocked("z", 1));
}

TEST_CASE("deadlines: 7 days to acknowledge, 15 to reply, 90 for an outcome, each a whole day") {
  storage::CaseRow c;
  c.received_at = 0;  // the start of the day received
  c.status = "received";
  const Deadlines d;
  constexpr std::int64_t kDay = 86400;
  auto x = deadlines_for(c, d, 8 * kDay - 1);  // the last second of the due day
  CHECK(x.acknowledge_due == 7 * kDay);
  CHECK_FALSE(x.overdue());
  x = deadlines_for(c, d, 8 * kDay);
  CHECK(x.acknowledge_overdue);
  c.status = "acknowledged";
  x = deadlines_for(c, d, 16 * kDay);
  CHECK_FALSE(x.acknowledge_overdue);
  CHECK(x.reply_overdue);
  c.first_reply_at = 10 * kDay;
  x = deadlines_for(c, d, 16 * kDay);
  CHECK_FALSE(x.overdue());
  x = deadlines_for(c, d, 91 * kDay);
  CHECK(x.outcome_overdue);
  c.status = "substantiated";
  CHECK_FALSE(deadlines_for(c, d, 200 * kDay).overdue());
}

TEST_CASE("TOTP: the current and neighbouring steps verify, others do not") {
  const auto secret = new_totp_secret();
  const std::int64_t now = 1'800'000'000;
  const auto code = totp_code(secret, now);
  REQUIRE(code.size() == 6);
  const auto step = verify_totp(secret, code, now);
  REQUIRE(step.has_value());
  CHECK(*step == now / 30);
  CHECK(verify_totp(secret, code, now + 30).has_value());   // one step of drift
  CHECK_FALSE(verify_totp(secret, code, now + 95).has_value());
  CHECK_FALSE(verify_totp(secret, "12345", now).has_value());
  CHECK_FALSE(verify_totp(secret, "abcdef", now).has_value());
  const auto uri = totp_uri("Krasip", "somchai", secret);
  CHECK(uri.rfind("otpauth://totp/Krasip:somchai?secret=", 0) == 0);
  const auto back = totp_secret_from_uri(uri);
  REQUIRE(back.has_value());
  CHECK(back->equals(secret.view()));
}
