#include "server_process.hpp"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace krasip::test {

namespace {
std::filesystem::path fresh_dir() {
  std::random_device rd;
  const auto base = std::filesystem::temp_directory_path() /
                    ("krasip-it-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
  std::filesystem::create_directories(base);
  return base;
}

std::string run_capture(const std::string& cmd) {
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) throw std::runtime_error("popen failed");
  std::array<char, 4096> buf{};
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  if (::pclose(p) != 0) throw std::runtime_error("command failed: " + cmd + "\n" + out);
  return out;
}
}  // namespace

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string read_tree(const std::filesystem::path& dir) {
  std::string all;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) all += read_file(e.path());
  }
  return all;
}

ServerProcess::ServerProcess(std::vector<std::string> extra) : dir_(fresh_dir()), extra_(std::move(extra)) {
  init_output_ = run_capture(std::string(KRASIPD_PATH) + " init --fast-kdf --data-dir " +
                             (dir_ / "data").string());
  start();
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) stop();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

void ServerProcess::start() {
  const auto port_file = dir_ / "port";
  std::filesystem::remove(port_file);
  std::vector<std::string> args = {KRASIPD_PATH, "serve", "--data-dir", (dir_ / "data").string(),
                                   "--listen", "127.0.0.1:0", "--port-file", port_file.string(),
                                   "--web-root", KRASIP_WEB_ROOT, "--log-file", log_file().string(),
                                   "--fast-kdf"};
  args.insert(args.end(), extra_.begin(), extra_.end());
  // Many requests come from 127.0.0.1 here: per-client rate limits are off
  // unless a test sets them (the first value of an option wins).
  for (const char* rate : {"--submit-rate", "--status-rate", "--login-rate"}) {
    args.insert(args.end(), {rate, "0"});
  }
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  if (::posix_spawn(&pid_, KRASIPD_PATH, nullptr, nullptr, argv.data(), environ) != 0) {
    throw std::runtime_error("cannot start krasipd");
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!std::filesystem::exists(port_file)) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("krasipd exited at start:\n" + read_file(log_file()));
    }
    if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("krasipd did not start");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  port_ = static_cast<unsigned short>(std::stoi(read_file(port_file)));
}

void ServerProcess::restart_with(std::vector<std::string> extra_serve_args) {
  if (pid_ > 0) stop();
  extra_ = std::move(extra_serve_args);
  start();
}

int ServerProcess::stop() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void ServerProcess::kill_hard() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

}  // namespace krasip::test
