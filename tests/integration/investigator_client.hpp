#pragma once
#include <boost/json.hpp>
#include <string>

#include "http_client.hpp"
#include "krasip/crypto/secure_bytes.hpp"
#include "server_process.hpp"

namespace krasip::test {

struct TestClock;

struct Account {
  std::string username;
  std::string password;
  crypto::SecureBytes totp_secret;
  int logins = 0;  // each login uses the next TOTP step: codes cannot be replayed
  // The moved clock of the server it signs in to, if any (test_clock.hpp).
  TestClock* clock = nullptr;
};

// Runs `krasipd user add` against the server's data folder.
Account add_account(ServerProcess& server, const std::string& username, bool custodian = false,
                    bool admin = false);
// The admin account `krasipd init` created.
Account init_admin(ServerProcess& server);
// The account whose password and TOTP URI a command printed once (e.g. the
// first administrator `krasipd agency add` makes).
Account account_in_output(const std::string& output, const std::string& username);
std::string next_totp(Account& a);
// What the owner of a new or re-enrolled account does with the enrolment
// link an answer carries (issue 20): opens it, adds the TOTP secret to an
// app, chooses `password` and proves a code. The account, ready to sign in.
Account enrol(unsigned short port, const boost::json::value& answer, const std::string& password,
              TestClock* clock = nullptr);
// A step-up proof (the password and the account's next unused TOTP code)
// for a sensitive request, and a JSON body with one added.
boost::json::object step_up_proof(Account& a);
std::string with_step_up(const std::string& body, const boost::json::object& proof);

// A logged-in investigator: the session cookie and CSRF token.
class Investigator {
 public:
  Investigator() = default;
  Investigator(unsigned short port, Account& account);
  HttpResult get(const std::string& target) const;
  HttpResult send(const std::string& method, const std::string& target, const std::string& json,
                  bool with_csrf = true) const;
  // Any body and content type (a multipart upload), with the session.
  HttpResult send_body(const std::string& method, const std::string& target, const std::string& body,
                       const std::string& content_type, bool with_csrf = true) const;
  const std::string& cookie() const { return cookie_; }
  bool logged_in() const { return !cookie_.empty(); }

 private:
  unsigned short port_ = 0;
  std::string cookie_;
  std::string csrf_;
};

// `source`: the local address to connect from (see Connection).
HttpResult login(unsigned short port, const std::string& username, const std::string& password,
                 const std::string& totp, const std::string& source = {});

// Files a complaint and returns {case_number, tracking_code}.
// `channel`: needed once the agency has more than one.
std::pair<std::string, std::string> file_complaint(unsigned short port, bool with_identity,
                                                   const std::string& channel = {});

std::string run_krasipd(const std::string& args, const std::string& stdin_text = {}, int* exit_code = nullptr);
// The same, run under a command prefix (e.g. "prlimit --fsize=65536").
std::string run_krasipd_prefixed(const std::string& prefix, const std::string& args, int* exit_code,
                                 const std::string& stdin_text = {});

}  // namespace krasip::test
