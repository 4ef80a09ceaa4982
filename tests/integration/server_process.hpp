#pragma once
#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace krasip::test {

// Who krasipd runs as. Root ignores file modes, so a test about files the
// service cannot write needs `unprivileged`: when the tests run as root,
// krasipd then runs as uid/gid 65534 and the temporary folder is given to
// that user; otherwise it runs as the current user, as with `current`.
enum class RunAs { current, unprivileged };

// A real krasipd in a fresh temporary data folder, initialised with
// `krasipd init` and serving on an ephemeral port, logging to a file that
// tests may read. Stopped (SIGTERM) and removed when destroyed.
class ServerProcess {
 public:
  explicit ServerProcess(std::vector<std::string> extra_serve_args = {},
                         RunAs run_as = RunAs::current);
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;
  ~ServerProcess();

  unsigned short port() const { return port_; }
  pid_t pid() const { return pid_; }
  const std::filesystem::path& data_dir() const { return dir_; }
  std::filesystem::path log_file() const { return dir_ / "krasip.log"; }
  const std::string& init_output() const { return init_output_; }
  // What krasipd wrote to standard error (fatal start-up errors).
  std::filesystem::path stderr_file() const { return dir_ / "krasipd.stderr"; }
  // The exit status of the last krasipd that exited by itself at start.
  int start_exit_status() const { return start_exit_status_; }

  // Throws if krasipd exits before it listens.
  void start();
  // Starts again on the same data with other serve options.
  void restart_with(std::vector<std::string> extra_serve_args);
  // Graceful stop; returns the exit status.
  int stop();
  // Power-cut style: SIGKILL, no chance to flush anything.
  void kill_hard();
  // Runs another krasipd command (e.g. {"audit", "verify", "--data-dir", ...})
  // as the same user as the server; returns its exit status, and its output.
  int run_command(const std::vector<std::string>& args, std::string* output = nullptr) const;

 private:
  // The command line prefix that runs a program as the server's user.
  std::vector<std::string> as_user(std::vector<std::string> args) const;

  std::filesystem::path dir_;
  std::vector<std::string> extra_;
  std::string init_output_;
  std::string krasipd_;
  std::string web_root_;
  bool drop_root_ = false;
  pid_t pid_ = -1;
  unsigned short port_ = 0;
  int start_exit_status_ = -1;
};

// The uid and gid RunAs::unprivileged uses when the tests run as root.
inline constexpr unsigned kUnprivilegedId = 65534;

std::string read_file(const std::filesystem::path& p);
// Every byte of every file under `dir`, concatenated.
std::string read_tree(const std::filesystem::path& dir);

}  // namespace krasip::test
