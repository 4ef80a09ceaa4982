#include "krasip/server/json_body.hpp"

#include <boost/json.hpp>

#include "krasip/cases/common/case_error.hpp"
#include "krasip/cases/common/text_rules.hpp"
#include "krasip/server/api_response.hpp"

namespace krasip::server {

namespace {
bool is_json_content_type(std::string_view v) {
  const auto semi = v.find(';');
  std::string_view media = v.substr(0, semi);
  while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
  if (media.size() != 16) return false;
  constexpr std::string_view expected = "application/json";
  for (std::size_t i = 0; i < media.size(); ++i) {
    char c = media[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != expected[i]) return false;
  }
  return true;
}
}  // namespace

boost::json::value parse_json_body(const Request& req, const cases::JsonShape& shape) {
  using cases::CaseError;
  using cases::ErrorCode;
  if (!is_json_content_type(req[http::field::content_type])) throw HttpError(http::status::unsupported_media_type, "unsupported_media_type",
                    "send the body as application/json");
  const std::string& body = req.body();
  if (!cases::utf8_length(body)) {
    throw CaseError(ErrorCode::invalid_utf8, "the request body is not valid UTF-8");
  }
  boost::json::parse_options opt;
  opt.max_depth = 16;
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(body, ec, {}, opt);
  if (ec) throw CaseError(ErrorCode::malformed_json, "the request body is not valid JSON");
  if (!v.is_object()) throw CaseError(ErrorCode::invalid_field, "the body must be a JSON object");
  cases::refuse_unknown_members(v, shape);
  return v;
}

void refuse_body_members(const Request& req) {
  if (!req.body().empty()) (void)parse_json_body(req, cases::no_members());
}

std::optional<bool> optional_flag(const boost::json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (!v->is_bool()) {
    throw cases::CaseError(cases::ErrorCode::invalid_field, std::string(key) + " must be true or false", key);
  }
  return v->get_bool();
}

}  // namespace krasip::server
