// Validation of the complaint form: what a reporter is told when a field is
// wrong, and that Thai text is measured in characters, not bytes.
#include <doctest/doctest.h>

#include <boost/json.hpp>
#include <string>

#include "krasip/cases/common/case_error.hpp"
#include "krasip/cases/agencies/catalog.hpp"
#include "krasip/cases/intake/complaint_input.hpp"
#include "krasip/cases/common/text_rules.hpp"
#include "krasip/cases/common/thai_time.hpp"

using namespace krasip::cases;
namespace json = boost::json;

namespace {

const std::int64_t kToday = days_from_civil({2025, 11, 28});

const char* const kValid = R"({
  "accept_terms": true,
  "category": "bribery",
  "subject": {"name": "นายสมศักดิ์ ใจร้าย", "position": "ปลัด อบต.", "unit": "กองคลัง"},
  "description": "เรียกรับเงิน 5,000 บาท เพื่อเร่งออกใบอนุญาตก่อสร้าง\nมีพยานสองคน",
  "incident_date": "2025-11-01",
  "location": "ที่ทำการ อบต. หนองไฮ",
  "identity": {"name": "นางสาวมาลี ดีใจ", "phone": "081-234-5678", "email": "malee@example.org"}
})";

json::object valid_body() { return json::parse(kValid).as_object(); }

// Twelve digits plus the mod-11 check digit.
std::string with_check_digit(const std::string& twelve) {
  int sum = 0;
  for (int i = 0; i < 12; ++i) sum += (twelve[static_cast<std::size_t>(i)] - '0') * (13 - i);
  return twelve + static_cast<char>('0' + (11 - sum % 11) % 10);
}

// Runs the validator and returns the refusal it raised.
CaseError refusal(const json::value& body) {
  try {
    complaint_from_json(body, Limits{}, kToday);
  } catch (const CaseError& e) {
    return e;
  }
  FAIL("the body was accepted");
  return CaseError(ErrorCode::unavailable, "unreachable");
}

std::string repeat(const std::string& s, std::size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

}  // namespace

TEST_CASE("complaint input: a valid Thai complaint is read as sent") {
  const auto c = complaint_from_json(valid_body(), Limits{}, kToday);
  CHECK(c.category == "bribery");
  CHECK(c.subject.name == "นายสมศักดิ์ ใจร้าย");
  CHECK(c.subject.position == "ปลัด อบต.");
  CHECK(c.subject.unit == "กองคลัง");
  CHECK(c.description == "เรียกรับเงิน 5,000 บาท เพื่อเร่งออกใบอนุญาตก่อสร้าง\nมีพยานสองคน");
  CHECK(c.incident_date == std::optional<std::string>("2025-11-01"));
  CHECK(c.location == std::optional<std::string>("ที่ทำการ อบต. หนองไฮ"));
  REQUIRE(c.identity.has_value());
  CHECK(c.identity->name == "นางสาวมาลี ดีใจ");
  CHECK(c.identity->phone == "081-234-5678");
  // The payload sealed into the envelope keeps the text intact.
  const auto back = complaint_from_payload(complaint_payload(c));
  CHECK(back.at("description").as_string() == c.description);
  CHECK(back.at("subject").at("name").as_string() == c.subject.name);
  CHECK_FALSE(back.contains("identity"));  // identity is sealed separately
}

TEST_CASE("complaint input: terms must be accepted") {
  auto body = valid_body();
  body.erase("accept_terms");
  auto e = refusal(body);
  CHECK(e.code() == ErrorCode::terms_not_accepted);
  CHECK(e.field() == "accept_terms");
  body["accept_terms"] = false;
  CHECK(refusal(body).code() == ErrorCode::terms_not_accepted);
  body["accept_terms"] = "true";  // a string is not a yes
  CHECK(refusal(body).code() == ErrorCode::terms_not_accepted);
}

TEST_CASE("complaint input: an unknown category is refused") {
  auto body = valid_body();
  body["category"] = "gossip";
  const auto e = refusal(body);
  CHECK(e.code() == ErrorCode::unknown_category);
  CHECK(e.field() == "category");
  for (const auto& cat : categories()) {
    body["category"] = std::string(cat.id);
    CHECK(complaint_from_json(body, Limits{}, kToday).category == cat.id);
  }
}

TEST_CASE("complaint input: the accused person's name is required") {
  auto body = valid_body();
  body["subject"].as_object().erase("name");
  auto e = refusal(body);
  CHECK(e.code() == ErrorCode::missing_field);
  CHECK(e.field() == "subject.name");
  body["subject"].as_object()["name"] = "   ";
  e = refusal(body);
  CHECK(e.code() == ErrorCode::missing_field);
  CHECK(e.field() == "subject.name");
}

TEST_CASE("complaint input: description length is counted in code points") {
  const Limits limits;
  auto body = valid_body();
  SUBCASE("exactly at the limit in Thai (3 bytes each) is accepted") {
    const std::string text = repeat("ก", limits.description_max);
    REQUIRE(text.size() == 3 * limits.description_max);
    body["description"] = text;
    const auto c = complaint_from_json(body, limits, kToday);
    CHECK(c.description == text);
  }
  SUBCASE("one more character is too long") {
    body["description"] = repeat("ก", limits.description_max + 1);
    const auto e = refusal(body);
    CHECK(e.code() == ErrorCode::field_too_long);
    CHECK(e.field() == "description");
    // The message never repeats the submitted text.
    CHECK(std::string(e.what()).find("ก") == std::string::npos);
  }
  SUBCASE("ASCII over the limit is too long") {
    body["description"] = std::string(limits.description_max + 1, 'a');
    CHECK(refusal(body).code() == ErrorCode::field_too_long);
  }
}

TEST_CASE("complaint input: whitespace-only description is missing") {
  auto body = valid_body();
  body["description"] = " \n\t  \r\n ";
  const auto e = refusal(body);
  CHECK(e.code() == ErrorCode::missing_field);
  CHECK(e.field() == "description");
}

TEST_CASE("complaint input: a description of invisible spaces only is missing") {
  auto body = valid_body();
  // NBSP, zero-width space (common in Thai input), ideographic space, BOM.
  body["description"] = "\xC2\xA0\xE2\x80\x8B \xE3\x80\x80\xEF\xBB\xBF";
  const auto e = refusal(body);
  CHECK(e.code() == ErrorCode::missing_field);
  CHECK(e.field() == "description");
}

TEST_CASE("complaint input: control characters are refused") {
  auto body = json::parse(R"({"accept_terms": true, "category": "other",
      "subject": {"name": "abc\u0001def"}, "description": "x"})");
  const auto e = refusal(body);
  CHECK(e.code() == ErrorCode::invalid_field);
  CHECK(e.field() == "subject.name");
  // A newline is fine in the description but not in a one-line field.
  auto ok = valid_body();
  ok["subject"].as_object()["name"] = "line one\nline two";
  CHECK(refusal(ok).field() == "subject.name");
}

TEST_CASE("complaint input: incident date must be a real date, not in the future") {
  auto body = valid_body();
  body["incident_date"] = "2024-02-30";
  auto e = refusal(body);
  CHECK(e.code() == ErrorCode::invalid_field);
  CHECK(e.field() == "incident_date");

  body["incident_date"] = "2025-11-29";  // tomorrow
  e = refusal(body);
  CHECK(e.code() == ErrorCode::invalid_field);
  CHECK(e.field() == "incident_date");

  body["incident_date"] = "2025-11-28";  // today is fine
  CHECK(complaint_from_json(body, Limits{}, kToday).incident_date ==
        std::optional<std::string>("2025-11-28"));
}

TEST_CASE("complaint input: Thai national ID checksum") {
  const std::string good = with_check_digit("110170012345");
  REQUIRE(valid_thai_national_id(good));
  CHECK(valid_thai_national_id(with_check_digit("310040012345")));
  std::string bad = good;
  bad[12] = static_cast<char>('0' + (bad[12] - '0' + 1) % 10);
  CHECK_FALSE(valid_thai_national_id(bad));
  CHECK_FALSE(valid_thai_national_id(good.substr(0, 12)));
  CHECK_FALSE(valid_thai_national_id("11017001234a5"));

  auto body = valid_body();
  body["identity"].as_object()["national_id"] = bad;
  const auto e = refusal(body);
  CHECK(e.code() == ErrorCode::invalid_field);
  CHECK(e.field() == "identity.national_id");

  body["identity"].as_object()["national_id"] = good;
  const auto c = complaint_from_json(body, Limits{}, kToday);
  REQUIRE(c.identity.has_value());
  CHECK(c.identity->national_id == good);

  // Typed as printed on the ID card, with dashes: stored as 13 digits.
  const std::string dashed = good.substr(0, 1) + "-" + good.substr(1, 4) + "-" + good.substr(5, 5) +
                             "-" + good.substr(10, 2) + "-" + good.substr(12, 1);
  body["identity"].as_object()["national_id"] = dashed;
  CHECK(complaint_from_json(body, Limits{}, kToday).identity->national_id == good);
}

TEST_CASE("complaint input: identity {} is refused, null or absent is anonymous") {
  auto body = valid_body();
  body["identity"] = json::object{};
  const auto e = refusal(body);
  CHECK(e.code() == ErrorCode::missing_field);
  CHECK(e.field() == "identity");

  body["identity"] = nullptr;
  CHECK_FALSE(complaint_from_json(body, Limits{}, kToday).identity.has_value());
  body.erase("identity");
  CHECK_FALSE(complaint_from_json(body, Limits{}, kToday).identity.has_value());
}

TEST_CASE("text rules: utf8_length counts code points and rejects ill-formed UTF-8") {
  CHECK(utf8_length("สวัสดี") == std::optional<std::size_t>(6));
  CHECK(utf8_length("") == std::optional<std::size_t>(0));
  CHECK(utf8_length("abc") == std::optional<std::size_t>(3));
  CHECK(utf8_length("\xF0\x9F\x98\x80") == std::optional<std::size_t>(1));  // emoji
  CHECK_FALSE(utf8_length("\xC0\xAF").has_value());           // overlong '/'
  CHECK_FALSE(utf8_length("\xE0\x80\xAF").has_value());       // overlong, 3 bytes
  CHECK_FALSE(utf8_length("\xED\xA0\x80").has_value());       // surrogate U+D800
  CHECK_FALSE(utf8_length("\xF4\x90\x80\x80").has_value());   // above U+10FFFF
  CHECK_FALSE(utf8_length("\xE0\xB8").has_value());           // truncated Thai letter
  CHECK_FALSE(utf8_length("\xE0\xB8" "a").has_value());       // truncated, then ASCII
  CHECK_FALSE(utf8_length("\x80").has_value());               // lone continuation
  CHECK_FALSE(utf8_length("\xFF").has_value());
}

TEST_CASE("complaint input: invalid UTF-8 in a field is refused") {
  auto body = valid_body();
  body["location"] = std::string("\xED\xA0\x80");
  const auto e = refusal(body);
  CHECK(e.code() == ErrorCode::invalid_utf8);
  CHECK(e.field() == "location");
}
