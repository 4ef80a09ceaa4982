#pragma once
// krasipd's side of krasip-cleaner: starts the helper for one request,
// feeds it, reads its answer, and kills and reaps it when it overruns. This
// library links no parser: the bytes it moves are never interpreted here.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace krasip::cleaner {

struct HelperConfig {
  std::filesystem::path path;  // the krasip-cleaner binary
  std::uint64_t memory_mib = 512;
  unsigned cpu_seconds = 10;
  // Wall clock, from start to exit; the helper is killed beyond it.
  std::chrono::milliseconds timeout{20000};
  // Type detection of the first 64 KiB (run while the upload arrives).
  std::chrono::milliseconds sniff_timeout{3000};
  std::uint64_t max_input = 20ULL * 1024 * 1024;
  std::uint64_t max_output = 21ULL * 1024 * 1024;
};

// Where krasip-cleaner is by default: next to the running program
// (/proc/self/exe), else /usr/lib/krasip/krasip-cleaner.
std::filesystem::path default_helper_path();

struct HelperAnswer {
  std::string mime;  // libmagic's answer
  bool has_cleaner = false;
  bool cleaned = false;
  std::vector<std::string> removed;
  std::string not_cleaned_reason;
  std::uint64_t output_bytes = 0;
};

class HelperFailed : public std::runtime_error {
 public:
  enum class Why { could_not_start, crashed, timed_out, out_of_memory, bad_answer, too_large, over_limit };
  HelperFailed(Why why, const std::string& detail) : std::runtime_error(detail), why_(why) {}
  Why why() const { return why_; }

 private:
  Why why_;
};
const char* to_string(HelperFailed::Why why);

// libmagic's type of `head` (at most 64 KiB), and whether it has a cleaner.
// Throws HelperFailed.
HelperAnswer sniff(const HelperConfig& config, std::span<const std::uint8_t> head);

// Sniffs and cleans `bytes` as `mime` (empty: the sniffed type). The output
// goes to `sink` as it arrives, in order; it is complete only if this
// returns (a throw means: discard what the sink got). Throws HelperFailed.
HelperAnswer sniff_and_clean(const HelperConfig& config, std::span<const std::uint8_t> bytes,
                             std::string_view mime,
                             const std::function<void(std::span<const std::uint8_t>)>& sink);

}  // namespace krasip::cleaner
