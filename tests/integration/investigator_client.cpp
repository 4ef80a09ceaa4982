#include "investigator_client.hpp"

#include <cstdio>
#include <ctime>
#include <fstream>
#include <stdexcept>

#include "fixtures.hpp"
#include "test_clock.hpp"
#include "krasip/cases/accounts/totp.hpp"

namespace krasip::test {

namespace json = boost::json;

std::string run_krasipd(const std::string& args, const std::string& stdin_text, int* exit_code) {
  return run_krasipd_prefixed("", args, exit_code, stdin_text);
}

std::string run_krasipd_prefixed(const std::string& prefix, const std::string& args, int* exit_code,
                                 const std::string& stdin_text) {
  const std::string input = std::filesystem::temp_directory_path() / ("krasip-stdin-" + std::to_string(::getpid()));
  std::ofstream(input) << stdin_text;
  const std::string cmd = prefix + " " + std::string(KRASIPD_PATH) + " " + args + " < " + input + " 2>&1";
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int status = ::pclose(p);
  std::filesystem::remove(input);
  if (exit_code != nullptr) {
    *exit_code = WEXITSTATUS(status);
  } else if (status != 0) {
    throw std::runtime_error("krasipd " + args + " failed:\n" + out);
  }
  return out;
}

namespace {
Account account_from(const std::string& output, const std::string& username, std::string password) {
  const auto uri_at = output.find("otpauth://");
  if (uri_at == std::string::npos) throw std::runtime_error("no TOTP URI in:\n" + output);
  const auto uri = output.substr(uri_at, output.find('\n', uri_at) - uri_at);
  if (password.empty()) {
    const auto p = output.find("password: ");
    password = output.substr(p + 10, output.find(' ', p + 10) - p - 10);
  }
  return Account{username, password, *cases::totp_secret_from_uri(uri), 0};
}
}  // namespace

Account add_account(ServerProcess& server, const std::string& username, bool custodian, bool admin) {
  const std::string password = "pw-for-" + username + "-long-enough";
  std::string args = "user add --fast-kdf --data-dir " + (server.data_dir() / "data").string() +
                     " --username " + username + " --name Test-" + username + " --password-stdin";
  if (custodian) args += " --custodian";
  if (admin) args += " --admin";
  return account_from(run_krasipd(args, password + "\n"), username, password);
}

Account init_admin(ServerProcess& server) { return account_from(server.init_output(), "admin", ""); }

Account account_in_output(const std::string& output, const std::string& username) {
  return account_from(output, username, "");
}

std::string next_totp(Account& a) {
  const auto now = static_cast<std::int64_t>(std::time(nullptr));
  if (a.clock != nullptr) {
    // The server's clock moves a step on with each code (test_clock.hpp).
    ++a.logins;
    return cases::totp_code(a.totp_secret, now + a.clock->next_step());
  }
  // Step k of this test run: now + 30 s * k (the server accepts one step of drift).
  const auto t = now + 30 * a.logins;
  ++a.logins;
  return cases::totp_code(a.totp_secret, t);
}

Account enrol(unsigned short port, const json::value& answer, const std::string& password, TestClock* clock) {
  const std::string link(answer.at("enrolment").at("link").as_string());
  const auto token = link.substr(link.find('#') + 1);
  const auto opened = post_json(port, "/api/v1/enrol/open", json::serialize(json::object{{"token", token}}));
  if (opened.status != 200) throw std::runtime_error("enrolment link refused: " + opened.body);
  const auto v = json::parse(opened.body);
  Account a;
  a.username = std::string(v.at("username").as_string());
  a.password = password;
  a.clock = clock;
  const auto secret = cases::totp_secret_from_uri(std::string(v.at("totp_uri").as_string()));
  if (!secret) throw std::runtime_error("no TOTP secret in the enrolment");
  a.totp_secret = crypto::SecureBytes::copy_of(secret->view());
  const auto done = post_json(port, "/api/v1/enrol/finish",
                              json::serialize(json::object{{"token", token}, {"password", password}, {"totp", next_totp(a)}}));
  if (done.status != 200) throw std::runtime_error("enrolment refused: " + done.body);
  return a;
}

json::object step_up_proof(Account& a) {
  return {{"password", a.password}, {"totp", next_totp(a)}};
}

std::string with_step_up(const std::string& body, const json::object& proof) {
  auto v = json::parse(body);
  v.as_object()["step_up"] = proof;
  return json::serialize(v);
}

HttpResult login(unsigned short port, const std::string& username, const std::string& password,
                 const std::string& totp, const std::string& source) {
  return post_json_from(source, port, "/api/v1/auth/login",
                   json::serialize(json::object{{"username", username}, {"password", password}, {"totp", totp}}));
}

Investigator::Investigator(unsigned short port, Account& account) : port_(port) {
  const auto r = login(port, account.username, account.password, next_totp(account));
  if (r.status != 200) throw std::runtime_error("login failed for " + account.username + ": " + r.body);
  const auto set_cookie = r.header("set-cookie");
  cookie_ = set_cookie.substr(0, set_cookie.find(';'));
  csrf_ = std::string(json::parse(r.body).at("csrf_token").as_string());
}

HttpResult Investigator::get(const std::string& target) const {
  return request(port_, "GET", target, {}, {}, "Cookie: " + cookie_ + "\r\n");
}

HttpResult Investigator::send(const std::string& method, const std::string& target, const std::string& json,
                              bool with_csrf) const {
  std::string headers = "Cookie: " + cookie_ + "\r\n";
  if (with_csrf) headers += "X-CSRF-Token: " + csrf_ + "\r\n";
  return request(port_, method, target, json, "application/json", headers);
}

HttpResult Investigator::send_body(const std::string& method, const std::string& target,
                                   const std::string& body, const std::string& content_type,
                                   bool with_csrf) const {
  std::string headers = "Cookie: " + cookie_ + "\r\n";
  if (with_csrf) headers += "X-CSRF-Token: " + csrf_ + "\r\n";
  return request(port_, method, target, body, content_type, headers);
}

std::pair<std::string, std::string> file_complaint(unsigned short port, bool with_identity,
                                                   const std::string& channel) {
  auto body = complaint(with_identity);
  if (!channel.empty()) body["channel"] = channel;
  const auto r = post_json(port, "/api/v1/complaints", json::serialize(body));
  if (r.status != 201) throw std::runtime_error("complaint refused: " + r.body);
  const auto v = json::parse(r.body);
  return {std::string(v.at("case_number").as_string()), std::string(v.at("tracking_code").as_string())};
}

}  // namespace krasip::test
