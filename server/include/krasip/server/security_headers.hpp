#pragma once
#include "krasip/server/http_types.hpp"
#include "krasip/server/server_config.hpp"

namespace krasip::server {

// `embeddable_page` is the one kind the agency's website may frame (the
// form and the tracking page under /embed/); every other answer, the
// console above all, refuses to be framed, so a page of any site cannot
// overlay it to trick an investigator into clicks.
enum class ResponseKind { api, page, embeddable_page, asset, embeddable_script };

// CSP without inline script, no referrer, no sniffing, no caching of API
// answers (they may hold a reporter's own text), HSTS behind TLS.
void apply_security_headers(http::response_header<>& res, ResponseKind kind, const ServerConfig& config);

}  // namespace krasip::server
