#include "server_process.hpp"

#include <fcntl.h>
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

std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (const char c : s) {
    if (c == '\'') {
      q += "'\\''";
    } else {
      q += c;
    }
  }
  return q + "'";
}

// Runs `argv` through the shell, standard error with standard output.
int run_status(const std::vector<std::string>& argv, std::string* output) {
  std::string cmd;
  for (const auto& a : argv) cmd += shell_quote(a) + " ";
  FILE* p = ::popen((cmd + "2>&1").c_str(), "r");
  if (p == nullptr) throw std::runtime_error("popen failed");
  std::string out;
  std::array<char, 4096> buf{};
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  const int status = ::pclose(p);
  if (output != nullptr) *output = std::move(out);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

void give_tree(const std::filesystem::path& dir, unsigned id) {
  const auto give = [id](const std::filesystem::path& p) {
    if (::lchown(p.c_str(), id, id) != 0) throw std::runtime_error("cannot chown " + p.string());
  };
  give(dir);
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) give(e.path());
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

ServerProcess::ServerProcess(std::vector<std::string> extra, RunAs run_as)
    : dir_(fresh_dir()),
      extra_(std::move(extra)),
      krasipd_(KRASIPD_PATH),
      web_root_(KRASIP_WEB_ROOT),
      drop_root_(run_as == RunAs::unprivileged && ::geteuid() == 0) {
  // With standard error: as root, init notes that the files stay root's.
  init_output_ = run_capture(krasipd_ + " init --fast-kdf --data-dir " + (dir_ / "data").string() + " 2>&1");
  if (drop_root_) {
    // The build tree may be where that user cannot go (e.g. under /root):
    // then it runs a copy of the binary and the pages.
    const std::vector<std::string> reach = {"test", "-x", krasipd_,
                                            "-a", "-r", web_root_ + "/index.html"};
    if (run_status(as_user(reach), nullptr) != 0) {
      std::filesystem::copy_file(krasipd_, dir_ / "krasipd");
      std::filesystem::copy(web_root_, dir_ / "web", std::filesystem::copy_options::recursive);
      krasipd_ = (dir_ / "krasipd").string();
      web_root_ = (dir_ / "web").string();
    }
    give_tree(dir_, kUnprivilegedId);
  }
  start();
}

std::vector<std::string> ServerProcess::as_user(std::vector<std::string> args) const {
  if (!drop_root_) return args;
  const std::string id = std::to_string(kUnprivilegedId);
  args.insert(args.begin(), {"setpriv", "--reuid=" + id, "--regid=" + id, "--clear-groups"});
  return args;
}

int ServerProcess::run_command(const std::vector<std::string>& args, std::string* output) const {
  std::vector<std::string> argv = {krasipd_};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_status(as_user(argv), output);
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) stop();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

void ServerProcess::start() {
  const auto port_file = dir_ / "port";
  std::filesystem::remove(port_file);
  std::vector<std::string> args = {krasipd_, "serve", "--data-dir", (dir_ / "data").string(),
                                   "--listen", "127.0.0.1:0", "--port-file", port_file.string(),
                                   "--web-root", web_root_, "--log-file", log_file().string(),
                                   "--fast-kdf"};
  args.insert(args.end(), extra_.begin(), extra_.end());
  // Many requests come from 127.0.0.1 here: per-client rate limits are off
  // unless a test sets them (the first value of an option wins).
  for (const char* rate : {"--submit-rate", "--status-rate", "--login-rate"}) {
    args.insert(args.end(), {rate, "0"});
  }
  // Tests file complaints faster than a flood's floor: no proof of work
  // unless a test asks for it (issue 22).
  args.insert(args.end(), {"--pow-bits", "0"});
  args = as_user(std::move(args));
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  ::posix_spawn_file_actions_init(&actions);
  ::posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, stderr_file().c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
  const int spawned = ::posix_spawnp(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
  ::posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) throw std::runtime_error("cannot start krasipd");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!std::filesystem::exists(port_file)) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      start_exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      throw std::runtime_error("krasipd exited at start:\n" + read_file(stderr_file()) +
                               read_file(log_file()));
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
