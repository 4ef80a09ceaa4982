// Issue 13, items 3 and 4: what an investigator may type as a registry or
// reference number, and the referral package's escaping.
#include <doctest/doctest.h>

#include "krasip/cases/common/case_error.hpp"
#include "krasip/cases/intake/complaint_input.hpp"
#include "krasip/cases/triage/referral.hpp"

using namespace krasip::cases;

TEST_CASE("registry numbers: Thai and Arabic digits, Thai and Latin letters, a little punctuation") {
  CHECK(checked_registry_number("1234/2569") == "1234/2569");
  CHECK(checked_registry_number("รับที่ ๑๒๓๔/๒๕๖๙") == "รับที่ ๑๒๓๔/๒๕๖๙");
  CHECK(checked_registry_number("  นม 0023.4/ว 123  ") == "นม 0023.4/ว 123");
  CHECK(checked_registry_number("(ลับ) ปช-12:3") == "(ลับ) ปช-12:3");
  for (const char* bad : {"12<b>", "=HYPERLINK(1)", "a\tb", "12;34", "12\"", "ﾟ12"}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(checked_registry_number(bad), CaseError);
  }
  CHECK_THROWS_AS(checked_registry_number("   "), CaseError);
  CHECK_THROWS_AS(checked_registry_number(std::string(61, '1')), CaseError);
  CHECK(checked_registry_number(std::string(60, '1')).size() == 60);
  // Sixty Thai digits are sixty characters, not 180 bytes.
  std::string thai;
  for (int i = 0; i < 60; ++i) thai += "๑";
  CHECK(checked_registry_number(thai) == thai);
  CHECK_THROWS_AS(checked_registry_number("\xff\xfe"), CaseError);
  try {
    checked_registry_number("x<y", "reference");
    FAIL("accepted");
  } catch (const CaseError& e) {
    CHECK(e.field() == "reference");
  }
}

TEST_CASE("referral: the body must be known, another body named; the package escapes what it prints") {
  CHECK_THROWS_AS(checked_referral("police", "", "1/2569"), CaseError);
  CHECK_THROWS_AS(checked_referral("other", "", "1/2569"), CaseError);
  CHECK_THROWS_AS(checked_referral("nacc", "", ""), CaseError);
  const auto r = checked_referral("oag", "ignored", "สตง 1/2569");
  CHECK(r.body == "oag");
  CHECK(r.body_name.empty());
  const auto back = parse_referral(referral_json(checked_referral("other", "<b>x</b>", "1/2")), 0);
  CHECK(back.body_name == "<b>x</b>");

  ReferralPackage p;
  p.row.case_number = "NH-2569-00001";
  p.row.received_at = 1764460800;  // 2025-11-30 00:00 UTC
  p.at = 1764460800;
  p.agency.name_th = "อบต.<หนองไฮ>";
  p.referral = back;
  p.complaint = {{"category", "bribery"}, {"description", "<script>alert(1)</script>"}};
  const auto html = referral_package_html(p);
  CHECK(html.find("<script>alert") == std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(html.find("&lt;b&gt;x&lt;/b&gt;") != std::string::npos);
  CHECK(html.find("อบต.&lt;หนองไฮ&gt;") != std::string::npos);
  CHECK(html.find("30 พฤศจิกายน 2568") != std::string::npos);
  CHECK(html.find("identity-withheld") != std::string::npos);
}
