#include <boost/json.hpp>

#include "evidence_pack.hpp"

namespace krasip::server {

namespace json = boost::json;

namespace {

std::string esc(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
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

std::string str(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

// Screen and print alike: no navigation or buttons to hide; print keeps
// tables and the picture from splitting across pages.
constexpr const char* kStyle = R"css(
@font-face { font-family: Sarabun; font-weight: 400; src: url(/fonts/sarabun-thai-400-normal.woff2) format("woff2"); unicode-range: U+0E00-0E7F; }
@font-face { font-family: Sarabun; font-weight: 400; src: url(/fonts/sarabun-latin-400-normal.woff2) format("woff2"); }
@font-face { font-family: Sarabun; font-weight: 700; src: url(/fonts/sarabun-thai-700-normal.woff2) format("woff2"); unicode-range: U+0E00-0E7F; }
@font-face { font-family: Sarabun; font-weight: 700; src: url(/fonts/sarabun-latin-700-normal.woff2) format("woff2"); }
body { font-family: Sarabun, sans-serif; color: #111; background: #fff; margin: 0 auto; max-width: 50rem; padding: 1.5rem; line-height: 1.6; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.25rem; border-bottom: 2px solid #1d4e89; margin-top: 2rem; }
h3 { font-size: 1.05rem; margin-bottom: .25rem; }
.en { color: #333; font-size: .92em; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { border: 1px solid #999; padding: .25rem .5rem; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
caption { text-align: left; font-weight: 700; padding: .25rem 0; }
figure { margin: 1rem 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #999; }
code, .hash { font-family: monospace; word-break: break-all; }
@page { size: A4; margin: 18mm 15mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  h2 { break-after: avoid; }
  table, figure, li { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
)css";

}  // namespace

std::string evidence_pack_html(const json::object& p) {
  std::string h;
  h += "<!DOCTYPE html>\n<html lang=\"th\">\n<head>\n<meta charset=\"utf-8\">\n"
       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>";
  h += esc(str(p, "title_th")) + " — " + esc(str(p, "agency_th"));
  h += "</title>\n<style>" + std::string(kStyle) + "</style>\n</head>\n<body>\n<main>\n";
  h += "<h1>" + esc(str(p, "title_th")) + "</h1>\n";
  h += "<p class=\"en\" lang=\"en\">" + esc(str(p, "title_en")) + "</p>\n";
  h += "<p><strong>" + esc(str(p, "agency_th")) + "</strong> <span class=\"en\" lang=\"en\">(" +
       esc(str(p, "agency_en")) + ")</span></p>\n";
  h += "<p>" + esc(str(p, "period_th")) + " <span class=\"en\" lang=\"en\">" + esc(str(p, "period_en")) + "</span></p>\n";
  h += "<p>" + esc(str(p, "generated_th")) + " <span class=\"en\" lang=\"en\">" + esc(str(p, "generated_en")) +
       "</span></p>\n";

  const auto& a = p.at("address").as_object();
  h += "<section aria-labelledby=\"pack-address\">\n<h2 id=\"pack-address\">1. ช่องทางร้องเรียน <span class=\"en\" "
       "lang=\"en\">The complaint channel</span></h2>\n<ul>\n";
  h += "<li>ที่อยู่สำหรับแจ้งเรื่อง <span class=\"en\" lang=\"en\">(address for complaints)</span>: <code>" +
       esc(str(a, "report_url")) + "</code></li>\n";
  h += "<li>มาตรการคุ้มครอง <span class=\"en\" lang=\"en\">(protection measures)</span>: <code>" +
       esc(str(a, "measures_url")) + "</code></li>\n";
  h += "<li>สถิติ <span class=\"en\" lang=\"en\">(statistics)</span>: <code>" + esc(str(a, "stats_url")) +
       "</code></li>\n</ul>\n";
  if (const auto* pic = p.if_contains("picture"); pic != nullptr && pic->is_object()) {
    const auto& po = pic->as_object();
    h += "<figure>\n<img src=\"data:" + esc(str(po, "mime")) + ";base64," + esc(str(po, "data")) +
         "\" alt=\"ภาพหน้าเว็บไซต์ของหน่วยงานที่แสดงช่องทางร้องเรียน / The agency's web page showing the complaint channel\">\n";
    h += "<figcaption>ภาพหน้าเว็บไซต์ของหน่วยงาน <code>" + esc(str(po, "page_url")) + "</code> " +
         esc(str(po, "uploaded_th")) + "</figcaption>\n</figure>\n";
  } else {
    h += "<p>ยังไม่มีภาพหน้าเว็บไซต์ของหน่วยงาน ผู้ดูแลระบบอัปโหลดได้ที่หน้าผู้ดูแลระบบ <span class=\"en\" lang=\"en\">No picture "
         "of the agency's web page has been uploaded yet.</span></p>\n";
  }
  h += "</section>\n";

  h += "<section aria-labelledby=\"pack-measures\">\n<h2 id=\"pack-measures\">2. มาตรการคุ้มครองผู้ร้องเรียน <span "
       "class=\"en\" lang=\"en\">Protection measures</span></h2>\n";
  for (const auto& sv : p.at("measures").as_array()) {
    const auto& s = sv.as_object();
    h += "<h3>" + esc(str(s, "heading_th")) + " <span class=\"en\" lang=\"en\">" + esc(str(s, "heading_en")) +
         "</span></h3>\n<ul>\n";
    for (const auto& pv : s.at("points").as_array()) {
      const auto& pt = pv.as_object();
      h += "<li>" + esc(str(pt, "th")) + "<br><span class=\"en\" lang=\"en\">" + esc(str(pt, "en")) + "</span></li>\n";
    }
    h += "</ul>\n";
  }
  h += "</section>\n";

  h += "<section aria-labelledby=\"pack-stats\">\n<h2 id=\"pack-stats\">3. สถิติ <span class=\"en\" "
       "lang=\"en\">Statistics</span></h2>\n";
  for (const auto& tv : p.at("tables").as_array()) {
    const auto& t = tv.as_object();
    h += "<table>\n<caption>" + esc(str(t, "title_th")) + " <span class=\"en\" lang=\"en\">" +
         esc(str(t, "title_en")) + "</span></caption>\n<tbody>\n";
    for (const auto& rv : t.at("rows").as_array()) {
      const auto& r = rv.as_object();
      h += "<tr><th scope=\"row\">" + esc(str(r, "th")) + " <span class=\"en\" lang=\"en\">" + esc(str(r, "en")) +
           "</span></th><td class=\"n\">" + esc(str(r, "value")) + "</td></tr>\n";
    }
    h += "</tbody>\n</table>\n";
    if (!str(t, "note_th").empty()) {
      h += "<p>" + esc(str(t, "note_th")) + " <span class=\"en\" lang=\"en\">" + esc(str(t, "note_en")) + "</span></p>\n";
    }
  }
  h += "</section>\n";

  const auto& au = p.at("audit").as_object();
  h += "<section aria-labelledby=\"pack-audit\">\n<h2 id=\"pack-audit\">4. บันทึกการตรวจสอบ <span class=\"en\" "
       "lang=\"en\">Audit log</span></h2>\n";
  h += "<p>" + esc(str(au, "text_th")) + "<br><span class=\"en\" lang=\"en\">" + esc(str(au, "text_en")) + "</span></p>\n";
  h += "<p>ค่าแฮชล่าสุด <span class=\"en\" lang=\"en\">(head hash)</span>: <span class=\"hash\">" +
       esc(str(au, "published_form")) + "</span></p>\n";
  if (const auto* ch = p.if_contains("changes")) {
    const auto& c = ch->as_object();
    h += "<p>" + esc(str(c, "text_th")) + "<br><span class=\"en\" lang=\"en\">" + esc(str(c, "text_en")) +
         "</span></p>\n";
  }
  h += "</section>\n</main>\n</body>\n</html>\n";
  return h;
}

}  // namespace krasip::server
