#pragma once
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace krasip::cli {

// What `krasipd serve` takes. A configuration file (--config) may name only
// these, so a typo in it is an error for every command.
inline const std::vector<std::string> kServeValueOptions = {
    "pow-bits", "pow-max-bits", "flood-floor",  // issue 22: the proof of work, floods
    "data-dir", "listen", "web-root", "threads", "port-file", "pepper-file",
    "frame-ancestor", "log-file", "header-timeout-ms", "body-timeout-ms",
    "max-connections", "ack-days", "reply-days", "outcome-days",
    "submit-rate", "status-rate", "login-rate", "upload-max-bytes", "max-db-mb",
    "case-upload-max-bytes", "upload-chunk-timeout-ms", "login-queue",
    "session-idle-seconds", "session-max-seconds", "session-sweep-seconds", "owner",
    "metrics-listen", "metrics-port-file", "counts-roll-seconds", "cleaner", "pack-pdf",
    "max-concurrent-uploads", "cleaner-memory-mib", "cleaner-cpu-seconds", "cleaner-timeout-ms",
    "public-url", "onion-address", "mail-poll-ms", "mail-retry-base-seconds", "mail-retry-max-seconds", "digest-hour",
    "clock-offset-file"};
inline const std::vector<std::string> kServeFlags = {"behind-tls", "fast-kdf", "trust-proxy"};

// "--name value" and "--flag" arguments after the subcommand words. Every
// option must be declared, so a typo is an error rather than ignored.
//
// Every command also takes `--config FILE` (the Debian package's
// /etc/krasip/krasipd.conf): one option per line, `name = value` or a bare
// flag name, `#` comments. A command takes from it the options it
// declares, unless given on its command line (which wins), and ignores the
// serve options it does not use; `serve --config F` alone runs the service.
class Options {
 public:
  Options(int argc, char** argv, int first, const std::vector<std::string>& with_value,
          const std::vector<std::string>& flags);
  std::optional<std::string> get(const std::string& name) const;
  std::vector<std::string> all(const std::string& name) const;
  std::string require(const std::string& name) const;
  bool flag(const std::string& name) const;

 private:
  void read_config(const std::string& file, const std::vector<std::string>& with_value,
                   const std::vector<std::string>& flags);
  std::multimap<std::string, std::string> values_;
  std::vector<std::string> flags_;
  std::set<std::string> from_file_names_;
};

// Thrown for bad command lines; main prints it with the usage text.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace krasip::cli
