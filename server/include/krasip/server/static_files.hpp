#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "krasip/server/http_types.hpp"
#include "krasip/server/security_headers.hpp"

namespace krasip::server {

// The stylesheets of the reporter's pages: the bundle web-build names in
// WEB_ROOT/assets/manifest.json, or the source tree's two files.
std::vector<std::string> page_stylesheets(const std::filesystem::path& web_root);

// Serves the files under one folder. Only known file types, only regular
// files that resolve (after symlinks) inside the folder; ".." segments,
// encoded slashes and NUL bytes are refused before touching the disk.
class StaticFiles {
 public:
  explicit StaticFiles(std::filesystem::path root);

  struct File {
    std::string body;
    const char* content_type;
    bool is_page;
    // "br" or "gzip" when `body` is the file's precompressed copy (FILE.br,
    // FILE.gz made at build time) that the client accepts; empty otherwise.
    const char* content_encoding = "";
    // A text type that may have compressed copies: answers carry
    // "Vary: Accept-Encoding" whichever was sent.
    bool varies = false;
    // A page's inline scripts and styles, by hash: PAGE.csp beside it,
    // written by web-build. Only well-formed SHA-256 sources are taken.
    InlineHashes inline_hashes;
  };
  // nullopt when there is no such file to serve. `accept_encoding` is the
  // request's Accept-Encoding header.
  std::optional<File> find(std::string_view target, std::string_view accept_encoding = {}) const;

 private:
  std::filesystem::path root_;
};

const char* content_type_for(const std::filesystem::path& path);

// "script-src 'sha256-…' …" and "style-src 'sha256-…'" lines (a PAGE.csp
// file) as hashes; any other directive or source is ignored, so a bad file
// can never widen a page's policy beyond hashes (no 'unsafe-inline').
InlineHashes parse_inline_hashes(std::string_view text);

// Whether an Accept-Encoding header admits `coding` ("br", "gzip"): named,
// or covered by "*", with a q-value above zero.
bool accepts_encoding(std::string_view accept_encoding, std::string_view coding);

}  // namespace krasip::server
