// The referral's record and its printable package (issue 13, item 4).
#include <boost/json.hpp>

#include "krasip/cases/agencies/catalog.hpp"
#include "krasip/cases/common/case_error.hpp"
#include "krasip/cases/common/text_rules.hpp"
#include "krasip/cases/common/thai_time.hpp"
#include "krasip/cases/intake/complaint_input.hpp"
#include "krasip/cases/triage/referral.hpp"
#include "krasip/cases/triage/triage_service.hpp"
#include "krasip/storage/triage_store.hpp"

namespace krasip::cases {

namespace json = boost::json;

namespace {

constexpr std::size_t kBodyNameMax = 200;

std::string text_at(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::string escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

constexpr const char* kThaiMonths[] = {"มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
                                       "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"};

// "30 พฤศจิกายน 2569": how a Thai official letter dates itself.
std::string thai_date(std::int64_t t) {
  const auto d = bangkok_date(t);
  return std::to_string(d.day) + " " + kThaiMonths[d.month - 1] + " " + std::to_string(d.year + 543);
}

std::string body_name(const Referral& r) {
  if (r.body == "other") return r.body_name;
  const auto* b = find_referral_body(r.body);
  return b != nullptr ? std::string(b->th) : r.body;
}

std::string size_text(std::uint64_t bytes) {
  if (bytes < 1024) return std::to_string(bytes) + " ไบต์";
  if (bytes < 1024 * 1024) return std::to_string((bytes + 1023) / 1024) + " KB";
  const auto tenths = (bytes * 10 + 1024 * 1024 - 1) / (1024 * 1024);
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + " MB";
}

void row(std::string& out, std::string_view label, const std::string& value) {
  if (value.empty()) return;
  out += "<dt>" + std::string(label) + "</dt><dd>" + escape(value) + "</dd>";
}

}  // namespace

Referral checked_referral(const std::string& body, const std::string& name, const std::string& reference) {
  Referral r;
  if (find_referral_body(body) == nullptr) {
    throw CaseError(ErrorCode::invalid_field, "body is nacc, pacc, oag, damrongdham or other", "body");
  }
  r.body = body;
  if (body == "other") {
    if (name.empty()) throw CaseError(ErrorCode::missing_field, "body_name names the other body", "body_name");
    r.body_name = checked_text(name, "body_name", kBodyNameMax, false);
  }
  if (reference.empty()) throw CaseError(ErrorCode::missing_field, "reference is required", "reference");
  r.reference = checked_registry_number(reference, "reference");
  return r;
}

std::string referral_package_html(const ReferralPackage& p) {
  const std::string to = body_name(p.referral);
  const std::string number = p.row.case_number;
  std::string out;
  out += "<!doctype html><html lang=\"th\"><head><meta charset=\"utf-8\">"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
         "<title>หนังสือส่งต่อเรื่องร้องเรียน " + escape(number) + "</title>"
         "<link rel=\"stylesheet\" href=\"/css/fonts.css\"><link rel=\"stylesheet\" href=\"/css/referral.css\">"
         "<script type=\"module\" src=\"/js/console/referral-print.js\"></script></head><body>"
         "<main class=\"package\" id=\"referral-package\">"
         "<p class=\"no-print\"><button type=\"button\" id=\"print-package\">พิมพ์ (Print)</button></p>";
  out += "<header class=\"letterhead\"><p class=\"agency\" id=\"package-agency\">" + escape(p.agency.name_th) +
         "</p><p class=\"date\">วันที่ " + thai_date(p.at) + "</p></header>";
  out += "<h1>หนังสือส่งต่อเรื่องร้องเรียน</h1>";
  out += "<dl class=\"letter-fields\"><dt>เรื่อง</dt><dd>ส่งเรื่องร้องเรียนเพื่อพิจารณาดำเนินการตามอำนาจหน้าที่</dd>"
         "<dt>เรียน</dt><dd id=\"package-body\">" + escape(to) + "</dd>"
         "<dt>เลขที่อ้างอิง</dt><dd id=\"package-reference\">" + escape(p.referral.reference) + "</dd>"
         "<dt>เรื่องร้องเรียนเลขที่</dt><dd id=\"package-case\">" + escape(number) + "</dd>"
         "<dt>สิ่งที่ส่งมาด้วย</dt><dd>1. สำเนาเรื่องร้องเรียน 2. เอกสารหลักฐาน จำนวน " +
         std::to_string(p.files.size()) + " รายการ (ตามบัญชีท้ายหนังสือ)</dd></dl>";
  out += "<p class=\"letter-text\">ด้วย" + escape(p.agency.name_th) + " ได้รับเรื่องร้องเรียนเลขที่ " + escape(number) +
         " เมื่อวันที่ " + thai_date(p.row.received_at) + " ซึ่งพิจารณาแล้วเห็นว่าอยู่ในอำนาจหน้าที่ของ" + escape(to) +
         " จึงขอส่งเรื่องดังกล่าวพร้อมเอกสารหลักฐานมาเพื่อพิจารณาดำเนินการต่อไป ทั้งนี้ ขอได้โปรดเก็บรักษาข้อมูลที่อาจระบุตัวผู้ร้องเรียนไว้เป็นความลับ</p>"
         "<p class=\"letter-text\">จึงเรียนมาเพื่อโปรดพิจารณา</p>";
  out += "<p class=\"signature\">ผู้จัดทำ " + escape(p.prepared_by) + "<br>" + escape(p.agency.name_th) + "</p>";

  const auto& c = p.complaint;
  out += "<section class=\"complaint\" aria-labelledby=\"complaint-heading\"><h2 id=\"complaint-heading\">สำเนาเรื่องร้องเรียน</h2><dl>";
  const auto* category = find_category(text_at(c, "category"));
  row(out, "ประเภท", category != nullptr ? std::string(category->th) : text_at(c, "category"));
  if (const auto* s = c.if_contains("subject"); s != nullptr && s->is_object()) {
    row(out, "ผู้ถูกร้องเรียน", text_at(s->get_object(), "name"));
    row(out, "ตำแหน่ง", text_at(s->get_object(), "position"));
    row(out, "สังกัด", text_at(s->get_object(), "unit"));
  }
  row(out, "วันที่เกิดเหตุ", text_at(c, "incident_date"));
  row(out, "สถานที่", text_at(c, "location"));
  out += "</dl><h3>รายละเอียด</h3><p class=\"description\" id=\"package-description\">" +
         escape(text_at(c, "description")) + "</p></section>";

  out += "<section class=\"identity\" aria-labelledby=\"identity-heading\" id=\"package-identity\">"
         "<h2 id=\"identity-heading\">ผู้ร้องเรียน</h2>";
  if (p.identity) {
    out += "<p>เปิดเผยในหนังสือนี้โดยความเห็นชอบของผู้ดูแลข้อมูลตัวตน</p><dl>";
    row(out, "ชื่อ", text_at(*p.identity, "name"));
    row(out, "เลขประจำตัวประชาชน", text_at(*p.identity, "national_id"));
    row(out, "โทรศัพท์", text_at(*p.identity, "phone"));
    row(out, "อีเมล", text_at(*p.identity, "email"));
    row(out, "ที่อยู่", text_at(*p.identity, "address"));
    out += "</dl>";
  } else {
    out += "<p id=\"identity-withheld\">ไม่ระบุในหนังสือนี้ เพื่อคุ้มครองผู้ร้องเรียน</p>";
  }
  out += "</section>";

  out += "<section class=\"files\" aria-labelledby=\"files-heading\"><h2 id=\"files-heading\">บัญชีเอกสารหลักฐาน</h2>";
  if (p.files.empty()) {
    out += "<p>ไม่มี</p>";
  } else {
    out += "<ol id=\"package-files\">";
    for (const auto& f : p.files) {
      out += "<li>" + escape(f.filename) + " (" + escape(f.content_type) + ", " + size_text(f.size) + ")</li>";
    }
    out += "</ol>";
  }
  out += "</section></main></body></html>";
  return out;
}

}  // namespace krasip::cases
