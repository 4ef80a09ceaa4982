#include "options.hpp"

#include <algorithm>
#include <fstream>
#include <stdexcept>

namespace krasip::cli {

Options::Options(int argc, char** argv, int first, const std::vector<std::string>& with_value,
                 const std::vector<std::string>& flags) {
  for (int i = first; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--", 0) != 0) throw UsageError("unexpected argument: " + arg);
    const std::string name = arg.substr(2);
    if (std::find(flags.begin(), flags.end(), name) != flags.end()) {
      flags_.push_back(name);
    } else if (std::find(with_value.begin(), with_value.end(), name) != with_value.end()) {
      if (i + 1 >= argc) throw UsageError("--" + name + " needs a value");
      values_.emplace(name, argv[++i]);
    } else if (name == "config") {
      if (i + 1 >= argc) throw UsageError("--config needs a file");
      values_.emplace(name, argv[++i]);
    } else {
      throw UsageError("unknown option: " + arg);
    }
  }
  if (auto file = get("config")) read_config(*file, with_value, flags);
}

namespace {
std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}
bool contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}
}  // namespace

void Options::read_config(const std::string& file, const std::vector<std::string>& with_value,
                          const std::vector<std::string>& flags) {
  std::ifstream in(file);
  if (!in) throw UsageError("--config " + file + ": cannot read it");
  std::multimap<std::string, std::string> from_file;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    line = trim(line);
    if (line.empty() || line.front() == '#') continue;
    const auto eq = line.find('=');
    const std::string name = trim(line.substr(0, eq));
    const std::string where = file + " line " + std::to_string(n) + ": ";
    if (eq == std::string::npos) {
      if (!contains(kServeFlags, name)) {
        throw UsageError(where + (contains(kServeValueOptions, name) ? "'" + name + "' needs '= value'"
                                                                      : "unknown option '" + name + "'"));
      }
      if (contains(flags, name) && !flag(name)) flags_.push_back(name);
      continue;
    }
    const std::string value = trim(line.substr(eq + 1));
    if (!contains(kServeValueOptions, name)) {
      throw UsageError(where + (contains(kServeFlags, name) ? "'" + name + "' is a flag: write it alone"
                                                             : "unknown option '" + name + "'"));
    }
    if (value.empty()) throw UsageError(where + "'" + name + "' has no value");
    if (contains(with_value, name)) from_file.emplace(name, value);
  }
  // The command line wins, for every value of a repeatable option too.
  for (const auto& [name, value] : from_file) {
    if (values_.find(name) == values_.end() || from_file_names_.count(name) != 0) {
      from_file_names_.insert(name);
      values_.emplace(name, value);
    }
  }
}

std::optional<std::string> Options::get(const std::string& name) const {
  const auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> Options::all(const std::string& name) const {
  std::vector<std::string> out;
  const auto [b, e] = values_.equal_range(name);
  for (auto it = b; it != e; ++it) out.push_back(it->second);
  return out;
}

std::string Options::require(const std::string& name) const {
  auto v = get(name);
  if (!v) throw UsageError("--" + name + " is required");
  return *v;
}

bool Options::flag(const std::string& name) const {
  return std::find(flags_.begin(), flags_.end(), name) != flags_.end();
}

}  // namespace krasip::cli
