#include "krasip/cases/intake/complaint_input.hpp"

#include <boost/json.hpp>

#include "krasip/cases/common/case_error.hpp"
#include "krasip/cases/common/text_rules.hpp"
#include "krasip/cases/common/thai_time.hpp"

namespace krasip::cases {

namespace json = boost::json;

namespace {

struct FieldRule {
  std::size_t max;
  bool required;
  bool multiline;
};

// Reads an optional string member, enforcing UTF-8, printable characters and
// a length in code points. Empty strings count as absent.
std::optional<std::string> read_text(const json::object& obj, std::string_view key,
                                     const std::string& path, FieldRule rule) {
  const json::value* v = obj.if_contains(key);
  if (v == nullptr || v->is_null()) {
    if (rule.required) throw CaseError(ErrorCode::missing_field, path + " is required", path);
    return std::nullopt;
  }
  if (!v->is_string()) throw CaseError(ErrorCode::invalid_field, path + " must be a string", path);
  const json::string& s = v->get_string();
  const std::string_view text(s.data(), s.size());
  const auto len = utf8_length(text);
  if (!len) throw CaseError(ErrorCode::invalid_utf8, path + " is not valid UTF-8", path);
  if (!has_only_printable(text, rule.multiline)) {
    throw CaseError(ErrorCode::invalid_field, path + " contains control characters", path);
  }
  if (*len > rule.max) {
    throw CaseError(ErrorCode::field_too_long,
                    path + " is longer than " + std::to_string(rule.max) + " characters", path);
  }
  if (!has_visible_text(text)) {
    if (rule.required) throw CaseError(ErrorCode::missing_field, path + " is required", path);
    return std::nullopt;
  }
  return std::string(text);
}

const json::object* read_object(const json::object& obj, std::string_view key,
                                const std::string& path, bool required) {
  const json::value* v = obj.if_contains(key);
  if (v == nullptr || v->is_null()) {
    if (required) throw CaseError(ErrorCode::missing_field, path + " is required", path);
    return nullptr;
  }
  if (!v->is_object()) throw CaseError(ErrorCode::invalid_field, path + " must be an object", path);
  return &v->get_object();
}

bool all_digits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::string digits_only(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      out.push_back(c);
    } else if (c != '-' && c != ' ') {
      return s;  // leave it for the validity check to refuse
    }
  }
  return out;
}

bool plausible_phone(std::string_view s) {
  std::size_t digits = 0;
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      ++digits;
    } else if (c != ' ' && c != '-' && c != '+' && c != '(' && c != ')') {
      return false;
    }
  }
  return digits >= 6 && digits <= 15;
}

bool plausible_email(std::string_view s) {
  const auto at = s.find('@');
  if (at == std::string_view::npos || at == 0 || at != s.rfind('@')) return false;
  const auto dot = s.find('.', at);
  return dot != std::string_view::npos && dot > at + 1 && dot + 1 < s.size() &&
         s.find(' ') == std::string_view::npos;
}

Identity read_identity(const json::object& o, const Limits& limits) {
  const FieldRule line{limits.identity_field_max, false, false};
  Identity id;
  id.name = read_text(o, "name", "identity.name", line).value_or("");
  // Accepted as typed on an ID card ("1-1017-00123-45-6"), stored as 13 digits.
  id.national_id = digits_only(
      read_text(o, "national_id", "identity.national_id", {20, false, false}).value_or(""));
  id.phone = read_text(o, "phone", "identity.phone", {30, false, false}).value_or("");
  id.email = read_text(o, "email", "identity.email", {254, false, false}).value_or("");
  id.address = read_text(o, "address", "identity.address", {limits.address_max, false, true}).value_or("");
  if (!id.national_id.empty() && !valid_thai_national_id(id.national_id)) {
    throw CaseError(ErrorCode::invalid_field, "identity.national_id is not a valid Thai ID number",
                    "identity.national_id");
  }
  if (!id.phone.empty() && !plausible_phone(id.phone)) {
    throw CaseError(ErrorCode::invalid_field, "identity.phone is not a phone number",
                    "identity.phone");
  }
  if (!id.email.empty() && !plausible_email(id.email)) {
    throw CaseError(ErrorCode::invalid_field, "identity.email is not an e-mail address",
                    "identity.email");
  }
  if (id.name.empty() && id.national_id.empty() && id.phone.empty() && id.email.empty() &&
      id.address.empty()) {
    throw CaseError(ErrorCode::missing_field,
                    "identity has no details; send null to report anonymously", "identity");
  }
  return id;
}

void put_if(json::object& o, std::string_view key, const std::string& value) {
  if (!value.empty()) o[key] = value;
}

const JsonShape kSubject{{"name"}, {"position"}, {"unit"}};
const JsonShape kIdentity{{"name"}, {"national_id"}, {"phone"}, {"email"}, {"address"}};

}  // namespace

const JsonShape& complaint_shape() {
  static const JsonShape shape{{"accept_terms"}, {"channel"},  {"category"},      {"subject", &kSubject},
                               {"description"},  {"location"}, {"incident_date"}, {"identity", &kIdentity}};
  return shape;
}

// accept_terms is not asked at the counter: the investigator explained.
const JsonShape& counter_complaint_shape() {
  static const JsonShape shape{{"source"},      {"registry_number"}, {"channel"},       {"category"},
                               {"subject", &kSubject}, {"description"}, {"location"}, {"incident_date"},
                               {"identity", &kIdentity}};
  return shape;
}

bool valid_thai_national_id(std::string_view d) {
  if (d.size() != 13 || !all_digits(d)) return false;
  int sum = 0;
  for (int i = 0; i < 12; ++i) sum += (d[static_cast<std::size_t>(i)] - '0') * (13 - i);
  return (11 - sum % 11) % 10 == d[12] - '0';
}

ComplaintInput complaint_from_json(const json::value& body, const Limits& limits,
                                   std::int64_t today_days) {
  if (!body.is_object()) {
    throw CaseError(ErrorCode::invalid_field, "the body must be a JSON object");
  }
  const json::object& o = body.get_object();
  ComplaintInput c;

  const json::value* terms = o.if_contains("accept_terms");
  if (terms == nullptr || !terms->is_bool() || !terms->get_bool()) {
    throw CaseError(ErrorCode::terms_not_accepted, "accept_terms must be true", "accept_terms");
  }

  c.channel = read_text(o, "channel", "channel", {64, false, false});
  c.category = *read_text(o, "category", "category", {64, true, false});
  if (find_category(c.category) == nullptr) {
    throw CaseError(ErrorCode::unknown_category, "unknown category", "category");
  }

  const json::object* subject = read_object(o, "subject", "subject", true);
  const FieldRule line{limits.subject_field_max, false, false};
  c.subject.name = *read_text(*subject, "name", "subject.name", {limits.subject_field_max, true, false});
  c.subject.position = read_text(*subject, "position", "subject.position", line).value_or("");
  c.subject.unit = read_text(*subject, "unit", "subject.unit", line).value_or("");

  c.description = *read_text(o, "description", "description", {limits.description_max, true, true});
  c.location = read_text(o, "location", "location", {limits.location_max, false, true});

  c.incident_date = read_text(o, "incident_date", "incident_date", {10, false, false});
  if (c.incident_date) {
    const auto d = parse_iso_date(*c.incident_date);
    if (!d) {
      throw CaseError(ErrorCode::invalid_field, "incident_date must be a date as YYYY-MM-DD",
                      "incident_date");
    }
    if (days_from_civil(*d) > today_days) {
      throw CaseError(ErrorCode::invalid_field, "incident_date is in the future", "incident_date");
    }
  }

  if (const json::object* id = read_object(o, "identity", "identity", false)) {
    c.identity = read_identity(*id, limits);
  }
  return c;
}

std::string complaint_payload(const ComplaintInput& c) {
  json::object o;
  o["category"] = c.category;
  o["subject"] = {{"name", c.subject.name}, {"position", c.subject.position}, {"unit", c.subject.unit}};
  o["description"] = c.description;
  if (c.incident_date) o["incident_date"] = *c.incident_date;
  if (c.location) o["location"] = *c.location;
  return json::serialize(o);
}

std::string identity_payload(const Identity& id) {
  json::object o;
  put_if(o, "name", id.name);
  put_if(o, "national_id", id.national_id);
  put_if(o, "phone", id.phone);
  put_if(o, "email", id.email);
  put_if(o, "address", id.address);
  return json::serialize(o);
}

json::object complaint_from_payload(std::string_view payload) {
  return json::parse(payload).as_object();
}

}  // namespace krasip::cases
