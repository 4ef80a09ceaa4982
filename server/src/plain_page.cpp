#include "plain_page.hpp"

#include "krasip/cases/common/thai_time.hpp"
#include "krasip/server/api_response.hpp"
#include "krasip/server/error_mapping.hpp"
#include "krasip/storage/errors.hpp"

namespace krasip::server {

namespace {
constexpr const char* kMonthsTh[] = {"มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
                                     "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"};
constexpr const char* kMonthsEn[] = {"January", "February", "March",     "April",   "May",      "June",
                                     "July",    "August",   "September", "October", "November", "December"};

Text code_text(std::string_view code) {
  // The same words as web/js/strings/errors.js for the same codes.
  if (code == "malformed_json" || code == "malformed_form" || code == "malformed_multipart") {
    return {"ระบบไม่สามารถอ่านข้อมูลที่ส่งได้ กรุณาลองใหม่อีกครั้ง", "The system could not read the data sent. Please try again."};
  }
  if (code == "invalid_utf8") {
    return {"ข้อความมีอักขระที่ระบบไม่รองรับ กรุณาตรวจสอบแล้วลองใหม่",
            "The text contains characters the system cannot accept. Please check it and try again."};
  }
  if (code == "missing_field") return {"กรุณากรอกข้อมูลนี้", "Please fill in this field."};
  if (code == "invalid_field" || code == "unknown_category") {
    return {"ข้อมูลนี้ไม่ถูกต้อง กรุณาตรวจสอบอีกครั้ง", "This value is not valid. Please check it."};
  }
  if (code == "field_too_long") return {"ข้อความยาวเกินกำหนด กรุณาตัดให้สั้นลง", "This text is too long. Please shorten it."};
  if (code == "body_too_large") {
    return {"ข้อมูลทั้งหมดมีขนาดใหญ่เกินกำหนด กรุณาลดความยาวของข้อความ", "The whole submission is too large. Please shorten the text."};
  }
  if (code == "terms_not_accepted") return {"กรุณายอมรับเงื่อนไขก่อนส่งเรื่อง", "Please accept the terms before sending."};
  if (code == "rate_limited") {
    return {"มีการส่งคำขอถี่เกินไป กรุณารอสักครู่แล้วลองใหม่", "Too many requests. Please wait a moment and try again."};
  }
  if (code == "busy" || code == "server_busy") {
    return {"ระบบมีผู้ใช้งานจำนวนมาก กรุณาลองใหม่ในอีกสักครู่", "The system is busy. Please try again shortly."};
  }
  if (code == "unknown_code") return {"ไม่พบเรื่องที่ตรงกับรหัสนี้", "No complaint matches this code."};
  if (code == "malformed_code") {
    return {"รหัสไม่ถูกต้อง กรุณาตรวจสอบการพิมพ์อีกครั้ง", "This code is not valid. Please check for typing mistakes."};
  }
  if (code == "request_timeout") {
    return {"เซิร์ฟเวอร์ไม่ตอบสนองภายในเวลาที่กำหนด กรุณาลองใหม่อีกครั้ง", "The server did not answer in time. Please try again."};
  }
  if (code == "file_too_large") {
    return {"ไฟล์มีขนาดใหญ่เกินกำหนด ไม่ได้บันทึกไฟล์นี้", "The file is larger than allowed; it was not stored."};
  }
  if (code == "case_upload_limit") {
    return {"เรื่องนี้มีไฟล์แนบครบตามจำนวนหรือขนาดที่กำหนดแล้ว", "This case has reached its limit of files."};
  }
  if (code == "file_type_not_allowed" || code == "unsupported_media_type") {
    return {"ระบบไม่รับไฟล์ชนิดนี้ กรุณาส่งภาพถ่าย PDF เอกสาร เสียง หรือวิดีโอ",
            "This type of file is not accepted. Please send a photo, PDF, document, audio or video."};
  }
  if (code == "file_not_processed") {
    return {"ระบบตรวจไฟล์นี้ไม่สำเร็จ ไม่ได้บันทึกไฟล์นี้", "The file could not be checked; it was not stored."};
  }
  if (code == "case_purged") return {"ข้อมูลของเรื่องนี้ถูกลบแล้ว", "The records of this case were deleted."};
  if (code == "unknown_agency") return {"ไม่พบหน่วยงานนี้", "No such agency."};
  if (code == "storage_unavailable") {
    return {"ระบบบันทึกข้อมูลไม่ได้ในขณะนี้ ไม่มีข้อมูลใดถูกบันทึก กรุณาลองใหม่ในอีกไม่กี่นาที",
            "The service cannot save right now; nothing was stored. Please try again in a few minutes."};
  }
  return {"เกิดข้อผิดพลาดในระบบ กรุณาลองใหม่ภายหลัง", "Something went wrong on our side. Please try again later."};
}
}  // namespace

std::string PlainContext::query(bool with_lang) const {
  std::string q;
  if (known_agency && !agency.slug.empty()) q = "agency=" + agency.slug;
  if (with_lang && english) q += std::string(q.empty() ? "" : "&") + "lang=en";
  return q.empty() ? q : "?" + q;
}

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (const char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string plain_date(const PlainContext& c, std::int64_t at) {
  const auto d = cases::bangkok_date(at);
  if (c.english) return std::to_string(d.day) + " " + kMonthsEn[d.month - 1] + " " + std::to_string(d.year);
  return std::to_string(d.day) + " " + kMonthsTh[d.month - 1] + " " + std::to_string(d.year + 543);
}

std::string notice(std::string_view kind, std::string_view html, bool alert) {
  return std::string("<div class=\"notice notice-") + std::string(kind) + "\" " +
         (alert ? "role=\"alert\"" : "role=\"status\"") + ">" + std::string(html) + "</div>\n";
}

std::string plain_document(const PlainContext& c, std::string_view title, std::string_view main_html,
                           std::string_view switch_href) {
  const std::string name = html_escape(c.english && !c.agency.name_en.empty() ? c.agency.name_en : c.agency.name_th);
  std::string h;
  h.reserve(main_html.size() + 4096);
  h += "<!DOCTYPE html>\n<html lang=\"" + c.lang() + "\">\n<head>\n<meta charset=\"utf-8\">\n";
  h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  h += "<meta name=\"referrer\" content=\"no-referrer\">\n<meta name=\"robots\" content=\"noindex\">\n";
  h += "<title>" + html_escape(title) + " — " + name + "</title>\n";
  h += "<link rel=\"icon\" href=\"/img/emblem.svg\" type=\"image/svg+xml\">\n";
  if (c.stylesheets != nullptr) {
    for (const auto& css : *c.stylesheets) h += "<link rel=\"stylesheet\" href=\"" + html_escape(css) + "\">\n";
  }
  h += "</head>\n<body class=\"embed-page plain-page\">\n";
  h += "<a class=\"skip-link\" href=\"#main\">" + std::string(c.t({"ข้ามไปยังเนื้อหาหลัก", "Skip to main content"})) + "</a>\n";
  h += "<header class=\"embed-header\">\n<div class=\"wrap header-row\">\n<p class=\"brand\">";
  h += "<img class=\"brand-logo\" src=\"/img/emblem.svg\" alt=\"\" width=\"36\" height=\"36\">";
  h += "<span class=\"brand-text\"><span class=\"brand-name\">" + name + "</span>";
  h += "<span class=\"brand-sub\">" + std::string(c.t({"กระซิบ — ช่องทางร้องเรียนและแจ้งเบาะแส", "Krasip — complaints and tip-offs"})) +
       "</span></span></p>\n";
  if (!switch_href.empty()) {
    h += "<p class=\"lang-switch\"><a href=\"" + html_escape(switch_href) + "\" lang=\"" +
         (c.english ? "th" : "en") + "\">" + (c.english ? "ไทย" : "English") + "</a></p>\n";
  }
  h += "</div>\n<nav class=\"site-nav\" aria-label=\"" + std::string(c.t({"เมนูกระซิบ", "Krasip menu"})) +
       "\">\n<ul class=\"wrap\">\n";
  const auto q = c.query();
  h += "<li><a href=\"/plain/report" + q + "\">" + std::string(c.t({"แจ้งเรื่องร้องเรียน", "Make a complaint"})) + "</a></li>\n";
  h += "<li><a href=\"/plain/status" + q + "\">" + std::string(c.t({"ติดตามเรื่อง", "Track a complaint"})) + "</a></li>\n";
  h += "<li><a href=\"/embed/measures.html" + q + "\">" + std::string(c.t({"มาตรการคุ้มครอง", "Protection measures"})) +
       "</a></li>\n";
  h += "</ul>\n</nav>\n</header>\n<main id=\"main\" class=\"wrap\" tabindex=\"-1\">\n";
  h += main_html;
  h += "</main>\n<footer class=\"site-footer\">\n<div class=\"wrap\">\n<p>";
  h += c.t({"ระบบนี้ไม่บันทึกหมายเลข IP ของผู้ใช้ และไม่เรียกใช้บริการของบุคคลภายนอก หน้านี้ทำงานได้โดยไม่ต้องใช้ JavaScript",
            "This service does not record your IP address and calls on no third party. This page works without JavaScript."});
  h += "</p>\n";
  if (!c.onion_address.empty()) {
    h += "<p class=\"onion-address\">" + std::string(c.t({"ผ่าน Tor Browser:", "Through Tor Browser:"})) + " http://" +
         html_escape(c.onion_address) + "/</p>\n";
  }
  h += "<p><a href=\"/fonts/OFL.txt\">" +
       std::string(c.t({"แบบอักษร Sarabun ใช้ภายใต้สัญญาอนุญาต SIL Open Font License",
                        "The Sarabun font is used under the SIL Open Font License"})) +
       "</a></p>\n</div>\n</footer>\n</body>\n</html>\n";
  return h;
}

Response plain_response(http::status status, std::string html) {
  Response res{status, 11};
  res.set(http::field::content_type, "text/html; charset=utf-8");
  res.set(http::field::cache_control, "no-store");
  res.body() = std::move(html);
  res.prepare_payload();
  return res;
}

Text error_text(const cases::CaseError& e) { return code_text(cases::to_string(e.code())); }

Text error_text(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const cases::CaseError& e) {
    return error_text(e);
  } catch (const HttpError& e) {
    return code_text(e.code());
  } catch (const storage::StorageUnavailable&) {
    return code_text("storage_unavailable");
  } catch (...) {
    return code_text("internal_error");
  }
}

std::string field_id(std::string_view path) {
  std::string id(path);
  for (auto& ch : id) {
    if (ch == '.' || ch == '_') ch = '-';
  }
  return id;
}

Response plain_error_page(const PlainContext& c, std::exception_ptr error) {
  // The same status (and log line, for an internal error) as the JSON answer.
  const auto status = response_for(error).result();
  const auto text = error_text(error);
  std::string main = "<h1>" + std::string(c.t({"ทำรายการไม่สำเร็จ", "This did not go through"})) + "</h1>\n";
  main += notice("error", "<p>" + std::string(c.t(text)) + "</p>", true);
  main += "<p>" + std::string(c.t({"ไม่มีการบันทึกซ้ำ และสิ่งที่บันทึกไว้แล้วไม่สูญหาย", "Nothing was stored twice, and nothing already stored was lost."})) + "</p>\n";
  main += "<ul>\n<li><a href=\"/plain/status" + c.query() + "\">" +
          std::string(c.t({"กรอกรหัสติดตามเรื่องอีกครั้ง", "Enter your tracking code again"})) + "</a></li>\n";
  main += "<li><a href=\"/plain/report" + c.query() + "\">" +
          std::string(c.t({"กลับไปที่แบบฟอร์มแจ้งเรื่อง", "Back to the complaint form"})) + "</a></li>\n</ul>\n";
  auto res = plain_response(status, plain_document(c, c.t({"ทำรายการไม่สำเร็จ", "Not done"}), main));
  if (status == http::status::too_many_requests) res.set(http::field::retry_after, "60");
  return res;
}

}  // namespace krasip::server
