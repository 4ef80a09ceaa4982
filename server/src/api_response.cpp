#include "krasip/server/api_response.hpp"

#include <boost/json.hpp>

namespace krasip::server {

Response json_response(http::status status, const boost::json::value& body) {
  Response res{status, 11};
  res.set(http::field::content_type, "application/json; charset=utf-8");
  res.body() = boost::json::serialize(body);
  res.prepare_payload();
  return res;
}

Response error_response(http::status status, std::string_view code, std::string_view message,
                        std::string_view field) {
  boost::json::object err{{"code", code}, {"message", message}};
  if (!field.empty()) err["field"] = field;
  return json_response(status, boost::json::object{{"error", std::move(err)}});
}

}  // namespace krasip::server
