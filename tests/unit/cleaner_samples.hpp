#pragma once
// Samples for the format cleaner tests (issue 14), made at run time by
// tests/samples/make-samples with Debian's ffmpeg, qpdf, exiftool and
// python3, and the tools that read the results back (exiftool, mat2,
// ffprobe, qpdf). A missing tool fails the test, never skips it.
#include <doctest/doctest.h>

#include <boost/json.hpp>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "temp_dir.hpp"

namespace krasip::test {

struct Run {
  int status = -1;
  std::string out;  // stdout (stderr too when asked)
};

inline std::string quoted(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

inline Run run(const std::string& command) {
  Run r;
  FILE* p = ::popen(command.c_str(), "r");
  if (p == nullptr) return r;
  std::array<char, 65536> buf;
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  const int st = ::pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

inline void require_tools() {
  for (const char* tool : {"ffmpeg", "ffprobe", "exiftool", "mat2", "qpdf", "unzip", "python3"}) {
    const auto r = run(std::string("command -v ") + tool + " >/dev/null 2>&1");
    if (r.status != 0) FAIL(tool << " is missing: run scripts/install-deps --test");
  }
}

// Makes OUT/sample.KIND and returns its path.
inline std::filesystem::path make_sample(const TempDir& dir, const std::string& kind) {
  require_tools();
  const auto r = run(quoted(KRASIP_MAKE_SAMPLES) + " " + quoted(dir.path().string()) + " " + kind + " 2>&1");
  if (r.status != 0) FAIL("make-samples " << kind << " failed: " << r.out);
  return dir.path() / ("sample." + kind);
}

inline std::vector<std::uint8_t> bytes_of(const std::filesystem::path& p) {
  const auto s = read_all(p);
  return {s.begin(), s.end()};
}

inline std::filesystem::path write_file(const std::filesystem::path& p, std::span<const std::uint8_t> bytes) {
  std::ofstream out(p, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  return p;
}

// exiftool -a -G1 -j: every tag of every group, as "Group:Tag" -> value text.
inline std::vector<std::pair<std::string, std::string>> exiftool_tags(const std::filesystem::path& p) {
  const auto r = run("exiftool -a -G1 -j " + quoted(p.string()) + " 2>&1");
  REQUIRE_MESSAGE(r.status == 0, "exiftool failed on " << p << ": " << r.out);
  const auto parsed = boost::json::parse(r.out);
  const auto& obj = parsed.as_array().at(0).as_object();
  std::vector<std::pair<std::string, std::string>> tags;
  for (const auto& [key, value] : obj) {
    tags.emplace_back(std::string(key), value.is_string() ? std::string(value.as_string())
                                                           : boost::json::serialize(value));
  }
  return tags;
}

inline bool any_tag_mentions(const std::vector<std::pair<std::string, std::string>>& tags, const std::string& needle) {
  for (const auto& [k, v] : tags) {
    if (k.find(needle) != std::string::npos || v.find(needle) != std::string::npos) return true;
  }
  return false;
}

// What `mat2 --show` lists, as the set of tag names (its lines "  Name: value").
inline std::set<std::string> mat2_show_keys(const std::filesystem::path& p, std::string* text = nullptr) {
  const auto r = run("mat2 --show " + quoted(p.string()) + " 2>&1");
  REQUIRE_MESSAGE(r.status == 0, "mat2 --show failed on " << p << ": " << r.out);
  if (text) *text = r.out;
  std::set<std::string> keys;
  std::size_t start = 0;
  while (start < r.out.size()) {
    auto end = r.out.find('\n', start);
    if (end == std::string::npos) end = r.out.size();
    const auto line = r.out.substr(start, end - start);
    start = end + 1;
    if (line.rfind("    ", 0) != 0) continue;
    const auto colon = line.find(':');
    if (colon != std::string::npos) keys.insert(line.substr(4, colon - 4));
  }
  return keys;
}

// mat2's own cleaning of a copy of `sample`: the anchor of issue 14.
inline std::filesystem::path mat2_cleaned(const TempDir& dir, const std::filesystem::path& sample,
                                          const std::string& ext) {
  const auto copy = dir.path() / ("for-mat2." + ext);
  std::filesystem::copy_file(sample, copy, std::filesystem::copy_options::overwrite_existing);
  const auto r = run("mat2 " + quoted(copy.string()) + " 2>&1");
  REQUIRE_MESSAGE(r.status == 0, "mat2 failed on " << copy << ": " << r.out);
  return dir.path() / ("for-mat2.cleaned." + ext);
}

// Every byte a reader can reach (zip entries unpacked, PDF streams decoded).
inline std::string reachable_text(const std::filesystem::path& p) {
  const auto r = run(quoted(KRASIP_MAKE_SAMPLES) + " --text " + quoted(p.string()));
  REQUIRE_MESSAGE(r.status == 0, "cannot read back " << p);
  return r.out;
}

}  // namespace krasip::test
