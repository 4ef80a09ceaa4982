#include "krasip/cases/agencies/agency_policy.hpp"

#include <algorithm>

#include "krasip/cases/common/case_error.hpp"

namespace krasip::cases {

namespace {
std::vector<std::string_view> split_codes(std::string_view s) {
  std::vector<std::string_view> out;
  while (!s.empty()) {
    const auto comma = s.find(',');
    out.push_back(s.substr(0, comma));
    if (comma == std::string_view::npos) break;
    s.remove_prefix(comma + 1);
  }
  return out;
}
}  // namespace

Deadlines deadlines_of(const storage::AgencyRow& a, const Deadlines& deployment) {
  Deadlines d = deployment;
  if (a.ack_days) d.acknowledge_days = static_cast<int>(*a.ack_days);
  if (a.reply_days) d.reply_days = static_cast<int>(*a.reply_days);
  if (a.outcome_days) d.outcome_days = static_cast<int>(*a.outcome_days);
  return d;
}

std::vector<Label> categories_of(const std::optional<std::string>& stored) {
  if (!stored) return {categories().begin(), categories().end()};
  std::vector<Label> out;
  for (const auto code : split_codes(*stored)) {
    if (const auto* l = find_category(code)) out.push_back(*l);
  }
  return out;
}

bool offers_category(const std::optional<std::string>& stored, std::string_view code) {
  if (find_category(code) == nullptr) return false;
  if (!stored) return true;
  const auto codes = split_codes(*stored);
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}

std::string checked_categories(const std::vector<std::string>& codes) {
  std::string known;
  for (const auto& c : categories()) known += (known.empty() ? "" : ", ") + std::string(c.id);
  if (codes.empty()) {
    throw CaseError(ErrorCode::invalid_field, "categories: name at least one of " + known, "categories");
  }
  std::string out;
  std::vector<std::string> seen;
  for (const auto& c : codes) {
    if (find_category(c) == nullptr) {
      throw CaseError(ErrorCode::invalid_field, "categories: '" + c + "' is not one of " + known,
                      "categories");
    }
    if (std::find(seen.begin(), seen.end(), c) != seen.end()) {
      throw CaseError(ErrorCode::invalid_field, "categories: '" + c + "' is named twice", "categories");
    }
    seen.push_back(c);
    out += (out.empty() ? "" : ",") + c;
  }
  return out;
}

void check_deadline_days(const storage::AgencyRow& a) {
  const auto in_range = [](const std::optional<std::int64_t>& v, std::int64_t max, const char* field) {
    if (v && (*v < 1 || *v > max)) {
      throw CaseError(ErrorCode::invalid_field,
                      std::string(field) + ": between 1 and " + std::to_string(max) + " days", field);
    }
  };
  in_range(a.ack_days, 30, "ack_days");
  in_range(a.reply_days, 90, "reply_days");
  in_range(a.outcome_days, 365, "outcome_days");
  // A reply cannot be due before the acknowledgement, nor an outcome before
  // the reply; an unset one is the deployment's, not known here.
  if (a.ack_days && a.reply_days && *a.ack_days > *a.reply_days) {
    throw CaseError(ErrorCode::invalid_field, "reply_days: not fewer than ack_days", "reply_days");
  }
  const auto before_outcome = a.reply_days ? a.reply_days : a.ack_days;
  if (before_outcome && a.outcome_days && *before_outcome > *a.outcome_days) {
    throw CaseError(ErrorCode::invalid_field, "outcome_days: not fewer than ack_days or reply_days",
                    "outcome_days");
  }
}

}  // namespace krasip::cases
