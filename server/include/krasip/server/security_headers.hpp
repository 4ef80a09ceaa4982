#pragma once
#include <optional>
#include <string>
#include <vector>

#include "krasip/server/http_types.hpp"
#include "krasip/server/server_config.hpp"

namespace krasip::server {

// `embeddable_page` is the one kind the agency's website may frame (the
// form and the tracking page under /embed/); every other answer, the
// console above all, refuses to be framed, so a page of any site cannot
// overlay it to trick an investigator into clicks.
enum class ResponseKind { api, page, embeddable_page, asset, embeddable_script };

// The inline scripts and styles one page may run, each by its hash
// ("'sha256-…'"): the reporter's pages carry theirs (issue 22, web-build).
struct InlineHashes {
  std::vector<std::string> scripts;
  std::vector<std::string> styles;
};

// CSP without inline script (but for `inline_hashes`, by hash, never
// 'unsafe-inline'), no referrer, no sniffing, no caching of API answers
// (they may hold a reporter's own text), HSTS behind TLS.
// `frame_origins` (embeddable pages): the origins that may frame this one,
// when they depend on the agency (issue 11); nullopt inside: none may.
void apply_security_headers(http::response_header<>& res, ResponseKind kind, const ServerConfig& config,
                            const std::optional<std::optional<std::vector<std::string>>>& frame_origins = {},
                            const InlineHashes& inline_hashes = {});

}  // namespace krasip::server
