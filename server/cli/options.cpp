#include "options.hpp"

#include <algorithm>
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
    } else {
      throw UsageError("unknown option: " + arg);
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
