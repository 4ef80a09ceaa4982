// krasip-bench-clean: cleaning throughput per type (issue 14).
//
//   krasip-bench-clean LABEL:MIME:FILE...
//
// For each file: one warm-up, then at least 3 and up to 15 timed cleanings
// (or 3 s); the median gives MB/s and the time to clean 5 MiB of that type
// (scaled from the file's size), also as a ratio to copying 5 MiB in memory
// (allocation + memcpy, the baseline of an upload that needs no cleaning),
// measured in the same run. Prints a Markdown table.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "krasip/cleaner/formats.hpp"

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kFiveMiB = 5u << 20;

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

double copy_baseline_ms() {
  std::vector<std::uint8_t> src(kFiveMiB, 0x5a);
  std::vector<double> times;
  std::size_t sink = 0;
  for (int i = 0; i < 201; ++i) {
    const auto t = Clock::now();
    std::vector<std::uint8_t> copy(src.begin(), src.end());
    sink += copy[i % copy.size()];
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t).count();
    if (i > 0) times.push_back(ms);
  }
  if (sink == 42) std::puts("");  // keeps the copies
  return median(times);
}

krasip::cleaner::Cleaned clean(const std::string& mime, const std::vector<std::uint8_t>& in) {
  if (mime == "application/pdf") return krasip::cleaner::clean_pdf(in);
  if (mime == "image/heic") return krasip::cleaner::clean_heic(in);
  if (mime.rfind("application/", 0) == 0) return krasip::cleaner::clean_office(in, mime);
  return krasip::cleaner::clean_media(in, mime);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: krasip-bench-clean LABEL:MIME:FILE...\n";
    return 2;
  }
  const double copy_ms = copy_baseline_ms();
  std::printf("Copying 5 MiB in memory (baseline, median of 200): %.3f ms\n\n", copy_ms);
  std::printf("| type | file MiB | median ms | MB/s | ms per 5 MiB | ÷ copy of 5 MiB | runs |\n");
  std::printf("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
  for (int a = 1; a < argc; ++a) {
    const std::string arg = argv[a];
    const auto c1 = arg.find(':');
    const auto c2 = arg.find(':', c1 + 1);
    if (c1 == std::string::npos || c2 == std::string::npos) {
      std::cerr << "bad argument " << arg << "\n";
      return 2;
    }
    const auto label = arg.substr(0, c1);
    const auto mime = arg.substr(c1 + 1, c2 - c1 - 1);
    std::ifstream f(arg.substr(c2 + 1), std::ios::binary);
    const std::vector<std::uint8_t> in((std::istreambuf_iterator<char>(f)), {});
    const auto warm = clean(mime, in);
    if (!warm.cleaned) {
      std::printf("| %s | %.2f | not cleaned: %s | | | | |\n", label.c_str(), in.size() / 1048576.0,
                  warm.not_cleaned_reason.c_str());
      continue;
    }
    std::vector<double> times;
    const auto start = Clock::now();
    while (times.size() < 3 || (times.size() < 15 && Clock::now() - start < std::chrono::seconds(3))) {
      const auto t = Clock::now();
      const auto r = clean(mime, in);
      times.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t).count());
      if (!r.cleaned) return 1;
    }
    const double ms = median(times);
    const double mbps = in.size() / 1e6 / (ms / 1000.0);
    const double per5 = ms * static_cast<double>(kFiveMiB) / static_cast<double>(in.size());
    std::printf("| %s | %.2f | %.1f | %.1f | %.1f | %.0f | %zu |\n", label.c_str(), in.size() / 1048576.0, ms,
                mbps, per5, per5 / copy_ms, times.size());
    std::fflush(stdout);
  }
  return 0;
}
