#pragma once
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>

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

// A member that is true, false, or absent/null (nullopt); anything else is
// refused (invalid_field), never taken for absent: many flags are protections.
std::optional<bool> optional_flag(const boost::json::object& o, const char* key);

}  // namespace krasip::server
