#pragma once
#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace krasip::test {

// A real krasipd in a fresh temporary data folder, initialised with
// `krasipd init` and serving on an ephemeral port, logging to a file that
// tests may read. Stopped (SIGTERM) and removed when destroyed.
class ServerProcess {
 public:
  explicit ServerProcess(std::vector<std::string> extra_serve_args = {});
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;
  ~ServerProcess();

  unsigned short port() const { return port_; }
  pid_t pid() const { return pid_; }
  const std::filesystem::path& data_dir() const { return dir_; }
  std::filesystem::path log_file() const { return dir_ / "krasip.log"; }
  const std::string& init_output() const { return init_output_; }

  void start();
  // Starts again on the same data with other serve options.
  void restart_with(std::vector<std::string> extra_serve_args);
  // Graceful stop; returns the exit status.
  int stop();
  // Power-cut style: SIGKILL, no chance to flush anything.
  void kill_hard();

 private:
  std::filesystem::path dir_;
  std::vector<std::string> extra_;
  std::string init_output_;
  pid_t pid_ = -1;
  unsigned short port_ = 0;
};

std::string read_file(const std::filesystem::path& p);
// Every byte of every file under `dir`, concatenated.
std::string read_tree(const std::filesystem::path& dir);

}  // namespace krasip::test
