#pragma once
#include <boost/json/value.hpp>

#include "krasip/cases/common/json_shape.hpp"
#include "krasip/server/http_types.hpp"

namespace krasip::server {

// The body of a JSON request: requires Content-Type application/json (which
// also keeps plain HTML forms on other sites from posting here), valid
// UTF-8, well-formed JSON no deeper than 16 levels, an object, and no member
// the route's `shape` does not name (400 unknown_field, naming it). Throws
// HttpError (415) or CaseError.
boost::json::value parse_json_body(const Request& req, const cases::JsonShape& shape);

// For an action that takes no body: nothing, or an empty object. A body
// with members is refused like an unknown field, not ignored.
void refuse_body_members(const Request& req);

}  // namespace krasip::server
