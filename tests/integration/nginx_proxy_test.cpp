#include <doctest/doctest.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "fixtures.hpp"
#include "server_process.hpp"

extern char** environ;

using namespace krasip::test;
namespace fs = std::filesystem;

namespace {

std::string find_nginx() {
  for (const char* p : {"/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx"}) {
    if (::access(p, X_OK) == 0) return p;
  }
  return {};
}

unsigned short free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    ::close(fd);
    throw std::runtime_error("no free port");
  }
  ::close(fd);
  return ntohs(a.sin_port);
}

// Debian's nginx in the foreground, as one process, with everything it
// writes in `dir`, proxying to `upstream_port` with the shipped
// deploy/nginx-krasip-proxy.conf included verbatim. Only the server block
// around it differs from deploy/nginx-krasip.conf: plain HTTP on an
// ephemeral loopback port instead of TLS on 443.
class NginxProcess {
 public:
  NginxProcess(const fs::path& dir, unsigned short upstream_port) : dir_(dir) {
    const auto nginx = find_nginx();
    if (nginx.empty()) {
      throw std::runtime_error("nginx is not installed; run scripts/install-deps --test");
    }
    fs::create_directories(dir_ / "logs");
    port_ = free_port();
    const std::string d = dir_.string();
    std::ofstream(dir_ / "nginx.conf")
        << "daemon off;\nmaster_process off;\nworker_processes 1;\n"
        << "pid " << d << "/nginx.pid;\nerror_log " << d << "/logs/error.log info;\n"
        << "events { worker_connections 64; }\n"
        << "http {\n"
        // nginx's own default: what it would write if the shipped file did not say otherwise.
        << "  access_log " << d << "/logs/access.log;\n"
        << "  client_body_temp_path " << d << "/body;\n  proxy_temp_path " << d << "/proxy;\n"
        << "  fastcgi_temp_path " << d << "/fastcgi;\n  uwsgi_temp_path " << d << "/uwsgi;\n"
        << "  scgi_temp_path " << d << "/scgi;\n"
        << "  upstream krasipd { server 127.0.0.1:" << upstream_port << "; }\n"
        << "  server {\n    listen 127.0.0.1:" << port_ << ";\n"
        << "    include " << KRASIP_DEPLOY_DIR << "/nginx-krasip-proxy.conf;\n  }\n"
        << "}\n";
    std::vector<std::string> args = {nginx, "-p", d, "-e", d + "/logs/error.log", "-c",
                                     d + "/nginx.conf"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    ::posix_spawn_file_actions_init(&actions);
    ::posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, (dir_ / "stderr").c_str(),
                                       O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int spawned = ::posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
    ::posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0) throw std::runtime_error("cannot start nginx");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    for (;;) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        throw std::runtime_error("nginx exited at start:\n" + read_file(dir_ / "stderr") +
                                 read_file(dir_ / "logs/error.log"));
      }
      try {
        Connection probe(port_);
        break;
      } catch (const std::exception&) {
      }
      if (std::chrono::steady_clock::now() > deadline) {
        throw std::runtime_error("nginx did not start");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  NginxProcess(const NginxProcess&) = delete;
  NginxProcess& operator=(const NginxProcess&) = delete;
  ~NginxProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
  }
  unsigned short port() const { return port_; }
  fs::path access_log() const { return dir_ / "logs/access.log"; }

 private:
  fs::path dir_;
  unsigned short port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace

TEST_CASE("behind the shipped nginx config, rate limits are per client and nothing logs the address") {
  ServerProcess krasipd({"--trust-proxy", "--status-rate", "3", "--submit-rate", "2"});
  NginxProcess nginx(krasipd.data_dir() / "nginx", krasipd.port());
  const std::string lookup = R"({"tracking_code":"0000000-0000000-0000000"})";

  // One client (127.0.0.2) goes over the status-lookup limit...
  for (int i = 0; i < 3; ++i) {
    CHECK(post_json_from("127.0.0.2", nginx.port(), "/api/v1/status", lookup).status == 404);
  }
  const auto limited = post_json_from("127.0.0.2", nginx.port(), "/api/v1/status", lookup);
  CHECK(limited.status == 429);
  CHECK(error_code(limited) == "rate_limited");
  // ...and cannot get out of it by naming another address: nginx replaces
  // the header with the connection's address.
  CHECK(request_from("127.0.0.2", nginx.port(), "POST", "/api/v1/status", lookup,
                     "application/json", "X-Real-IP: 127.0.0.9\r\n")
            .status == 429);
  // Another client (127.0.0.3) behind the same proxy is not affected.
  CHECK(post_json_from("127.0.0.3", nginx.port(), "/api/v1/status", lookup).status == 404);

  // The same for complaints: one script cannot block every reporter.
  const auto body = boost::json::serialize(complaint(false));
  CHECK(post_json_from("127.0.0.2", nginx.port(), "/api/v1/complaints", body).status == 201);
  CHECK(post_json_from("127.0.0.2", nginx.port(), "/api/v1/complaints", body).status == 201);
  CHECK(post_json_from("127.0.0.2", nginx.port(), "/api/v1/complaints", body).status == 429);
  CHECK(post_json_from("127.0.0.3", nginx.port(), "/api/v1/complaints", body).status == 201);

  // Neither nginx nor krasipd wrote a client address anywhere.
  CHECK(read_file(nginx.access_log()).empty());
  const auto log = read_file(krasipd.log_file());
  CHECK(!log.empty());
  for (const char* address : {"127.0.0.2", "127.0.0.3", "127.0.0.9"}) {
    CAPTURE(address);
    CHECK(log.find(address) == std::string::npos);
  }
}
