// A complaint an investigator records for a citizen who came to the counter,
// phoned, wrote or e-mailed (issue 13, item 3).
#include <boost/json.hpp>

#include "krasip/cases/common/case_error.hpp"
#include "krasip/cases/intake/complaint_input.hpp"
#include "krasip/cases/common/text_rules.hpp"

namespace krasip::cases {

namespace json = boost::json;

namespace {

constexpr std::size_t kRegistryMax = 60;

// One code point from well-formed UTF-8 (checked by utf8_length first).
char32_t next_code_point(std::string_view s, std::size_t& i) {
  const auto b = static_cast<unsigned char>(s[i]);
  int extra = b < 0x80 ? 0 : b < 0xE0 ? 1 : b < 0xF0 ? 2 : 3;
  char32_t cp = extra == 0 ? b : extra == 1 ? (b & 0x1F) : extra == 2 ? (b & 0x0F) : (b & 0x07);
  ++i;
  for (; extra > 0; --extra, ++i) cp = (cp << 6) | (static_cast<unsigned char>(s[i]) & 0x3F);
  return cp;
}

// Thai registry numbers look like "1234/2568", "นม 0023.4/ว 123" or
// "รับที่ ๑๒๓๔": Thai letters and digits, Latin letters and digits, spaces
// and a little punctuation. Nothing else, so that the number cannot carry
// markup into the printed letter or a spreadsheet formula.
bool registry_char(char32_t c) {
  if ((c >= U'0' && c <= U'9') || (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z')) return true;
  if (c >= 0x0E01 && c <= 0x0E5B) return true;  // Thai letters, vowels, marks and digits ๐-๙
  return c == U' ' || c == U'.' || c == U'/' || c == U'-' || c == U'(' || c == U')' || c == U':';
}

}  // namespace

std::string checked_registry_number(std::string_view value, const std::string& field) {
  const auto len = utf8_length(value);
  if (!len) throw CaseError(ErrorCode::invalid_utf8, field + " is not valid UTF-8", field);
  if (!has_visible_text(value)) {
    throw CaseError(ErrorCode::missing_field, field + " is empty", field);
  }
  if (*len > kRegistryMax) {
    throw CaseError(ErrorCode::field_too_long,
                    field + " is longer than " + std::to_string(kRegistryMax) + " characters", field);
  }
  for (std::size_t i = 0; i < value.size();) {
    if (!registry_char(next_code_point(value, i))) {
      throw CaseError(ErrorCode::invalid_field,
                      field + " may hold letters, digits, spaces and . / - ( ) : only", field);
    }
  }
  // Surrounding spaces are not part of the number.
  const auto first = value.find_first_not_of(' ');
  const auto last = value.find_last_not_of(' ');
  return std::string(value.substr(first, last - first + 1));
}

ComplaintInput counter_complaint_from_json(const json::value& body, const Limits& limits,
                                           std::int64_t today_days) {
  if (!body.is_object()) throw CaseError(ErrorCode::invalid_field, "the body must be a JSON object");
  json::object o = body.get_object();
  const json::value* source = o.if_contains("source");
  if (source == nullptr || source->is_null()) {
    throw CaseError(ErrorCode::missing_field, "source is required", "source");
  }
  // "web" only from the form itself: a recorded case says how it came.
  const std::string how = source->is_string() ? std::string(source->get_string()) : "";
  if (how != "counter" && how != "phone" && how != "letter" && how != "email") {
    throw CaseError(ErrorCode::invalid_field, "source is counter, phone, letter or email", "source");
  }
  std::optional<std::string> registry;
  if (const json::value* r = o.if_contains("registry_number"); r != nullptr && !r->is_null()) {
    if (!r->is_string()) {
      throw CaseError(ErrorCode::invalid_field, "registry_number must be a string", "registry_number");
    }
    if (!r->get_string().empty()) registry = checked_registry_number(r->get_string());
  }
  if (how == "letter" && !registry) {
    throw CaseError(ErrorCode::missing_field, "a letter has a registry number (เลขรับหนังสือ)",
                    "registry_number");
  }
  // The investigator told the citizen how the complaint will be handled.
  o["accept_terms"] = true;
  ComplaintInput c = complaint_from_json(json::value(std::move(o)), limits, today_days);
  c.source = how;
  c.registry_number = std::move(registry);
  return c;
}

}  // namespace krasip::cases
