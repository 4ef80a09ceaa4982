#include "form_body.hpp"

#include <algorithm>

#include "krasip/cases/common/case_error.hpp"
#include "krasip/cases/common/text_rules.hpp"
#include "krasip/server/api_response.hpp"

namespace krasip::server {

namespace {
constexpr std::size_t kMaxFields = 64;

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out.push_back(' ');
    } else if (s[i] == '%') {
      const int hi = i + 2 < s.size() ? hex(s[i + 1]) : -1;
      const int lo = i + 2 < s.size() ? hex(s[i + 2]) : -1;
      if (hi < 0 || lo < 0) throw HttpError(http::status::bad_request, "malformed_form", "The form body is malformed.");
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

bool is_form_type(std::string_view v) {
  const auto media = v.substr(0, v.find(';'));
  constexpr std::string_view expected = "application/x-www-form-urlencoded";
  return media.size() >= expected.size() &&
         std::equal(expected.begin(), expected.end(), media.begin(), [](char a, char b) {
           return a == (b >= 'A' && b <= 'Z' ? static_cast<char>(b - 'A' + 'a') : b);
         }) &&
         media.find_first_not_of(' ', expected.size()) == std::string_view::npos;
}
}  // namespace

FormFields FormFields::parse(const Request& req) {
  if (!is_form_type(req[http::field::content_type])) {
    throw HttpError(http::status::unsupported_media_type, "unsupported_media_type",
                    "send the form as application/x-www-form-urlencoded");
  }
  return parse_body(req.body());
}

FormFields FormFields::parse_body(std::string_view body) {
  FormFields f;
  std::size_t count = 0;
  while (!body.empty()) {
    const auto amp = body.find('&');
    const auto pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view{} : body.substr(amp + 1);
    if (pair.empty()) continue;
    if (++count > kMaxFields) {
      throw HttpError(http::status::bad_request, "malformed_form", "The form has too many fields.");
    }
    const auto eq = pair.find('=');
    std::string name = decode(pair.substr(0, eq));
    std::string value = eq == std::string_view::npos ? std::string{} : decode(pair.substr(eq + 1));
    if (!cases::utf8_length(name) || !cases::utf8_length(value)) {
      throw cases::CaseError(cases::ErrorCode::invalid_utf8, "the form is not valid UTF-8");
    }
    // Browsers send CRLF for a textarea's line breaks; the scripts send LF.
    std::string normal;
    normal.reserve(value.size());
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (value[i] == '\r' && i + 1 < value.size() && value[i + 1] == '\n') continue;
      normal.push_back(value[i]);
    }
    std::fill(value.begin(), value.end(), '\0');
    if (!f.values_.emplace(std::move(name), std::move(normal)).second) {
      throw HttpError(http::status::bad_request, "malformed_form", "A form field was sent twice.");
    }
  }
  return f;
}

const std::string& FormFields::get(std::string_view name) const {
  static const std::string kEmpty;
  const auto it = values_.find(name);
  return it == values_.end() ? kEmpty : it->second;
}

void FormFields::wipe(std::string_view name) {
  const auto it = values_.find(name);
  if (it == values_.end()) return;
  std::fill(it->second.begin(), it->second.end(), '\0');
  values_.erase(it);
}

FormFields::~FormFields() {
  for (auto& [_, v] : values_) std::fill(v.begin(), v.end(), '\0');
}

}  // namespace krasip::server
