#include "krasip/server/static_files.hpp"

#include <fstream>
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
}  // namespace

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

StaticFiles::StaticFiles(std::filesystem::path root)
    : root_(std::filesystem::weakly_canonical(std::move(root))) {}

std::optional<StaticFiles::File> StaticFiles::find(std::string_view target) const {
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
  const auto canonical = std::filesystem::weakly_canonical(full, ec);
  if (ec) return std::nullopt;
  // Symlinks may not lead outside the root.
  const auto [root_end, _] = std::mismatch(root_.begin(), root_.end(), canonical.begin(), canonical.end());
  if (root_end != root_.end()) return std::nullopt;
  if (!std::filesystem::is_regular_file(canonical, ec)) return std::nullopt;
  if (std::filesystem::file_size(canonical, ec) > kMaxStaticFile || ec) return std::nullopt;
  const char* type = content_type_for(canonical);
  if (type == nullptr) return std::nullopt;
  std::ifstream in(canonical, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return File{ss.str(), type, canonical.extension() == ".html"};
}

}  // namespace krasip::server
