#pragma once
#include "krasip/server/http_types.hpp"
#include "krasip/server/server_config.hpp"

namespace krasip::server {

enum class ResponseKind { api, page, asset, embeddable_script };

// CSP without inline script, no referrer, no sniffing, no caching of API
// answers (they may hold a reporter's own text), HSTS behind TLS.
void apply_security_headers(http::response_header<>& res, ResponseKind kind, const ServerConfig& config);

}  // namespace krasip::server
