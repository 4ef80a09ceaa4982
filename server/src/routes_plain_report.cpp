// Filing a complaint without JavaScript (issue 22): the form, the review
// and the receipt as server-rendered pages. The form's fields are named as
// the JSON API's paths and become the same JSON body the scripts send, so
// they go through the same validation (cases::complaint_from_json), the
// same sealing and the same commit (cases::IntakeService); this file only
// translates.
#include <boost/asio/post.hpp>
#include <boost/json.hpp>
#include <algorithm>
#include <iterator>
#include <vector>

#include "agency_param.hpp"
#include "krasip/cases/agencies/agency_policy.hpp"
#include "krasip/cases/common/case_error.hpp"
#include "krasip/cases/intake/complaint_input.hpp"
#include "krasip/server/api_response.hpp"
#include "krasip/server/error_mapping.hpp"
#include "plain_routes.hpp"

namespace krasip::server {

namespace json = boost::json;
using cases::CaseError;

namespace {

// What went wrong with one field, shown next to it and in the summary.
struct FieldError {
  std::string field;  // JSON path, e.g. "subject.name"
  std::string text;
};
using Errors = std::vector<FieldError>;

const FieldError* error_for(const Errors& errors, std::string_view field) {
  for (const auto& e : errors) {
    if (e.field == field) return &e;
  }
  return nullptr;
}

// The order of the fields on the page, for the summary.
int page_order(std::string_view field) {
  static constexpr std::string_view kOrder[] = {"channel",  "subject.name",  "subject.position", "subject.unit",
                                                "category", "description",   "incident_date",    "location",
                                                "identity", "identity.name", "identity.national_id",
                                                "identity.phone", "identity.email", "identity.address", "accept_terms"};
  for (int i = 0; i < static_cast<int>(std::size(kOrder)); ++i) {
    if (kOrder[i] == field) return i;
  }
  return 100;
}

// Thai digits (๐–๙) as ASCII, as the scripts send them.
std::string ascii_digits(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b == 0xE0 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xB9) {
      const auto c = static_cast<unsigned char>(s[i + 2]);
      if (c >= 0x90 && c <= 0x99) {
        out.push_back(static_cast<char>('0' + (c - 0x90)));
        i += 2;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

// The JSON body of POST /api/v1/complaints that web/js/validate.js
// buildPayload() makes from the same fields.
json::object complaint_json(const FormFields& f, bool accept_terms) {
  json::object body;
  if (!f.get("channel").empty()) body["channel"] = f.get("channel");
  body["category"] = f.get("category");
  body["subject"] = {{"name", f.get("subject.name")},
                     {"position", f.get("subject.position")},
                     {"unit", f.get("subject.unit")}};
  body["description"] = f.get("description");
  if (!f.get("incident_date").empty()) body["incident_date"] = f.get("incident_date");
  if (!f.get("location").empty()) body["location"] = f.get("location");
  body["identity"] = nullptr;
  if (f.get("identity_mode") == "named") {
    json::object id;
    for (const char* key : {"name", "national_id", "phone", "email", "address"}) {
      std::string v = f.get(std::string("identity.") + key);
      if (std::string_view(key) == "national_id") {
        v = ascii_digits(v);
        std::erase_if(v, [](char ch) { return ch == ' ' || ch == '-'; });
      }
      if (std::string_view(key) == "phone") v = ascii_digits(v);
      if (!v.empty()) id[key] = v;
    }
    body["identity"] = std::move(id);
  }
  body["accept_terms"] = accept_terms;
  return body;
}

const char* const kFormFields[] = {"channel",          "subject.name",          "subject.position",
                                   "subject.unit",     "category",              "description",
                                   "incident_date",    "location",              "identity_mode",
                                   "identity.name",    "identity.national_id",  "identity.phone",
                                   "identity.email",   "identity.address"};

std::string attr(std::string_view s) { return html_escape(s); }

std::string req_mark() { return " <span class=\"req\" aria-hidden=\"true\">*</span>"; }

std::string error_para(const std::string& id, const Errors& err, std::string_view field) {
  const auto* e = error_for(err, field);
  if (e == nullptr) return {};
  return "<p id=\"" + id + "-error\" class=\"field-error\">" + html_escape(e->text) + "</p>";
}

std::string invalid_attrs(const std::string& id, const Errors& err, std::string_view field,
                          std::string describedby) {
  std::string a;
  if (error_for(err, field) != nullptr) {
    a += " aria-invalid=\"true\"";
    describedby += (describedby.empty() ? "" : " ") + id + "-error";
  }
  if (!describedby.empty()) a += " aria-describedby=\"" + describedby + "\"";
  return a;
}

// One labelled text field (input or textarea) with its hint and error.
std::string text_field(const PlainContext& c, const FormFields& f, const Errors& err,
                       std::string_view name, Text label, bool required, std::string_view type = "text",
                       Text hint = {}, std::string_view extra = {}) {
  const std::string id = field_id(name);
  std::string h = "<div class=\"field\">\n<label for=\"" + id + "\">" + std::string(c.t(label)) +
                  (required ? req_mark() : "") + "</label>\n";
  std::string described;
  if (!hint.th.empty()) {
    h += "<p id=\"" + id + "-hint\" class=\"hint\">" + std::string(c.t(hint)) + "</p>\n";
    described = id + "-hint";
  }
  const auto a = invalid_attrs(id, err, name, described) + (required ? " required" : "") + std::string(extra);
  if (type == "textarea") {
    h += "<textarea id=\"" + id + "\" name=\"" + std::string(name) + "\" rows=\"6\"" + a + ">" +
         html_escape(f.get(name)) + "</textarea>\n";
  } else {
    h += "<input id=\"" + id + "\" name=\"" + std::string(name) + "\" type=\"" + std::string(type) + "\" value=\"" +
         attr(f.get(name)) + "\"" + a + ">\n";
  }
  h += error_para(id, err, name) + "</div>\n";
  return h;
}

std::string channel_label(const PlainContext& c, const storage::ChannelRow& ch) {
  return html_escape(c.english && !ch.name_en.empty() ? ch.name_en : ch.name_th);
}
std::string in_lang(const PlainContext& c, const std::string& th, const std::string& en) {
  return html_escape(c.english && !en.empty() ? en : th);
}

std::string summary(const PlainContext& c, const Errors& err) {
  if (err.empty()) return {};
  std::string inner = "<p>" + std::string(c.t({"กรุณาแก้ไขข้อมูลที่มีเครื่องหมายแจ้งเตือน", "Please correct the highlighted fields."})) +
                      "</p>\n<ul>\n";
  for (const auto& e : err) {
    if (!e.field.empty()) {
      inner += "<li><a href=\"#" + field_id(e.field) + "\">" + html_escape(e.text) + "</a></li>\n";
    } else {
      inner += "<li>" + html_escape(e.text) + "</li>\n";
    }
  }
  return notice("error", inner + "</ul>", true);
}

std::string report_form(AppServices& app, const PlainContext& c, const FormFields& f,
                        const Errors& err, std::string_view top = {}) {
  const auto scope = cases::AgencyScope::of(c.agency);
  const auto readers = app.readers.current(scope);
  std::string h = "<h1>" + std::string(c.t({"แจ้งเรื่องร้องเรียน / แจ้งเบาะแส", "Make a complaint / report wrongdoing"})) + "</h1>\n";
  h += "<p class=\"lead\">" +
       std::string(c.t({"ใช้แบบฟอร์มนี้เพื่อร้องเรียนการปฏิบัติหน้าที่ของเจ้าหน้าที่ หรือแจ้งเบาะแสการทุจริตและประพฤติมิชอบ คุณไม่จำเป็นต้องบอกชื่อของคุณ",
                        "Use this form to complain about how an official acted, or to report corruption or misconduct. You do not have to give your name."})) +
       "</p>\n";
  h += top;
  h += summary(c, err);
  h += "<form method=\"post\" action=\"/plain/report" + c.query() + "\" novalidate>\n";
  h += "<p class=\"required-note\">" + std::string(c.t({"ช่องที่มีเครื่องหมาย * ต้องกรอก", "Fields marked * are required."})) + "</p>\n";

  // The channel: who will read it, as the agency describes each one.
  if (readers->channels.size() > 1) {
    const std::string chosen = f.get("channel");
    h += "<fieldset class=\"card plain-fieldset\" id=\"channel\"" + invalid_attrs("channel", err, "channel", "channel-hint") +
         ">\n<legend>" + std::string(c.t({"ส่งเรื่องถึงใคร (ช่องทางรับเรื่อง)", "Who should receive it (channel)"})) + req_mark() +
         "</legend>\n<p id=\"channel-hint\" class=\"hint\">" +
         std::string(c.t({"เลือกช่องทางที่ไม่มีผู้เกี่ยวข้องกับเรื่องของคุณเป็นผู้อ่าน",
                          "Choose a channel whose readers are not involved in what you report."})) +
         "</p>\n";
    for (const auto& entry : readers->channels) {
      const auto& ch = entry.channel;
      const std::string id = "channel-" + ch.slug;
      h += "<div class=\"choice\">\n<input type=\"radio\" id=\"" + attr(id) + "\" name=\"channel\" value=\"" + attr(ch.slug) + "\"" +
           (chosen == ch.slug ? " checked" : "") + " aria-describedby=\"" + attr(id) + "-about\">\n<label for=\"" + attr(id) +
           "\"><strong>" + channel_label(c, ch) + "</strong>";
      h += "<span id=\"" + attr(id) + "-about\" class=\"hint\">";
      const auto desc = in_lang(c, ch.description_th, ch.description_en);
      if (!desc.empty()) h += desc + " ";
      h += std::string(c.t({"ผู้ที่อ่านเรื่องของคุณได้:", "Who can read your complaint:"})) + " " +
           in_lang(c, ch.readers_th, ch.readers_en) + " " +
           std::string(c.t({"ผู้ที่เห็นชื่อของคุณได้ (ถ้าคุณบอกชื่อ):", "Who can see your name (if you give it):"})) + " " +
           in_lang(c, ch.identity_readers_th, ch.identity_readers_en) + "</span></label>\n</div>\n";
    }
    h += error_para("channel", err, "channel") + "</fieldset>\n";
  } else if (readers->channels.size() == 1) {
    const auto& ch = readers->channels.front().channel;
    h += "<div class=\"notice notice-info\"><p><strong>" +
         std::string(c.t({"ผู้ที่อ่านเรื่องของคุณได้:", "Who can read your complaint:"})) + "</strong> " +
         in_lang(c, ch.readers_th, ch.readers_en) + "</p><p><strong>" +
         std::string(c.t({"ผู้ที่เห็นชื่อของคุณได้ (ถ้าคุณบอกชื่อ):", "Who can see your name (if you give it):"})) +
         "</strong> " + in_lang(c, ch.identity_readers_th, ch.identity_readers_en) + "</p></div>\n";
  }

  h += "<section class=\"card\" aria-labelledby=\"step-who-h\">\n<h2 id=\"step-who-h\">" +
       std::string(c.t({"ผู้ถูกร้องเรียน", "Who it is about"})) + "</h2>\n";
  h += text_field(c, f, err, "subject.name", {"ชื่อ-นามสกุล หรือชื่อที่รู้จัก", "Name, or the name they are known by"}, true,
                  "text", {"หากไม่ทราบชื่อ ให้บอกลักษณะที่พอระบุตัวได้", "If you do not know the name, describe how to recognise them."},
                  " autocomplete=\"off\"");
  h += text_field(c, f, err, "subject.position", {"ตำแหน่ง (ถ้าทราบ)", "Position (if known)"}, false, "text", {},
                  " autocomplete=\"off\"");
  h += text_field(c, f, err, "subject.unit", {"สังกัด / กอง / หน่วยงาน (ถ้าทราบ)", "Division or unit (if known)"}, false,
                  "text", {}, " autocomplete=\"off\"");
  h += "</section>\n";

  h += "<section class=\"card\" aria-labelledby=\"step-what-h\">\n<h2 id=\"step-what-h\">" +
       std::string(c.t({"เรื่องที่ต้องการแจ้ง", "What happened"})) + "</h2>\n";
  {
    const std::string chosen = f.get("category");
    h += "<div class=\"field\">\n<label for=\"category\">" + std::string(c.t({"ประเภทเรื่อง", "Type of complaint"})) +
         req_mark() + "</label>\n<select id=\"category\" name=\"category\" required" +
         invalid_attrs("category", err, "category", "") + ">\n<option value=\"\">" +
         std::string(c.t({"— เลือกประเภทเรื่อง —", "— Choose a type —"})) + "</option>\n";
    for (const auto& cat : cases::categories_of(c.agency.categories)) {
      h += "<option value=\"" + attr(cat.id) + "\"" + (chosen == cat.id ? " selected" : "") + ">" +
           html_escape(c.english ? cat.en : cat.th) + "</option>\n";
    }
    h += "</select>\n" + error_para("category", err, "category") + "</div>\n";
  }
  h += text_field(c, f, err, "description", {"รายละเอียดเรื่องร้องเรียน", "What happened"}, true, "textarea",
                  {"เล่าว่าเกิดอะไรขึ้น เมื่อไร ที่ไหน ใครเกี่ยวข้อง และมีพยานหลักฐานอะไรบ้าง หากไม่ต้องการเปิดเผยตัวตน อย่าใส่ชื่อหรือข้อมูลที่ระบุตัวคุณในช่องนี้",
                   "Say what happened, when, where, who was involved and what evidence exists. If you want to stay anonymous, do not put your name or anything that identifies you here."});
  h += "</section>\n";

  h += "<section class=\"card\" aria-labelledby=\"step-when-h\">\n<h2 id=\"step-when-h\">" +
       std::string(c.t({"เมื่อไรและที่ไหน", "When and where"})) + "</h2>\n";
  h += text_field(c, f, err, "incident_date", {"วันที่เกิดเหตุ (ถ้าทราบ)", "Date it happened (if known)"}, false, "date",
                  {"ปี ค.ศ. เช่น 2026-11-30", "Year-month-day, e.g. 2026-11-30"});
  h += text_field(c, f, err, "location", {"สถานที่เกิดเหตุ (ถ้าทราบ)", "Where it happened (if known)"}, false, "text", {},
                  " autocomplete=\"off\"");
  h += "</section>\n";

  h += "<section class=\"card\" aria-labelledby=\"step-identity-h\">\n<h2 id=\"step-identity-h\">" +
       std::string(c.t({"ข้อมูลผู้ร้องเรียน", "About you"})) + "</h2>\n";
  const bool named = f.get("identity_mode") == "named";
  h += "<fieldset class=\"plain-fieldset\">\n<legend>" +
       std::string(c.t({"คุณต้องการบอกชื่อของคุณหรือไม่", "Do you want to give your name?"})) + "</legend>\n";
  h += "<div class=\"choice\"><input type=\"radio\" id=\"identity-anonymous\" name=\"identity_mode\" value=\"anonymous\"" +
       std::string(named ? "" : " checked") + " aria-describedby=\"identity-anonymous-hint\"><label for=\"identity-anonymous\"><strong>" +
       std::string(c.t({"ไม่ประสงค์ออกนาม", "Stay anonymous"})) + "</strong><span id=\"identity-anonymous-hint\" class=\"hint\">" +
       std::string(c.t({"ไม่ต้องให้ข้อมูลส่วนตัวใด ๆ คุณติดตามเรื่องได้ด้วยรหัสติดตามที่จะได้รับหลังส่งเรื่อง",
                        "Give no personal details. You follow your complaint with the tracking code you get after sending."})) +
       "</span></label></div>\n";
  h += "<div class=\"choice\"><input type=\"radio\" id=\"identity-named\" name=\"identity_mode\" value=\"named\"" +
       std::string(named ? " checked" : "") + " aria-describedby=\"identity-named-hint\"><label for=\"identity-named\"><strong>" +
       std::string(c.t({"ระบุตัวตน", "Give my identity"})) + "</strong><span id=\"identity-named-hint\" class=\"hint\">" +
       std::string(c.t({"เจ้าหน้าที่ผู้ได้รับมอบหมายอาจติดต่อกลับเพื่อสอบถามข้อมูลเพิ่มเติม กรอกช่องด้านล่างเฉพาะเมื่อเลือกข้อนี้",
                        "A designated officer may contact you for more information. Fill in the fields below only if you choose this."})) +
       "</span></label></div>\n</fieldset>\n";
  h += "<div class=\"notice notice-info\" id=\"identity-explain\"><p>" +
       std::string(c.t({"ข้อมูลตัวตนจะถูกเข้ารหัสทันทีที่ส่ง มีเพียงผู้ได้รับมอบหมายให้ดูแลข้อมูลผู้ร้องเรียนเท่านั้นที่เปิดอ่านได้ และทุกครั้งที่เปิดอ่านต้องระบุเหตุผลและถูกบันทึกไว้",
                        "Your identity is encrypted as soon as you send it. Only the officers designated to look after complainants’ information (identity custodians) can open it, and every opening needs a stated reason and is recorded."})) +
       "</p></div>\n";
  h += text_field(c, f, err, "identity.name", {"ชื่อ-นามสกุล", "Full name"}, false, "text", {}, " autocomplete=\"name\"");
  h += text_field(c, f, err, "identity.national_id", {"เลขประจำตัวประชาชน (13 หลัก) ไม่บังคับ", "Thai national ID number (13 digits), optional"},
                  false, "text", {}, " inputmode=\"numeric\" autocomplete=\"off\" spellcheck=\"false\"");
  h += text_field(c, f, err, "identity.phone", {"หมายเลขโทรศัพท์ ไม่บังคับ", "Phone number, optional"}, false, "tel", {},
                  " autocomplete=\"tel\"");
  h += text_field(c, f, err, "identity.email", {"อีเมล ไม่บังคับ", "Email, optional"}, false, "email", {},
                  " autocomplete=\"email\" spellcheck=\"false\"");
  h += text_field(c, f, err, "identity.address", {"ที่อยู่ที่ติดต่อได้ ไม่บังคับ", "Contact address, optional"}, false, "textarea");
  h += "</section>\n";

  h += "<section class=\"card\" aria-labelledby=\"step-evidence-h\">\n<h2 id=\"step-evidence-h\">" +
       std::string(c.t({"หลักฐาน (ถ้ามี)", "Evidence (if any)"})) + "</h2>\n<p>" +
       std::string(c.t({"แนบไฟล์หลักฐานได้ในหน้าใบรับเรื่องหลังส่งเรื่อง ทีละไฟล์",
                        "You can add evidence files on the receipt page after sending, one at a time."})) +
       "</p>\n</section>\n";
  h += "<div class=\"step-nav\"><button type=\"submit\" name=\"step\" value=\"review\" class=\"btn btn-primary\">" +
       std::string(c.t({"ถัดไป: ตรวจทานก่อนส่ง", "Next: check before sending"})) + "</button></div>\n</form>\n";
  return h;
}

std::string review_page(AppServices& app, const PlainContext& c, const FormFields& f,
                        const Errors& err, std::string_view top = {}) {
  const auto scope = cases::AgencyScope::of(c.agency);
  const auto readers = app.readers.current(scope);
  std::string h = "<h1 id=\"review-h\">" + std::string(c.t({"ตรวจทานก่อนส่ง", "Check and send"})) + "</h1>\n";
  h += top;
  h += summary(c, err);
  h += "<p class=\"hint\">" +
       std::string(c.t({"ตรวจดูข้อมูลด้านล่าง หากต้องการแก้ไข กดปุ่ม “แก้ไข”", "Check what you are about to send. To change something, press “Edit”."})) +
       "</p>\n";
  h += "<form method=\"post\" action=\"/plain/report/send" + c.query() + "\" novalidate>\n";
  for (const char* name : kFormFields) {
    if (f.has(name)) h += hidden(name, f.get(name));
  }
  const auto row = [&](Text label, const std::string& value) {
    return "<div><dt>" + std::string(c.t(label)) + "</dt><dd class=\"prewrap\">" +
           (value.empty() ? std::string("—") : html_escape(value)) + "</dd></div>\n";
  };
  h += "<dl class=\"facts facts-stacked review-facts\">\n";
  if (!f.get("channel").empty()) {
    for (const auto& entry : readers->channels) {
      if (entry.channel.slug != f.get("channel")) continue;
      h += "<div><dt>" + std::string(c.t({"ช่องทางรับเรื่อง", "Channel"})) + "</dt><dd>" + channel_label(c, entry.channel) +
           "</dd></div>\n";
      h += "<div><dt>" + std::string(c.t({"ผู้อ่านเรื่อง", "Who can read it"})) + "</dt><dd>" +
           in_lang(c, entry.channel.readers_th, entry.channel.readers_en) + "</dd></div>\n";
    }
  }
  std::string category = f.get("category");
  if (const auto* cat = cases::find_category(category)) category = std::string(c.english ? cat->en : cat->th);
  h += row({"ผู้ถูกร้องเรียน", "Who it is about"}, f.get("subject.name"));
  h += row({"ตำแหน่ง", "Position"}, f.get("subject.position"));
  h += row({"สังกัด / หน่วยงาน", "Division or unit"}, f.get("subject.unit"));
  h += row({"ประเภทเรื่อง", "Type of complaint"}, category);
  h += row({"รายละเอียด", "What happened"}, f.get("description"));
  h += row({"วันที่เกิดเหตุ", "Date it happened"}, f.get("incident_date"));
  h += row({"สถานที่เกิดเหตุ", "Where"}, f.get("location"));
  if (f.get("identity_mode") == "named") {
    std::string who = f.get("identity.name");
    for (const char* k : {"identity.national_id", "identity.phone", "identity.email", "identity.address"}) {
      if (!f.get(k).empty()) who += "\n" + f.get(k);
    }
    h += row({"ข้อมูลผู้ร้องเรียน (เข้ารหัส)", "Your identity (encrypted)"}, who);
  } else {
    h += row({"ข้อมูลผู้ร้องเรียน", "Your identity"}, std::string(c.t({"ไม่ประสงค์ออกนาม", "Anonymous"})));
  }
  h += "</dl>\n";
  h += "<h2>" + std::string(c.t({"มาตรการคุ้มครองผู้ร้องเรียน/ผู้แจ้งเบาะแส", "How you are protected"})) + "</h2>\n<ul class=\"protect-list\" id=\"terms-list\">\n";
  for (const Text& t : {Text{"ข้อมูลที่ระบุตัวตนของคุณจะถูกเก็บเป็นความลับและเข้ารหัสไว้ตลอดเวลา", "Anything that identifies you is kept secret and stays encrypted."},
                        Text{"ระบบไม่บันทึกหมายเลข IP ของคุณ และไม่เรียกใช้บริการของบุคคลภายนอก", "The service does not store your IP address and uses no third-party services."},
                        Text{"ผู้ที่ถูกร้องเรียนจะไม่ได้รับสิทธิ์เข้าถึงเรื่องที่เกี่ยวกับตนเอง", "A person named in a complaint is kept out of that case."},
                        Text{"หลังส่งเรื่อง คุณจะได้รับรหัสติดตาม ซึ่งเป็นช่องทางเดียวในการติดตามเรื่องและรับคำตอบ ระบบจะไม่ส่งรหัสทางอีเมลหรือ SMS",
                             "After sending you get a tracking code. It is the only way back to your complaint and its answers; it is never sent by email or SMS."},
                        Text{"การให้ข้อมูลอันเป็นเท็จโดยเจตนาอาจมีความผิดตามกฎหมาย", "Knowingly giving false information may be an offence under the law."}}) {
    h += "<li>" + std::string(c.t(t)) + "</li>\n";
  }
  h += "</ul>\n<div class=\"choice choice-check\"><input type=\"checkbox\" id=\"accept-terms\" name=\"accept_terms\" value=\"yes\" required" +
       invalid_attrs("accept-terms", err, "accept_terms", "terms-list") + "><label for=\"accept-terms\">" +
       std::string(c.t({"ข้าพเจ้ารับทราบมาตรการคุ้มครองข้างต้น และยืนยันว่าข้อมูลที่ให้เป็นความจริงตามที่ทราบ",
                        "I have read the protection measures above and confirm that the information is true to the best of my knowledge."})) +
       req_mark() + "</label></div>\n" + error_para("accept-terms", err, "accept_terms");
  h += form_token_input(app);
  h += "<div class=\"step-nav\">\n<button type=\"submit\" name=\"step\" value=\"edit\" formaction=\"/plain/report" + c.query() +
       "\" class=\"btn btn-secondary\">" + std::string(c.t({"แก้ไข", "Edit"})) + "</button>\n";
  h += "<button type=\"submit\" name=\"step\" value=\"send\" class=\"btn btn-primary\" data-testid=\"submit\">" +
       std::string(c.t({"ส่งเรื่องร้องเรียน", "Send complaint"})) + "</button>\n</div>\n</form>\n";
  return h;
}

std::string receipt_page(AppServices& app, const PlainContext& c, const cases::Receipt& r) {
  std::string h = "<section class=\"receipt\" aria-labelledby=\"receipt-heading\">\n<h1 id=\"receipt-heading\">" +
                  std::string(c.t({"ส่งเรื่องเรียบร้อยแล้ว", "Your complaint has been sent"})) + "</h1>\n";
  h += "<dl class=\"receipt-facts\">\n<div><dt>" + std::string(c.t({"เลขที่เรื่อง", "Case number"})) +
       "</dt><dd data-testid=\"case-number\">" + html_escape(r.case_number) + "</dd></div>\n<div><dt>" +
       std::string(c.t({"วันที่รับเรื่อง", "Received"})) + "</dt><dd>" + plain_date(c, r.received_at) + "</dd></div>\n</dl>\n";
  h += "<p class=\"code-label\" id=\"receipt-code-label\">" + std::string(c.t({"รหัสติดตามเรื่อง", "Tracking code"})) +
       "</p>\n<p class=\"tracking-code\" data-testid=\"tracking-code\" aria-labelledby=\"receipt-code-label\">" +
       html_escape(r.tracking_code) + "</p>\n";
  h += "<div class=\"notice notice-warning\">\n<h2>" +
       std::string(c.t({"จดรหัสติดตามไว้ และเก็บเป็นความลับ", "Write down the tracking code and keep it secret"})) + "</h2>\n<p>" +
       std::string(c.t({"รหัสนี้เป็นช่องทางเดียวในการติดตามเรื่องและอ่านคำตอบจากเจ้าหน้าที่ หากทำหาย จะไม่สามารถขอรหัสใหม่หรือกู้คืนได้ เพราะระบบไม่รู้ว่าคุณเป็นใคร",
                        "This code is the only way to follow your complaint and read the answers. If you lose it, it cannot be recovered or reissued, because the system does not know who you are."})) +
       "</p>\n<p>" +
       std::string(c.t({"หน้านี้แสดงรหัสเพียงครั้งเดียว หากโหลดหน้าซ้ำ ระบบจะไม่ส่งเรื่องซ้ำและจะไม่แสดงรหัสอีก",
                        "This page shows the code once: reloading it sends nothing again and does not show the code again."})) +
       "</p>\n</div>\n";
  if (!app.onion_address.empty()) {
    h += "<p class=\"onion-address\">" +
         std::string(c.t({"ติดตามเรื่องผ่าน Tor Browser ได้ที่", "You can also follow it in Tor Browser at"})) + " http://" +
         html_escape(app.onion_address) + "/plain/status</p>\n";
  }
  h += "<section class=\"card\" aria-labelledby=\"upload-h\">\n<h2 id=\"upload-h\">" +
       std::string(c.t({"แนบไฟล์หลักฐาน (ถ้ามี)", "Add evidence (if any)"})) + "</h2>\n";
  h += plain_upload_form(app, c, r.tracking_code);
  h += "</section>\n<p>" + std::string(c.t({"ติดตามความคืบหน้าและอ่านคำตอบจากเจ้าหน้าที่ได้ที่หน้า", "Follow progress and read replies on the page"})) +
       " <a href=\"/plain/status" + c.query() + "\">" + std::string(c.t({"ติดตามเรื่องร้องเรียน", "Track a complaint"})) +
       "</a></p>\n<p class=\"hint\">" +
       std::string(c.t({"หากใช้อุปกรณ์ร่วมกับผู้อื่น ให้ปิดหน้านี้หลังจดรหัสเรียบร้อยแล้ว", "If you share this device, close this page once you have written the code down."})) +
       "</p>\n</section>\n";
  return h;
}

// Puts a value the checks accept where `path` was refused, so that the
// next check can speak: every field's error at once, from the same checks
// (cases::complaint_from_json) the JSON route runs. False for a path this
// does not know.
bool patch(json::object& body, const std::string& path) {
  const auto dot = path.find('.');
  if (dot != std::string::npos) {
    auto* inner = body.if_contains(path.substr(0, dot));
    if (inner == nullptr || !inner->is_object()) return false;
    const auto key = path.substr(dot + 1);
    if (key == "name") {
      inner->as_object()[key] = "x";
    } else {
      inner->as_object().erase(key);
    }
    return true;
  }
  if (path == "accept_terms") body["accept_terms"] = true;
  else if (path == "category") body["category"] = "other";
  else if (path == "description") body["description"] = "x";
  else if (path == "channel" || path == "location" || path == "incident_date") body.erase(path);
  else if (path == "identity") body["identity"] = nullptr;
  else return false;
  return true;
}

Errors validation_errors(AppServices& app, const PlainContext& c, const FormFields& f, bool accept) {
  Errors errors;
  auto body = complaint_json(f, accept);
  for (int i = 0; i < 20; ++i) {
    try {
      (void)cases::complaint_from_json(body, app.limits, app.intake.today_days());
      break;
    } catch (const CaseError& e) {
      if (error_for(errors, e.field()) != nullptr) break;
      errors.push_back({e.field(), std::string(c.t(error_text(e)))});
      if (!patch(body, e.field())) break;
    }
  }
  // What filing checks against the agency (intake_service): its channels
  // (one must be chosen when there are several) and its categories.
  const auto readers = app.readers.current(cases::AgencyScope::of(c.agency));
  const auto& channel = f.get("channel");
  bool known_channel = channel.empty() && readers->channels.size() <= 1;
  for (const auto& entry : readers->channels) known_channel = known_channel || entry.channel.slug == channel;
  if (!known_channel && error_for(errors, "channel") == nullptr) {
    const auto code = channel.empty() ? cases::ErrorCode::missing_field : cases::ErrorCode::invalid_field;
    errors.push_back({"channel", std::string(c.t(error_text(CaseError(code, "channel", "channel"))))});
  }
  if (!f.get("category").empty() && error_for(errors, "category") == nullptr &&
      !cases::offers_category(c.agency.categories, f.get("category"))) {
    errors.push_back({"category", std::string(c.t(error_text(CaseError(cases::ErrorCode::unknown_category, "category", "category"))))});
  }
  std::stable_sort(errors.begin(), errors.end(),
                   [](const FieldError& a, const FieldError& b) { return page_order(a.field) < page_order(b.field); });
  return errors;
}

Response page(const PlainContext& c, Text title, const std::string& main, http::status s = http::status::ok) {
  return plain_response(s, plain_document(c, c.t(title), main));
}

}  // namespace

void add_plain_report_routes(Router& router, AppServices& app) {
  const auto error_page = [&app](std::string_view target, std::exception_ptr e) {
    return plain_error_page(plain_context(app, target), e);
  };

  router.add(http::verb::get, "/plain/report", [&app](const Request& req, const RouteParams&, Reply reply) {
    const auto c = plain_context(app, req);
    if (!c.known_agency && !query_param(req.target(), "agency").empty()) {
      throw CaseError(cases::ErrorCode::unknown_agency, "no such agency");
    }
    auto other = c;
    other.english = !c.english;
    reply(plain_response(http::status::ok, plain_document(c, c.t({"แจ้งเรื่องร้องเรียน", "Make a complaint"}),
                                                          report_form(app, c, FormFields{}, {}), "/plain/report" + other.query())));
  }).error_page = error_page;

  // The form sent for review (step=review), or the review sent back to be
  // edited (step=edit): nothing is filed here.
  router.add(
      http::verb::post, "/plain/report",
      [&app](const Request& req, const RouteParams&, Reply reply) {
        const auto c = plain_context(app, req);
        const auto f = FormFields::parse(req);
        if (f.get("step") == "edit") {
          return reply(page(c, {"แจ้งเรื่องร้องเรียน", "Make a complaint"}, report_form(app, c, f, {})));
        }
        if (auto err = validation_errors(app, c, f, true); !err.empty()) {
          return reply(page(c, {"แจ้งเรื่องร้องเรียน", "Make a complaint"}, report_form(app, c, f, err),
                            http::status::bad_request));
        }
        reply(page(c, {"ตรวจทานก่อนส่ง", "Check and send"}, review_page(app, c, f, {})));
      },
      app.limits.max_body_bytes)
      .error_page = error_page;

  // Filing: the review's token is used up first, so the same page sent
  // again (Reload, Back) files nothing twice.
  auto& send = router.add(
      http::verb::post, "/plain/report/send",
      [&app](const Request& req, const RouteParams& params, Reply reply) {
        const auto c = plain_context(app, req);
        const auto f = FormFields::parse(req);
        const bool accepted = f.get("accept_terms") == "yes";
        if (too_soon(app, params, f.get("form_token"))) {
          return reply(page(c, {"ตรวจทานก่อนส่ง", "Check and send"},
                            review_page(app, c, f, {}, wait_notice(c, params.proof_wait())), http::status::too_many_requests));
        }
        if (auto err = validation_errors(app, c, f, accepted); !err.empty()) {
          if (err.size() == 1 && err.front().field == "accept_terms") {
            return reply(page(c, {"ตรวจทานก่อนส่ง", "Check and send"}, review_page(app, c, f, err), http::status::bad_request));
          }
          return reply(page(c, {"แจ้งเรื่องร้องเรียน", "Make a complaint"}, report_form(app, c, f, err),
                            http::status::bad_request));
        }
        switch (use_form_token(app, f.get("form_token"))) {
          case TokenCheck::ok:
            break;
          case TokenCheck::used: {
            std::string main = "<h1>" + std::string(c.t({"ส่งเรื่องนี้ไปแล้ว", "This complaint was already sent"})) + "</h1>\n";
            main += notice("info", "<p>" + std::string(c.t({"แบบฟอร์มนี้ถูกใช้ไปแล้ว ระบบจึงไม่ส่งซ้ำ หากคุณได้รับใบรับเรื่องแล้ว เรื่องของคุณถูกส่งแล้ว และรหัสติดตามเรื่องแสดงเพียงครั้งเดียวในหน้านั้น หากยังไม่ได้รับ กรุณากรอกแบบฟอร์มใหม่",
                                                              "This form was used already, so nothing was sent again. If you got a receipt, your complaint is filed and its tracking code was shown once, on that page; if not, please fill in the form again."})) +
                                          "</p>");
            main += "<p><a href=\"/plain/status" + c.query() + "\">" + std::string(c.t({"ติดตามเรื่องด้วยรหัสติดตาม", "Follow it with your tracking code"})) +
                    "</a></p>\n";
            return reply(page(c, {"ส่งไปแล้ว", "Already sent"}, main, http::status::conflict));
          }
          case TokenCheck::stale:
          case TokenCheck::full:
            return reply(page(c, {"ตรวจทานก่อนส่ง", "Check and send"},
                              review_page(app, c, f, {},
                                          notice("warning", "<p>" + std::string(c.t({"หน้านี้หมดอายุแล้ว ยังไม่ได้ส่งเรื่อง กรุณาตรวจทานแล้วกดส่งอีกครั้ง",
                                                                                      "This page had expired and nothing was sent. Please check and send again."})) +
                                                                "</p>",
                                                 true)),
                              http::status::conflict));
        }
        auto input = cases::complaint_from_json(complaint_json(f, accepted), app.limits, app.intake.today_days());
        const auto agency = cases::AgencyScope::of(requested_agency(app, req));
        auto seal_and_store = [&app, c, agency, input = std::move(input), reply]() {
          try {
            app.intake.submit(agency, input, [&app, c, reply](std::exception_ptr error, cases::Receipt r) {
              if (error) return reply(plain_error_page(c, error));
              auto html = plain_document(c, c.t({"ใบรับเรื่อง", "Receipt"}), receipt_page(app, c, r));
              std::fill(r.tracking_code.begin(), r.tracking_code.end(), '\0');
              reply(plain_response(http::status::created, std::move(html)));
            });
          } catch (...) {
            reply(plain_error_page(c, std::current_exception()));
          }
        };
        if (app.sealing != nullptr) {
          boost::asio::post(*app.sealing, std::move(seal_and_store));
        } else {
          seal_and_store();
        }
      },
      app.limits.max_body_bytes, app.submit_limiter);
  send.error_page = error_page;
  send.proof = app.pow;
  send.purpose = cases::ProofOfWork::Purpose::submit;
}

}  // namespace krasip::server
