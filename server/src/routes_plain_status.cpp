// Following a case without JavaScript (issue 22): the status page, messages
// both ways, evidence uploads and downloads, as server-rendered pages. The
// tracking code only ever travels in POST bodies; each page's forms carry
// a one-time token (form_tokens.hpp), so a page sent again from the
// browser's history shows no case and repeats nothing. Lookups, messages
// and files go through the same case logic as the JSON routes
// (cases::StatusService, cases::FollowUpService).
#include <boost/asio/post.hpp>
#include <ctime>

#include "agency_param.hpp"
#include "file_download.hpp"
#include "krasip/server/form_tokens.hpp"
#include "investigator_api.hpp"
#include "krasip/cases/agencies/agency_policy.hpp"
#include "krasip/cases/agencies/agency_registry.hpp"
#include "krasip/cases/agencies/catalog.hpp"
#include "krasip/cases/common/case_error.hpp"
#include "krasip/cases/evidence/file_types.hpp"
#include "krasip/server/api_response.hpp"
#include "krasip/server/error_mapping.hpp"
#include "krasip/storage/key_store.hpp"
#include "plain_routes.hpp"

namespace krasip::server {

using cases::CaseError;
using cases::ErrorCode;

PlainContext plain_context(AppServices& app, std::string_view target) {
  PlainContext c;
  c.english = query_param(target, "lang") == "en";
  c.stylesheets = &app.page_stylesheets;
  c.onion_address = app.onion_address;
  const auto slug = query_param(target, "agency");
  auto db = app.reader_pool.acquire();
  try {
    c.agency = cases::intake_agency(*db, slug.empty() ? std::nullopt : std::optional(slug));
    c.known_agency = !slug.empty();
  } catch (const CaseError&) {
    if (auto a = storage::key_store::load_agency(*db)) c.agency = std::move(*a);
  }
  return c;
}

PlainContext plain_context(AppServices& app, const Request& req) { return plain_context(app, req.target()); }

std::string hidden(std::string_view name, std::string_view value) {
  return "<input type=\"hidden\" name=\"" + html_escape(name) + "\" value=\"" + html_escape(value) + "\">\n";
}

std::string form_token_input(AppServices& app) {
  return hidden("form_token", app.form_tokens->issue(std::time(nullptr)));
}

TokenCheck use_form_token(AppServices& app, std::string_view token) {
  switch (app.form_tokens->consume(token, std::time(nullptr))) {
    case FormTokens::Use::ok: return TokenCheck::ok;
    case FormTokens::Use::used: return TokenCheck::used;
    case FormTokens::Use::full: return TokenCheck::full;
    case FormTokens::Use::expired:
    case FormTokens::Use::invalid: break;
  }
  return TokenCheck::stale;
}

bool too_soon(AppServices& app, const RouteParams& params, std::string_view token) {
  if (params.proof_wait() <= 0) return false;
  const auto now = std::time(nullptr);
  const auto at = app.form_tokens->issued_at(token);
  if (at && now - *at >= params.proof_wait()) return false;
  (void)app.form_tokens->consume(token, now);
  return true;
}

std::string wait_notice(const PlainContext& c, int seconds) {
  const auto n = std::to_string(seconds);
  return notice("warning", "<p>" +
                               (c.english ? "The service is taking many requests right now. To keep floods out, please wait " + n +
                                                " seconds, then press the button again. Nothing was sent yet."
                                          : "ขณะนี้มีผู้ส่งคำขอจำนวนมาก เพื่อกันการส่งแบบท่วมระบบ กรุณารอ " + n +
                                                " วินาที แล้วกดปุ่มอีกครั้ง ยังไม่มีการส่งข้อมูลใด") +
                               "</p>",
                true);
}

namespace {

std::string format_size(std::uint64_t bytes) {
  if (bytes < 1024) return std::to_string(bytes) + " B";
  if (bytes < 1024 * 1024) return std::to_string((bytes + 512) / 1024) + " KB";
  const auto tenths = (bytes * 10 + 512 * 1024) / (1024 * 1024);
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + " MB";
}

std::string code_field(const PlainContext& c, std::string_view error) {
  std::string h = "<div class=\"field\">\n<label for=\"tracking-code\">" + std::string(c.t({"รหัสติดตามเรื่อง", "Tracking code"})) +
                  "</label>\n<p id=\"tracking-code-hint\" class=\"hint\">" +
                  std::string(c.t({"ตัวเลข 21 หลัก เช่น 1234567-8901234-5678901 จะพิมพ์ขีดหรือเว้นวรรคหรือไม่ก็ได้",
                                   "21 digits, e.g. 1234567-8901234-5678901. Dashes and spaces are optional."})) +
                  "</p>\n<input id=\"tracking-code\" class=\"code-input\" name=\"tracking_code\" type=\"text\" inputmode=\"numeric\" "
                  "autocomplete=\"off\" autocapitalize=\"off\" spellcheck=\"false\" maxlength=\"40\" required";
  if (!error.empty()) {
    h += " aria-invalid=\"true\" aria-describedby=\"tracking-code-hint tracking-code-error\">\n<p id=\"tracking-code-error\" class=\"field-error\">" +
         html_escape(error) + "</p>\n";
  } else {
    h += " aria-describedby=\"tracking-code-hint\">\n";
  }
  return h + "</div>\n";
}

std::string lookup_page(AppServices& app, const PlainContext& c, std::string_view error, std::string_view top = {}) {
  std::string h = "<h1>" + std::string(c.t({"ติดตามเรื่องร้องเรียน", "Track a complaint"})) + "</h1>\n";
  h += "<p class=\"lead\">" +
       std::string(c.t({"กรอกรหัสติดตามเรื่องที่ได้รับเมื่อส่งเรื่อง เพื่อดูความคืบหน้า รายละเอียดที่คุณแจ้ง และข้อความจากเจ้าหน้าที่",
                        "Enter the tracking code you received when you sent your complaint to see its progress, what you reported, and messages from the officers."})) +
       "</p>\n";
  h += top;
  if (!error.empty()) {
    h += notice("error", "<p><a href=\"#tracking-code\">" + html_escape(error) + "</a></p>", true);
  }
  h += "<form class=\"card\" method=\"post\" action=\"/plain/status" + c.query() + "\" novalidate autocomplete=\"off\">\n";
  h += form_token_input(app) + code_field(c, error);
  h += "<div class=\"actions\"><button type=\"submit\" class=\"btn btn-primary btn-large\" data-testid=\"status-submit\">" +
       std::string(c.t({"ตรวจสอบสถานะ", "Check status"})) + "</button></div>\n<p class=\"hint\">" +
       std::string(c.t({"รหัสของคุณไม่ถูกบันทึกในเบราว์เซอร์หรือในที่อยู่เว็บ (URL) หน้าผลลัพธ์ใช้ได้ครั้งเดียว หากโหลดซ้ำหรือกดย้อนกลับ ต้องกรอกรหัสใหม่",
                        "Your code is not saved in the browser or in the web address. The result page works once: reloading it or going back asks for the code again."})) +
       "</p>\n</form>\n";
  return h;
}

Response page(const PlainContext& c, Text title, const std::string& main, http::status s = http::status::ok) {
  return plain_response(s, plain_document(c, c.t(title), main));
}

std::string from_label(const PlainContext& c, const std::string& from) {
  return std::string(from == "reporter" ? c.t({"คุณ (ผู้ร้องเรียน)", "You (complainant)"}) : c.t({"เจ้าหน้าที่", "Officer"}));
}

// The whole status page for the code, as the scripted page shows it.
std::string status_main(AppServices& app, const PlainContext& c, const cases::StatusView& v, std::string_view code,
                        std::string_view top, std::string_view message_text, std::string_view message_error,
                        std::string_view file_error) {
  std::string h = "<h1 id=\"status-heading\">" + std::string(c.t({"สถานะเรื่องร้องเรียน", "Complaint status"})) + "</h1>\n";
  h += top;
  if (v.purged_at) {
    h += "<dl class=\"facts\"><div><dt>" + std::string(c.t({"เลขที่เรื่อง", "Case number"})) + "</dt><dd data-testid=\"status-case-number\">" +
         html_escape(v.case_number) + "</dd></div></dl>\n";
    h += "<p data-testid=\"status-purged\">" +
         std::string(c.t({"เรื่องนี้ปิดแล้ว และข้อมูลของเรื่องถูกลบตามระยะเวลาการเก็บรักษาเมื่อวันที่ ",
                          "This case was closed and its records deleted on "})) +
         plain_date(c, *v.purged_at) + "</p>\n";
    return h;
  }
  const auto* status = cases::find_status(v.status);
  const auto* category = cases::find_category(v.category);
  h += "<div class=\"card status-summary\"><dl class=\"facts\">\n";
  h += "<div><dt>" + std::string(c.t({"เลขที่เรื่อง", "Case number"})) + "</dt><dd data-testid=\"status-case-number\">" +
       html_escape(v.case_number) + "</dd></div>\n";
  h += "<div><dt>" + std::string(c.t({"สถานะ", "Status"})) + "</dt><dd><span class=\"status-badge\" data-testid=\"case-status\">" +
       html_escape(status ? (c.english ? status->en : status->th) : v.status) + "</span></dd></div>\n";
  h += "<div><dt>" + std::string(c.t({"วันที่รับเรื่อง", "Received"})) + "</dt><dd>" + plain_date(c, v.received_at) + "</dd></div>\n";
  h += "<div><dt>" + std::string(c.t({"ประเภทเรื่อง", "Type"})) + "</dt><dd>" +
       html_escape(category ? (c.english ? category->en : category->th) : v.category) + "</dd></div>\n</dl></div>\n";
  const auto next = cases::next_step(v.status, cases::deadlines_of(v.agency, app.triage.deadlines()));
  h += "<section class=\"card\"><h2>" + std::string(c.t({"ขั้นตอนต่อไป", "What happens next"})) + "</h2><p data-testid=\"status-next-step\">" +
       html_escape(c.english ? next.en : next.th) + "</p></section>\n";

  h += "<section class=\"card\"><h2>" + std::string(c.t({"ลำดับการดำเนินการ", "Timeline"})) +
       "</h2>\n<ol class=\"timeline\" data-testid=\"status-timeline\">\n";
  for (const auto& t : v.timeline) {
    const auto* s = cases::find_status(t.status);
    h += "<li><span class=\"timeline-date\">" + plain_date(c, t.at) + "</span> " +
         html_escape(s ? (c.english ? s->en : s->th) : t.status) + "</li>\n";
  }
  h += "</ol>\n</section>\n";

  // Messages both ways, and the form to write one.
  h += "<section class=\"card\" aria-labelledby=\"messages-h\"><h2 id=\"messages-h\">" + std::string(c.t({"ข้อความ", "Messages"})) + "</h2>\n";
  if (v.messages.empty()) {
    h += "<p class=\"hint\">" + std::string(c.t({"ยังไม่มีข้อความ", "No messages yet."})) + "</p>\n";
  } else {
    h += "<ol class=\"messages\" data-testid=\"status-messages\">\n";
    for (const auto& m : v.messages) {
      h += "<li class=\"message message-" + html_escape(m.from) + "\"><p class=\"message-meta\"><strong>" + from_label(c, m.from) +
           "</strong> · " + plain_date(c, m.at) + "</p><p class=\"prewrap\">" + html_escape(m.body) + "</p></li>\n";
    }
    h += "</ol>\n";
  }
  if (app.followups != nullptr) {
    h += "<form method=\"post\" action=\"/plain/message" + c.query() + "\" novalidate class=\"message-form\">\n";
    h += form_token_input(app) + hidden("tracking_code", code);
    h += "<div class=\"field\"><label for=\"message-body\">" + std::string(c.t({"ส่งข้อความถึงเจ้าหน้าที่", "Send a message to the officers"})) +
         "</label><p id=\"message-body-hint\" class=\"hint\">" +
         std::string(c.t({"เช่น ข้อมูลเพิ่มเติม หรือคำถามเกี่ยวกับเรื่องของคุณ ข้อความจะถูกเข้ารหัสเช่นเดียวกับเรื่องที่แจ้ง",
                          "For example more information, or a question about your complaint. It is encrypted like your complaint."})) +
         "</p><textarea id=\"message-body\" name=\"body\" rows=\"4\"";
    if (!message_error.empty()) {
      h += " aria-invalid=\"true\" aria-describedby=\"message-body-hint message-body-error\">" + html_escape(message_text) +
           "</textarea><p id=\"message-body-error\" class=\"field-error\">" + html_escape(message_error) + "</p>";
    } else {
      h += " aria-describedby=\"message-body-hint\">" + html_escape(message_text) + "</textarea>";
    }
    h += "</div>\n<button type=\"submit\" class=\"btn btn-primary\">" + std::string(c.t({"ส่งข้อความ", "Send message"})) +
         "</button>\n</form>\n";
  }
  h += "</section>\n";

  // Files both ways: each downloads with the code in a POST body.
  h += "<section class=\"card\" aria-labelledby=\"files-h\"><h2 id=\"files-h\">" + std::string(c.t({"ไฟล์หลักฐาน", "Evidence files"})) + "</h2>\n";
  if (v.attachments.empty()) {
    h += "<p class=\"hint\">" + std::string(c.t({"ไม่มีไฟล์แนบ", "No files."})) + "</p>\n";
  } else {
    h += "<ul class=\"files\" data-testid=\"status-files\">\n";
    for (const auto& a : v.attachments) {
      h += "<li><form method=\"post\" action=\"/plain/file" + c.query(false) + "\" class=\"file-download\">" +
           hidden("tracking_code", code) + hidden("id", a.id) + "<span class=\"file-name\">" + html_escape(a.filename) + "</span> (" +
           format_size(a.size) + ", " + from_label(c, a.from) + ", " + plain_date(c, a.at) + ") " +
           std::string(a.metadata_removed ? c.t({"ลบข้อมูลแฝงในไฟล์แล้ว", "Hidden data in the file was removed."})
                                          : c.t({"ลบข้อมูลแฝงในไฟล์นี้ไม่ได้", "Hidden data could not be removed from this file."})) +
           " <button type=\"submit\" class=\"btn btn-secondary\" aria-label=\"" +
           html_escape(std::string(c.t({"ดาวน์โหลด ", "Download "})) + a.filename) + "\">" + std::string(c.t({"ดาวน์โหลด", "Download"})) +
           "</button></form></li>\n";
    }
    h += "</ul>\n";
  }
  if (app.followups != nullptr) h += plain_upload_form(app, c, code, file_error);
  h += "</section>\n";

  // What they reported, from their own copy.
  const auto sub = [&](std::string_view a, std::string_view b = {}) -> std::string {
    const auto* o = &v.submission;
    const boost::json::value* x = o->if_contains(a);
    if (x != nullptr && !b.empty()) x = x->is_object() ? x->as_object().if_contains(b) : nullptr;
    return x != nullptr && x->is_string() ? std::string(x->get_string()) : std::string();
  };
  const auto row = [&](Text label, const std::string& value) {
    return "<div><dt>" + std::string(c.t(label)) + "</dt><dd class=\"prewrap\">" + (value.empty() ? "—" : html_escape(value)) +
           "</dd></div>\n";
  };
  h += "<section class=\"card\"><h2>" + std::string(c.t({"เรื่องที่คุณแจ้ง", "What you reported"})) +
       "</h2><dl class=\"facts facts-stacked\" data-testid=\"status-submission\">\n";
  h += row({"ผู้ถูกร้องเรียน", "About"}, sub("subject", "name"));
  h += row({"ตำแหน่ง", "Position"}, sub("subject", "position"));
  h += row({"สังกัด / หน่วยงาน", "Division or unit"}, sub("subject", "unit"));
  h += row({"รายละเอียด", "Details"}, sub("description"));
  h += row({"วันที่เกิดเหตุ", "Date it happened"}, sub("incident_date"));
  h += row({"สถานที่เกิดเหตุ", "Where"}, sub("location"));
  h += row({"ข้อมูลผู้ร้องเรียน", "Your identity"},
           std::string(v.identity_provided ? c.t({"ระบุตัวตน (ข้อมูลถูกเข้ารหัส อ่านได้เฉพาะผู้ได้รับมอบหมาย และไม่แสดงในหน้านี้)",
                                                  "Given (encrypted, readable only by designated custodians, not shown here)"})
                                           : c.t({"ไม่ประสงค์ออกนาม", "Anonymous"})));
  h += "</dl></section>\n";
  h += "<p class=\"hint\">" +
       std::string(c.t({"หากใช้อุปกรณ์ร่วมกับผู้อื่น ให้ปิดหน้านี้เมื่อดูเสร็จ หน้านี้ไม่ถูกเก็บในเบราว์เซอร์ และเปิดซ้ำจากประวัติไม่ได้",
                        "If you share this device, close this page when you are done. It is not kept by the browser and does not open again from the history."})) +
       "</p>\n<p><a href=\"/plain/status" + c.query() + "\">" + std::string(c.t({"ปิดและล้างข้อมูล", "Close and clear"})) + "</a></p>\n";
  return h;
}

// Runs `work` off the I/O thread (a lookup opens envelopes) and answers
// with its page, or the error page.
template <class F>
void off_thread(AppServices& app, const Reply& reply, const PlainContext& c, F work) {
  boost::asio::post(app.workers, [reply, c, work = std::move(work)]() mutable {
    try {
      reply(work());
    } catch (...) {
      reply(plain_error_page(c, std::current_exception()));
    }
  });
}

void wipe(std::string& s) {
  std::fill(s.begin(), s.end(), '\0');
  s.clear();
}

}  // namespace

std::string plain_upload_form(AppServices& app, const PlainContext& c, std::string_view code, std::string_view error) {
  std::string h = "<form method=\"post\" action=\"/plain/upload" + c.query() + "\" enctype=\"multipart/form-data\" class=\"upload-form\">\n";
  // Parts in this order: the token and the code are checked before any
  // byte of the file is taken.
  h += form_token_input(app) + hidden("tracking_code", code);
  h += "<div class=\"field\"><label for=\"evidence-file\">" + std::string(c.t({"เลือกไฟล์หลักฐาน (ครั้งละหนึ่งไฟล์)", "Choose an evidence file (one at a time)"})) +
       "</label><p id=\"evidence-file-hint\" class=\"hint\">" +
       std::string(c.t({"ไฟล์ละไม่เกิน ", "Up to "})) + format_size(app.limits.upload_max_bytes) +
       std::string(c.t({" ภาพถ่ายและเอกสารอาจมีข้อมูลแฝงที่ระบุตัวคุณได้ ระบบจะลบให้เมื่อทำได้ และบอกผลหลังส่ง",
                        " per file. Photos and documents can carry hidden data that may identify you; the system removes it where it can and tells you after sending."})) +
       "</p><input id=\"evidence-file\" name=\"file\" type=\"file\" required";
  if (!error.empty()) {
    h += " aria-invalid=\"true\" aria-describedby=\"evidence-file-hint evidence-file-error\"><p id=\"evidence-file-error\" class=\"field-error\">" +
         html_escape(error) + "</p>";
  } else {
    h += " aria-describedby=\"evidence-file-hint\">";
  }
  h += "</div>\n<button type=\"submit\" class=\"btn btn-secondary\">" + std::string(c.t({"ส่งไฟล์", "Send the file"})) +
       "</button>\n</form>\n";
  return h;
}

std::string plain_status_main(AppServices& app, const PlainContext& c, std::string_view code, std::string_view notice_html,
                              std::string_view message_text, std::string_view message_error, std::string_view file_error) {
  return status_main(app, c, app.status.lookup(code), code, notice_html, message_text, message_error, file_error);
}

void add_plain_status_routes(Router& router, AppServices& app) {
  const auto error_page = [&app](std::string_view target, std::exception_ptr e) -> Response {
    try {
      std::rethrow_exception(e);
    } catch (const PreparedPage& p) {
      return p.response;
    } catch (...) {
    }
    return plain_error_page(plain_context(app, target), e);
  };

  router.add(http::verb::get, "/plain/status", [&app](const Request& req, const RouteParams&, Reply reply) {
    const auto c = plain_context(app, req);
    auto other = c;
    other.english = !c.english;
    reply(plain_response(http::status::ok,
                         plain_document(c, c.t({"ติดตามเรื่องร้องเรียน", "Track a complaint"}), lookup_page(app, c, {}),
                                        "/plain/status" + other.query())));
  }).error_page = error_page;

  // The lookup. Limited with the JSON lookups: the same code guessing.
  auto& lookup = router.add(
      http::verb::post, "/plain/status",
      [&app](const Request& req, const RouteParams& params, Reply reply) {
        const auto c = plain_context(app, req);
        auto f = FormFields::parse(req);
        if (too_soon(app, params, f.get("form_token"))) {
          return reply(page(c, {"ติดตามเรื่องร้องเรียน", "Track a complaint"},
                            lookup_page(app, c, {}, wait_notice(c, params.proof_wait())), http::status::too_many_requests));
        }
        if (use_form_token(app, f.get("form_token")) != TokenCheck::ok) {
          const auto again = notice("warning", "<p>" + std::string(c.t({"หน้านี้ใช้ไปแล้วหรือหมดอายุ เพื่อความปลอดภัยของคุณ กรุณากรอกรหัสติดตามเรื่องอีกครั้ง",
                                                                         "This page was used already or has expired. For your safety, please enter your tracking code again."})) +
                                                  "</p>", true);
          return reply(page(c, {"ติดตามเรื่องร้องเรียน", "Track a complaint"}, lookup_page(app, c, {}, again), http::status::conflict));
        }
        std::string code = f.get("tracking_code");
        f.wipe("tracking_code");
        off_thread(app, reply, c, [&app, c, code]() mutable {
          try {
            auto main = plain_status_main(app, c, code, {});
            wipe(code);
            return page(c, {"สถานะเรื่องร้องเรียน", "Complaint status"}, main);
          } catch (const CaseError& e) {
            wipe(code);
            if (e.code() != ErrorCode::malformed_code && e.code() != ErrorCode::unknown_code &&
                e.code() != ErrorCode::missing_field) {
              throw;
            }
            return page(c, {"ติดตามเรื่องร้องเรียน", "Track a complaint"}, lookup_page(app, c, c.t(error_text(e))),
                        response_for(std::current_exception()).result());
          }
        });
      },
      4 * 1024, app.status_limiter);
  lookup.error_page = error_page;
  lookup.proof = app.pow;
  lookup.purpose = cases::ProofOfWork::Purpose::status;

  if (app.followups == nullptr) return;
  cases::FollowUpService& followups = *app.followups;

  auto& message = router.add(
      http::verb::post, "/plain/message",
      [&app, &followups](const Request& req, const RouteParams& params, Reply reply) {
        const auto c = plain_context(app, req);
        auto f = FormFields::parse(req);
        std::string code = f.get("tracking_code");
        f.wipe("tracking_code");
        const std::string text = f.get("body");
        if (too_soon(app, params, f.get("form_token"))) {
          return off_thread(app, reply, c, [&app, c, code, text, wait = params.proof_wait()]() mutable {
            auto main = plain_status_main(app, c, code, wait_notice(c, wait), text);
            wipe(code);
            return page(c, {"สถานะเรื่องร้องเรียน", "Complaint status"}, main, http::status::too_many_requests);
          });
        }
        if (use_form_token(app, f.get("form_token")) != TokenCheck::ok) {
          wipe(code);
          const auto again = notice("warning", "<p>" + std::string(c.t({"หน้านี้ใช้ไปแล้วหรือหมดอายุ ยังไม่ได้ส่งข้อความ กรุณากรอกรหัสติดตามเรื่องอีกครั้ง",
                                                                         "This page was used already or has expired, and no message was sent. Please enter your tracking code again."})) +
                                                  "</p>", true);
          return reply(page(c, {"ติดตามเรื่องร้องเรียน", "Track a complaint"}, lookup_page(app, c, {}, again), http::status::conflict));
        }
        followups.post_reporter_message(code, text, [&app, c, code, text, reply](std::exception_ptr error, cases::MessageReceipt) mutable {
          off_thread(app, reply, c, [&app, c, code, text, error]() mutable {
            std::string main;
            if (error) {
              try {
                std::rethrow_exception(error);
              } catch (const CaseError& e) {
                if (e.field() != "body") throw;
                main = plain_status_main(app, c, code, {}, text, c.t(error_text(e)));
              }
            } else {
              main = plain_status_main(app, c, code,
                                       notice("info", "<p>" + std::string(c.t({"ส่งข้อความแล้ว", "Message sent."})) + "</p>"));
            }
            wipe(code);
            return page(c, {"สถานะเรื่องร้องเรียน", "Complaint status"}, main,
                        error ? http::status::bad_request : http::status::created);
          });
        });
      },
      app.limits.message_max * 12 + 4096, app.status_limiter);
  message.error_page = error_page;
  message.proof = app.pow;
  message.purpose = cases::ProofOfWork::Purpose::message;

  router.add_streaming(
      http::verb::post, "/plain/upload",
      [&app](const Request& header, const RouteParams&) -> std::shared_ptr<BodyReader> {
        const auto c = plain_context(app, header.target());
        PlainUploadHooks hooks;
        hooks.check_token = [&app, c](std::string_view token) {
          if (use_form_token(app, token) == TokenCheck::ok) return;
          throw PreparedPage(page(c, {"ติดตามเรื่องร้องเรียน", "Track a complaint"},
                                  lookup_page(app, c, {}, notice("warning", "<p>" + std::string(c.t({
                                      "หน้านี้ใช้ไปแล้วหรือหมดอายุ ยังไม่ได้รับไฟล์ กรุณากรอกรหัสติดตามเรื่องอีกครั้ง",
                                      "This page was used already or has expired, and the file was not taken. Please enter your tracking code again."})) +
                                      "</p>", true)),
                                  http::status::conflict));
        };
        hooks.refusal = [&app, c](std::exception_ptr error, const std::string& code) {
          return page(c, {"สถานะเรื่องร้องเรียน", "Complaint status"},
                      plain_status_main(app, c, code, {}, {}, {}, c.t(error_text(error))), response_for(error).result());
        };
        hooks.done = [&app, c](const Reply& reply, std::exception_ptr error, const cases::AttachmentEntry& a, std::string code) {
          off_thread(app, reply, c, [&app, c, error, a, code]() mutable {
            std::string main;
            http::status s = http::status::created;
            if (error) {
              s = response_for(error).result();
              main = plain_status_main(app, c, code, {}, {}, {}, c.t(error_text(error)));
            } else {
              std::string what = "<p>" + std::string(c.t({"ได้รับไฟล์แล้ว: ", "File received: "})) + html_escape(a.filename) + "</p><p>";
              const auto note = cases::metadata_note(a.metadata_removed);
              what += html_escape(c.english ? note.en : note.th) + "</p>";
              main = plain_status_main(app, c, code, notice("info", what));
            }
            wipe(code);
            return page(c, {"สถานะเรื่องร้องเรียน", "Complaint status"}, main, s);
          });
        };
        return plain_upload_reader(app, header, std::move(hooks));
      },
      static_cast<std::size_t>(app.limits.upload_max_bytes) + 64 * 1024, app.status_limiter)
      .error_page = error_page;

  // A download: the file itself, so the page stays where it is. No token:
  // sending it again from the history only downloads the file again.
  router.add(
      http::verb::post, "/plain/file",
      [&app, &followups](const Request& req, const RouteParams&, Reply reply) {
        const auto c = plain_context(app, req);
        auto f = FormFields::parse(req);
        std::string code = f.get("tracking_code");
        f.wipe("tracking_code");
        boost::asio::post(app.workers, [&followups, reply, c, code, id = f.get("id")]() mutable {
          try {
            auto dl = followups.open_reporter_download(code, id);
            wipe(code);
            reply.stream(download_response(std::move(dl)));
          } catch (...) {
            wipe(code);
            reply(plain_error_page(c, std::current_exception()));
          }
        });
        wipe(code);
      },
      4 * 1024, app.status_limiter)
      .error_page = error_page;
}

}  // namespace krasip::server
