#pragma once
// The processes a test's process (or krasipd) started, read from /proc: to
// find the krasip-cleaner helper of an upload, look at it, and kill it.
#include <sys/types.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace krasip::test {

struct ChildProcess {
  pid_t pid = 0;
  std::string name;  // comm: at most 15 characters
  char state = '?';  // 'Z': a zombie
};

inline std::vector<ChildProcess> children_of(pid_t parent) {
  std::vector<ChildProcess> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator("/proc", ec)) {
    const std::string name = e.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream f(e.path() / "stat");
    std::string stat((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    const auto open = stat.find('(');
    const auto close = stat.rfind(')');
    if (open == std::string::npos || close == std::string::npos) continue;
    std::istringstream rest(stat.substr(close + 2));
    char state = '?';
    pid_t ppid = 0;
    rest >> state >> ppid;
    if (ppid != parent) continue;
    out.push_back(
        {static_cast<pid_t>(std::stol(name)), stat.substr(open + 1, close - open - 1), state});
  }
  return out;
}

// A line of /proc/<pid>/status ("Seccomp" -> "2"), or "" if absent.
inline std::string status_field(pid_t pid, const std::string& key) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind(key + ":", 0) == 0) {
      auto v = line.substr(key.size() + 1);
      v.erase(0, v.find_first_not_of(" \t"));
      return v;
    }
  }
  return {};
}

// The fds a process holds.
inline std::vector<int> open_fds(pid_t pid) {
  std::vector<int> fds;
  std::error_code ec;
  for (const auto& e :
       std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec)) {
    fds.push_back(std::stoi(e.path().filename().string()));
  }
  return fds;
}

}  // namespace krasip::test
