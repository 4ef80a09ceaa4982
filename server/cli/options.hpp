#pragma once
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace krasip::cli {

// "--name value" and "--flag" arguments after the subcommand words. Every
// option must be declared, so a typo is an error rather than ignored.
class Options {
 public:
  Options(int argc, char** argv, int first, const std::vector<std::string>& with_value,
          const std::vector<std::string>& flags);
  std::optional<std::string> get(const std::string& name) const;
  std::vector<std::string> all(const std::string& name) const;
  std::string require(const std::string& name) const;
  bool flag(const std::string& name) const;

 private:
  std::multimap<std::string, std::string> values_;
  std::vector<std::string> flags_;
};

// Thrown for bad command lines; main prints it with the usage text.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace krasip::cli
