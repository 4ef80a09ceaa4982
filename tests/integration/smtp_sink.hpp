#pragma once
// A real SMTP server for tests of the alert mails: aiosmtpd
// (tests/smtp/smtp_sink.py) saves every message it accepts.
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "fixtures.hpp"
#include "investigator_client.hpp"
#include "server_process.hpp"

namespace krasip::test {

// python3 tests/smtp/smtp_sink.py in a process of its own.
class SmtpSink {
 public:
  explicit SmtpSink(std::filesystem::path folder) : folder_(std::move(folder)) {
    std::filesystem::create_directories(folder_);
  }
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;
  ~SmtpSink() { stop(); }

  // `auth` ("user:password"): the server offers AUTH and takes only that login.
  void start(unsigned short port = 0, const std::string& auth = {}) {
    const auto port_file = folder_.parent_path() / "smtp.port";
    std::filesystem::remove(port_file);
    const std::string script = std::string(KRASIP_FIXTURES_DIR) + "/../smtp/smtp_sink.py";
    pid_ = ::fork();
    if (pid_ == 0) {
      const std::string p = std::to_string(port);
      // Debian's interpreter, which python3-aiosmtpd is installed for (a
      // python3 earlier on PATH, e.g. pyenv's, may lack it).
      ::execl("/usr/bin/python3", "python3", script.c_str(), port_file.c_str(), folder_.c_str(), p.c_str(),
              auth.empty() ? nullptr : auth.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    REQUIRE(pid_ > 0);
    for (int i = 0; i < 200 && !std::filesystem::exists(port_file); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    REQUIRE_MESSAGE(std::filesystem::exists(port_file), "aiosmtpd did not start (is python3-aiosmtpd installed?)");
    port_ = static_cast<unsigned short>(std::stoi(read_file(port_file)));
  }
  void stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }
  unsigned short port() const { return port_; }

  struct Mail {
    std::string raw;      // the bytes as received
    std::string decoded;  // "RCPT: a,b", the decoded subject and body
  };
  std::vector<Mail> mails() const {
    std::vector<Mail> out;
    for (int n = 1;; ++n) {
      const auto eml = folder_ / (std::to_string(n) + ".eml");
      if (!std::filesystem::exists(eml)) break;
      out.push_back({read_file(eml), read_file(folder_ / (std::to_string(n) + ".txt"))});
    }
    return out;
  }
  std::vector<Mail> mails_to(const std::string& address) const {
    std::vector<Mail> out;
    for (auto& m : mails()) {
      if (m.decoded.starts_with("RCPT: " + address + "\n")) out.push_back(std::move(m));
    }
    return out;
  }
  // Waits until `address` has at least `n` mails; returns them.
  std::vector<Mail> wait_for(const std::string& address, std::size_t n,
                             std::chrono::seconds limit = std::chrono::seconds(20)) const {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
      auto m = mails_to(address);
      if (m.size() >= n) return m;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return mails_to(address);
  }

 private:
  std::filesystem::path folder_;
  pid_t pid_ = -1;
  unsigned short port_ = 0;
};

inline void set_mail(ServerProcess& server, unsigned short smtp_port) {
  std::string out;
  REQUIRE(server.run_command({"mail", "set", "--data-dir", (server.data_dir() / "data").string(),
                              "--smtp-url", "smtp://127.0.0.1:" + std::to_string(smtp_port),
                              "--from", "krasip@agency.example.go.th"},
                             &out) == 0);
}

inline std::string token_in(const std::string& decoded) {
  std::smatch m;
  REQUIRE(std::regex_search(decoded, m, std::regex("verify-email\\.html#([0-9a-f]{64})")));
  return m[1];
}

// Asks for alerts at `address` and opens the link of the verification mail.
inline void verify_address(unsigned short port, const Investigator& who, const SmtpSink& smtp,
                    const std::string& address) {
  const auto r = who.send("PUT", "/api/v1/me/alerts", boost::json::serialize(boost::json::object{{"email", address}}));
  REQUIRE(r.status == 200);
  CHECK_FALSE(parse(r).at("email_verified").as_bool());
  const auto mails = smtp.wait_for(address, 1);
  REQUIRE(mails.size() == 1);
  const auto v = post_json(port, "/api/v1/me/email/verify",
                           boost::json::serialize(boost::json::object{{"token", token_in(mails[0].decoded)}}));
  REQUIRE(v.status == 200);
  CHECK(parse(who.get("/api/v1/me/alerts")).at("email_verified").as_bool());
}

}  // namespace krasip::test
