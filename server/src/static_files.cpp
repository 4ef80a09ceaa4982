#include "krasip/server/static_files.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iterator>
#include <sstream>

#include "krasip/server/router.hpp"

namespace krasip::server {

namespace {
constexpr std::uintmax_t kMaxStaticFile = 4 * 1024 * 1024;

bool safe_segment(std::string_view s) {
  if (s.empty() || s == "." || s == ".." || s.front() == '.') return false;
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || c == '\\' || c == '%' || c == ':') return false;
  }
  return true;
}

bool compressible(const std::filesystem::path& path) {
  const auto ext = path.extension().string();
  return ext == ".html" || ext == ".css" || ext == ".js" || ext == ".mjs" || ext == ".json" ||
         ext == ".svg" || ext == ".txt";
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool iequal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// "q=0", "q=0.0", "q=0.000": refused. Anything else (absent, malformed)
// counts as accepted, as most servers read it.
bool refused(std::string_view params) {
  while (!params.empty()) {
    const auto semi = params.find(';');
    const auto p = trim(params.substr(0, semi));
    params = semi == std::string_view::npos ? std::string_view{} : params.substr(semi + 1);
    if (p.size() < 2 || (p[0] != 'q' && p[0] != 'Q') || p[1] != '=') continue;
    const auto v = p.substr(2);
    if (v.empty() || v[0] != '0') return false;
    return v.find_first_not_of("0.", 1) == std::string_view::npos;
  }
  return false;
}

std::optional<std::string> read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

bool accepts_encoding(std::string_view header, std::string_view coding) {
  std::optional<bool> wildcard;
  while (!header.empty()) {
    const auto comma = header.find(',');
    const auto item = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    const auto semi = item.find(';');
    const auto name = trim(item.substr(0, semi));
    const auto params = semi == std::string_view::npos ? std::string_view{} : item.substr(semi + 1);
    if (iequal(name, coding)) return !refused(params);
    if (name == "*") wildcard = !refused(params);
  }
  return wildcard.value_or(false);
}

const char* content_type_for(const std::filesystem::path& path) {
  const auto ext = path.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".json") return "application/json; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  return nullptr;
}

std::vector<std::string> page_stylesheets(const std::filesystem::path& web_root) {
  // {"stylesheet":"/assets/krasip-<hash>.css"}: written by web-build, read
  // with no JSON library on purpose: one known key, one plain value.
  std::ifstream in(web_root / "assets" / "manifest.json");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  constexpr std::string_view key = "\"stylesheet\":\"";
  const auto at = text.find(key);
  if (at != std::string::npos) {
    const auto start = at + key.size();
    const auto end = text.find('"', start);
    const auto value = text.substr(start, end == std::string::npos ? 0 : end - start);
    if (value.starts_with("/assets/") && value.find_first_of("<>'\\ ") == std::string::npos) return {value};
  }
  return {"/css/fonts.css", "/css/krasip.css"};
}

namespace {
// 'sha256-' and the 44 characters of 32 bytes in base64, then a quote.
bool sha256_source(std::string_view s) {
  constexpr std::string_view head = "'sha256-";
  if (s.size() != head.size() + 44 + 1 || !s.starts_with(head) || s.back() != '\'' || s[s.size() - 2] != '=') {
    return false;
  }
  return std::all_of(s.begin() + static_cast<std::ptrdiff_t>(head.size()), s.end() - 2, [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '+' || c == '/';
  });
}
}  // namespace

InlineHashes parse_inline_hashes(std::string_view text) {
  InlineHashes out;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    std::vector<std::string>* into = nullptr;
    for (const auto& [name, list] : {std::pair{std::string_view{"script-src "}, &out.scripts},
                                     std::pair{std::string_view{"style-src "}, &out.styles}}) {
      if (line.starts_with(name)) {
        into = list;
        line.remove_prefix(name.size());
      }
    }
    if (into == nullptr) continue;
    while (!line.empty()) {
      const auto sp = line.find(' ');
      const auto token = line.substr(0, sp);
      line = sp == std::string_view::npos ? std::string_view{} : line.substr(sp + 1);
      if (sha256_source(token)) into->emplace_back(token);
    }
  }
  return out;
}

StaticFiles::StaticFiles(std::filesystem::path root)
    : root_(std::filesystem::weakly_canonical(std::move(root))) {}

std::optional<StaticFiles::File> StaticFiles::find(std::string_view target,
                                                   std::string_view accept_encoding) const {
  const std::string_view path = target_path(target);
  if (path.empty() || path.front() != '/') return std::nullopt;
  std::filesystem::path rel;
  std::size_t i = 1;
  while (i < path.size()) {
    const auto end = path.find('/', i);
    const auto seg = path.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i);
    if (end != std::string_view::npos || !seg.empty()) {
      if (!safe_segment(seg)) return std::nullopt;
      rel /= std::string(seg);
    }
    if (end == std::string_view::npos) break;
    i = end + 1;
  }
  std::filesystem::path full = root_ / rel;
  std::error_code ec;
  if (std::filesystem::is_directory(full, ec)) full /= "index.html";
  // Symlinks may not lead outside the root.
  const auto servable = [this](const std::filesystem::path& p) -> std::optional<std::filesystem::path> {
    std::error_code ec;
    const auto canonical = std::filesystem::weakly_canonical(p, ec);
    if (ec) return std::nullopt;
    const auto [root_end, _] = std::mismatch(root_.begin(), root_.end(), canonical.begin(), canonical.end());
    if (root_end != root_.end()) return std::nullopt;
    if (!std::filesystem::is_regular_file(canonical, ec)) return std::nullopt;
    if (std::filesystem::file_size(canonical, ec) > kMaxStaticFile || ec) return std::nullopt;
    return canonical;
  };
  const auto canonical = servable(full);
  if (!canonical) return std::nullopt;
  const char* type = content_type_for(*canonical);
  if (type == nullptr) return std::nullopt;
  File file{{}, type, canonical->extension() == ".html", "", false, {}};
  if (file.is_page) {
    auto sidecar = *canonical;
    sidecar += ".csp";
    if (std::filesystem::exists(sidecar, ec)) {
      if (const auto c = servable(sidecar)) {
        if (const auto text = read_file(*c)) file.inline_hashes = parse_inline_hashes(*text);
      }
    }
  }
  if (compressible(*canonical)) {
    file.varies = true;
    // Made at build time (web-build/), never on the fly: a reporter's page
    // costs the server a file read, and the copy's size is known.
    for (const auto& [coding, suffix] : {std::pair{"br", ".br"}, std::pair{"gzip", ".gz"}}) {
      if (!accepts_encoding(accept_encoding, coding)) continue;
      auto copy = full;
      copy += suffix;
      if (!std::filesystem::exists(copy, ec)) continue;
      if (const auto c = servable(copy)) {
        if (auto body = read_file(*c)) {
          file.body = std::move(*body);
          file.content_encoding = coding;
          return file;
        }
      }
    }
  }
  auto body = read_file(*canonical);
  if (!body) return std::nullopt;
  file.body = std::move(*body);
  return file;
}

}  // namespace krasip::server
