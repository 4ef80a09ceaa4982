#pragma once
#include <boost/json/value.hpp>

#include "krasip/server/http_types.hpp"

namespace krasip::server {

// The body of a JSON request: requires Content-Type application/json (which
// also keeps plain HTML forms on other sites from posting here), valid
// UTF-8 and well-formed JSON no deeper than 16 levels. Throws HttpError (415)
// or CaseError.
boost::json::value parse_json_body(const Request& req);

}  // namespace krasip::server
