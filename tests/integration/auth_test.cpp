#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "fixtures.hpp"
#include "investigator_client.hpp"

using namespace krasip::test;
namespace json = boost::json;

TEST_CASE("login needs password and TOTP; every wrong part gets the same answer") {
  ServerProcess server;
  auto alice = add_account(server, "alice");
  const auto port = server.port();

  const auto wrong_password = login(port, "alice", "not-the-password", next_totp(alice));
  const auto wrong_code = login(port, "alice", alice.password, "000000");
  const auto unknown_user = login(port, "nobody", alice.password, next_totp(alice));
  const auto missing_code = post_json(port, "/api/v1/auth/login",
                                      json::serialize(json::object{{"username", "alice"}, {"password", alice.password}}));
  for (const auto* r : {&wrong_password, &wrong_code, &unknown_user, &missing_code}) {
    CHECK(r->status == 401);
    CHECK(error_code(*r) == "invalid_credentials");
    CHECK(r->body == wrong_password.body);  // not a word about which part was wrong
    CHECK(r->header("set-cookie").empty());
  }

  alice.logins = 0;  // none of those codes was accepted, so the current one is still unused
  const auto code = next_totp(alice);
  const auto ok = login(port, "alice", alice.password, code);
  REQUIRE(ok.status == 200);
  const auto v = parse(ok);
  CHECK(v.at("user").at("username").as_string() == "alice");
  CHECK(v.at("csrf_token").as_string().size() >= 32);
  const auto cookie = ok.header("set-cookie");
  CHECK(cookie.find("krasip_session=") == 0);
  CHECK(cookie.find("HttpOnly") != std::string::npos);
  CHECK(cookie.find("SameSite=Strict") != std::string::npos);
  CHECK(cookie.find("Secure") == std::string::npos);  // plain HTTP here; --behind-tls adds it

  // The same code a second time is a replay.
  CHECK(login(port, "alice", alice.password, code).status == 401);
}

TEST_CASE("five failures lock that client out of the account name for a while, known or not") {
  ServerProcess server;
  auto bob = add_account(server, "bob");
  for (int i = 0; i < 5; ++i) CHECK(login(server.port(), "bob", "wrong-password-xx", "123456").status == 401);
  const auto locked = login(server.port(), "bob", bob.password, next_totp(bob));
  CHECK(locked.status == 429);
  CHECK(error_code(locked) == "rate_limited");
  for (int i = 0; i < 5; ++i) CHECK(login(server.port(), "ghost", "wrong-password-xx", "123456").status == 401);
  CHECK(login(server.port(), "ghost", "wrong-password-xx", "123456").status == 429);
}

TEST_CASE("a stranger's 100 failed logins do not keep the administrator out") {
  ServerProcess server({"--login-rate", "30"});  // the shipped per-client limit
  auto admin = init_admin(server);
  const auto port = server.port();
  int wrong = 0;
  int refused = 0;
  for (int i = 0; i < 100; ++i) {
    const auto r = login(port, admin.username, "guess-number-" + std::to_string(i), "123456", "127.0.0.2");
    if (r.status == 401) ++wrong;
    if (r.status == 429) ++refused;
  }
  CHECK(wrong == 5);  // then that address is refused for this account, without Argon2id work
  CHECK(refused == 95);

  // Not in 15 minutes: now (the time is one Argon2id, with room for slow sanitizer builds).
  const auto t0 = std::chrono::steady_clock::now();
  const auto ok = login(port, admin.username, admin.password, next_totp(admin), "127.0.0.3");
  CHECK(ok.status == 200);
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(2));
}

TEST_CASE("failures for one account from many clients are slowed down, never refused") {
  ServerProcess server;
  auto bob = add_account(server, "bob");
  const auto port = server.port();
  std::chrono::steady_clock::duration first{};
  std::chrono::steady_clock::duration eighth{};
  for (int i = 1; i <= 8; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    const auto r = login(port, "bob", "wrong-password-xx", "123456", "127.0.1." + std::to_string(i));
    CHECK(r.status == 401);
    const auto took = std::chrono::steady_clock::now() - t0;
    if (i == 1) first = took;
    if (i == 8) eighth = took;
  }
  // Five failures are answered at once, each one after adds 0.5 s.
  CHECK(eighth - first >= std::chrono::milliseconds(1300));
  // The right password and code are neither refused nor slowed (a ninth
  // failure would wait 2 s more than the first).
  const auto t0 = std::chrono::steady_clock::now();
  CHECK(login(port, "bob", bob.password, next_totp(bob), "127.0.1.9").status == 200);
  CHECK(std::chrono::steady_clock::now() - t0 < first + std::chrono::milliseconds(1000));
}

TEST_CASE("logout ends the session; state changes need the CSRF token") {
  ServerProcess server;
  auto alice = add_account(server, "alice");
  Investigator a(server.port(), alice);
  CHECK(a.get("/api/v1/auth/me").status == 200);
  const auto no_csrf = a.send("POST", "/api/v1/auth/logout", "", false);
  CHECK(no_csrf.status == 403);
  CHECK(error_code(no_csrf) == "csrf_failed");
  CHECK(a.send("POST", "/api/v1/auth/logout", "").status == 204);
  const auto after = a.get("/api/v1/auth/me");
  CHECK(after.status == 401);
  CHECK(error_code(after) == "unauthenticated");
}

TEST_CASE("behind TLS the session cookie is Secure") {
  ServerProcess server({"--behind-tls"});
  auto alice = add_account(server, "alice");
  const auto ok = login(server.port(), "alice", alice.password, next_totp(alice));
  REQUIRE(ok.status == 200);
  CHECK(ok.header("set-cookie").find("; Secure") != std::string::npos);
  CHECK(ok.header("strict-transport-security").find("max-age=") != std::string::npos);
}

TEST_CASE("a disabled account or a reset password ends live sessions") {
  ServerProcess server;
  auto alice = add_account(server, "alice");
  auto bob = add_account(server, "bob");
  Investigator a(server.port(), alice);
  Investigator b(server.port(), bob);
  const auto data = (server.data_dir() / "data").string();
  REQUIRE(a.get("/api/v1/auth/me").status == 200);
  run_krasipd("user disable --data-dir " + data + " --username alice");
  // The very next request, whichever it is, finds the account disabled.
  const auto me = a.get("/api/v1/auth/me");
  CHECK(me.status == 401);
  CHECK(error_code(me) == "unauthenticated");
  CHECK(a.get("/api/v1/cases").status == 401);
  CHECK(a.get("/api/v1/users").status == 401);
  CHECK(a.send("POST", "/api/v1/auth/logout", "").status == 401);
  CHECK(b.get("/api/v1/auth/me").status == 200);  // other accounts go on
  CHECK(login(server.port(), "alice", alice.password, next_totp(alice)).status == 401);

  const auto out = run_krasipd("user reset-password --fast-kdf --data-dir " + data + " --username bob");
  CHECK(b.get("/api/v1/cases").status == 401);
  CHECK(out.find("otpauth://") != std::string::npos);
}

namespace {
// Waits for the server's log to contain `needle`.
bool log_shows(const ServerProcess& server, const std::string& needle, std::chrono::seconds within) {
  const auto until = std::chrono::steady_clock::now() + within;
  while (std::chrono::steady_clock::now() < until) {
    if (read_file(server.log_file()).find(needle) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}
}  // namespace

TEST_CASE("expired sessions end, keys and all, without their tokens coming back") {
  ServerProcess server({"--session-idle-seconds", "2", "--session-sweep-seconds", "1"});
  auto alice = add_account(server, "alice");
  Investigator a(server.port(), alice);
  REQUIRE(a.get("/api/v1/auth/me").status == 200);
  CHECK(read_file(server.log_file()).find("event=sessions_swept") == std::string::npos);
  // Nobody presents the token: the sweep alone ends the session.
  CHECK(log_shows(server, "event=sessions_swept expired=1 ended=0 live=0", std::chrono::seconds(6)));
  const auto after = a.get("/api/v1/auth/me");
  CHECK(after.status == 401);
  CHECK(error_code(after) == "unauthenticated");
}

TEST_CASE("a disabled account's sessions end at the next sweep, unused") {
  ServerProcess server({"--session-sweep-seconds", "1"});
  auto alice = add_account(server, "alice");
  auto bob = add_account(server, "bob");
  Investigator a(server.port(), alice);
  Investigator a2(server.port(), alice);
  Investigator b(server.port(), bob);
  run_krasipd("user disable --data-dir " + (server.data_dir() / "data").string() + " --username alice");
  // Both of alice's sessions go; bob's stays.
  CHECK(log_shows(server, "event=sessions_swept expired=0 ended=2 live=1", std::chrono::seconds(5)));
  CHECK(a.get("/api/v1/auth/me").status == 401);
  CHECK(a2.get("/api/v1/auth/me").status == 401);
  CHECK(b.get("/api/v1/auth/me").status == 200);
}

TEST_CASE("changing one's password keeps access to every case") {
  ServerProcess server;
  auto alice_acc = add_account(server, "alice");
  const auto [number, code] = file_complaint(server.port(), false);
  Investigator alice(server.port(), alice_acc);
  const auto wrong = alice.send("POST", "/api/v1/auth/password",
                                R"({"current_password":"nope-nope-nope","new_password":"a-new-long-password"})");
  CHECK(wrong.status == 401);
  const auto shortpw = alice.send("POST", "/api/v1/auth/password",
                                  json::serialize(json::object{{"current_password", alice_acc.password}, {"new_password", "short"}}));
  CHECK(shortpw.status == 400);
  REQUIRE(alice.send("POST", "/api/v1/auth/password",
                     json::serialize(json::object{{"current_password", alice_acc.password},
                                                  {"new_password", "a-new-long-password"}})).status == 204);
  CHECK(login(server.port(), "alice", alice_acc.password, next_totp(alice_acc)).status == 401);
  alice_acc.logins = 1;  // the old password was refused, so that code was not used up
  alice_acc.password = "a-new-long-password";
  Investigator again(server.port(), alice_acc);
  CHECK(again.get("/api/v1/cases/" + number).status == 200);
}
