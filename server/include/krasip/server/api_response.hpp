#pragma once
#include <boost/json/value.hpp>
#include <stdexcept>
#include <string>
#include <string_view>

#include "krasip/server/http_types.hpp"

namespace krasip::server {

// A refusal that belongs to HTTP itself (media type, method, size).
class HttpError : public std::runtime_error {
 public:
  HttpError(http::status status, std::string code, const std::string& message)
      : std::runtime_error(message), status_(status), code_(std::move(code)) {}
  http::status status() const { return status_; }
  const std::string& code() const { return code_; }

 private:
  http::status status_;
  std::string code_;
};

Response json_response(http::status status, const boost::json::value& body);
// {"error": {"code": ..., "message": ..., "field": ...}}; field omitted if empty.
Response error_response(http::status status, std::string_view code, std::string_view message,
                        std::string_view field = {});

}  // namespace krasip::server
