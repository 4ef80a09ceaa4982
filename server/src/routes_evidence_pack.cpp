#include <boost/json.hpp>
#include <ctime>

#include "evidence_pack.hpp"
#include "investigator_api.hpp"
#include "public_json.hpp"
#include "krasip/cases/agencies/agency_policy.hpp"
#include "krasip/cases/agencies/catalog.hpp"
#include "krasip/cases/common/case_error.hpp"
#include "krasip/cases/common/thai_time.hpp"
#include "krasip/cases/governance/change_log.hpp"
#include "krasip/cleaner/client.hpp"
#include "krasip/crypto/encoding.hpp"
#include "krasip/server/api_response.hpp"
#include "krasip/server/api_routes.hpp"
#include "krasip/storage/key_store.hpp"
#include "krasip/storage/public_store.hpp"
#include "krasip/storage/transaction.hpp"

namespace krasip::server {

namespace json = boost::json;

namespace {

constexpr std::size_t kPictureMax = 2 * 1024 * 1024;

constexpr const char* kThaiMonths[] = {"มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
                                       "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"};
constexpr const char* kEnglishMonths[] = {"January", "February", "March", "April", "May", "June",
                                          "July", "August", "September", "October", "November", "December"};

std::string date_th(std::int64_t t) {
  const auto d = cases::bangkok_date(t);
  return std::to_string(d.day) + " " + kThaiMonths[d.month - 1] + " พ.ศ. " + std::to_string(d.year + 543);
}
std::string date_en(std::int64_t t) {
  const auto d = cases::bangkok_date(t);
  return std::to_string(d.day) + " " + kEnglishMonths[d.month - 1] + " " + std::to_string(d.year + 543) + " B.E.";
}

std::shared_ptr<const cases::Session> admin(const Request& req, AppServices& app) {
  auto s = authenticate(req, app);
  app.triage.require_active(*s);
  if (!s->is_admin) {
    throw cases::CaseError(cases::ErrorCode::forbidden, "only administrators download the evidence pack");
  }
  return s;
}

// The address reporters use, as this request reached Krasip (the Host
// the proxy passes on): https, except for a server on this machine.
std::string base_url(const Request& req) {
  std::string host(req[http::field::host]);
  if (host.empty()) host = "localhost";
  const bool local = host.rfind("localhost", 0) == 0 || host.rfind("127.", 0) == 0 || host.rfind("[::1]", 0) == 0;
  return std::string(local ? "http://" : "https://") + host;
}

json::object row(std::string th, std::string en, std::string value) {
  return {{"th", std::move(th)}, {"en", std::move(en)}, {"value", std::move(value)}};
}

std::string figure(const json::value& v, const char* unit_th) {
  if (v.is_null()) return "—";
  const double d = v.to_number<double>();
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", d);
  return std::string(buf) + unit_th;
}

json::array stats_tables(const json::object& s) {
  json::array tables;
  const auto count = [&](const json::object& o, std::string_view k) {
    const auto* v = o.if_contains(k);
    if (v == nullptr) return std::string("0");
    return v->is_null() ? std::string("—") : std::to_string(v->to_number<std::int64_t>());
  };
  const auto min = std::to_string(s.at("withheld_below").to_number<std::int64_t>());
  const std::string through = s.at("through").is_string() ? std::string(s.at("through").get_string()) : "";
  const auto through_th = through.empty() ? std::string("ยังไม่มีช่วงที่ครบ") : "ถึงวันที่ " + through;
  const auto through_en = through.empty() ? std::string("no completed period yet") : "through " + through;
  {
    json::array rows;
    rows.push_back(row("รับเรื่องทั้งหมด", "Received", count(s, "received")));
    rows.push_back(row("อยู่ระหว่างดำเนินการ", "In progress", count(s, "in_progress")));
    rows.push_back(row("ดำเนินการแล้วเสร็จ", "Completed", count(s, "completed")));
    tables.push_back(
        {{"title_th", "จำนวนเรื่อง"},
         {"title_en", "Complaints"},
         {"rows", std::move(rows)},
         {"note_th", "นับเฉพาะช่วงที่ครบแล้ว (" + through_th + ") เผยแพร่วันละครั้ง “—” หมายถึงน้อยกว่า " + min +
                         " เรื่อง หรือไม่เผยแพร่เพื่อไม่ให้คำนวณย้อนหาตัวเลขที่น้อยกว่า " + min + " ได้"},
         {"note_en", "Completed periods only (" + through_en + "), published once a day. “—”: fewer than " + min +
                         ", or withheld so that such a figure cannot be worked out from the others."}});
  }
  {
    json::array rows;
    for (const auto& c : s.at("by_channel").as_array()) {
      const auto& o = c.as_object();
      rows.push_back(row(std::string(o.at("name_th").as_string()), std::string(o.at("name_en").as_string()),
                         count(o, "received")));
    }
    tables.push_back({{"title_th", "แยกตามช่องทาง"}, {"title_en", "By channel"}, {"rows", std::move(rows)}});
  }
  {
    json::array rows;
    const auto& by = s.at("by_category").as_object();
    // The agency's own categories (issue 11), in its order, as published.
    for (const auto& kv : by) {
      if (const auto* c = cases::find_category(kv.key())) rows.push_back(row(std::string(c->th), std::string(c->en), count(by, c->id)));
    }
    tables.push_back({{"title_th", "แยกตามประเภท"}, {"title_en", "By category"}, {"rows", std::move(rows)}});
  }
  {
    json::array rows;
    const auto& by = s.at("outcomes").as_object();
    for (const auto& st : cases::statuses()) {
      if (by.contains(st.id)) rows.push_back(row(std::string(st.th), std::string(st.en), count(by, st.id)));
    }
    tables.push_back({{"title_th", "ผลการดำเนินการ"}, {"title_en", "Outcomes"}, {"rows", std::move(rows)}});
  }
  {
    const auto& sv = s.at("service").as_object();
    const auto ack = std::to_string(sv.at("acknowledge_days").to_number<std::int64_t>());
    const auto reply = std::to_string(sv.at("reply_days").to_number<std::int64_t>());
    json::array rows;
    rows.push_back(row("ค่ามัธยฐานจำนวนวันจนตอบรับเรื่อง", "Median days to acknowledgement",
                       figure(sv.at("median_days_to_acknowledge"), " วัน")));
    rows.push_back(row("ค่ามัธยฐานจำนวนวันจนแจ้งผล", "Median days to outcome",
                       figure(sv.at("median_days_to_outcome"), " วัน")));
    rows.push_back(row("ตอบรับภายใน " + ack + " วัน", "Acknowledged within " + ack + " days",
                       figure(sv.at("acknowledged_in_time_percent"), "%")));
    rows.push_back(row("ตอบกลับผู้ร้องเรียนภายใน " + reply + " วัน", "First reply within " + reply + " days",
                       figure(sv.at("replied_in_time_percent"), "%")));
    tables.push_back({{"title_th", "ระยะเวลาดำเนินการ"},
                      {"title_en", "Service times"},
                      {"rows", std::move(rows)},
                      {"note_th", "“—” หมายถึงมีเรื่องน้อยกว่า " + min + " เรื่อง จึงไม่เผยแพร่ตัวเลขนี้ เพื่อไม่ให้ระบุตัวผู้ร้องเรียนได้"},
                      {"note_en", "“—”: fewer than " + min + " cases, so the figure is not published, lest it identify a reporter."}});
  }
  {
    json::array rows;
    for (const auto& m : s.at("by_month").as_array()) {
      const auto& o = m.as_object();
      const int month = static_cast<int>(o.at("month").to_number<std::int64_t>());
      const auto year = std::to_string(o.at("year").to_number<std::int64_t>());
      rows.push_back(row(std::string(kThaiMonths[month - 1]) + " " + year,
                         std::string(kEnglishMonths[month - 1]) + " " + year, count(o, "received")));
    }
    tables.push_back({{"title_th", "รับเรื่องรายเดือน"}, {"title_en", "Received by month"}, {"rows", std::move(rows)}});
  }
  return tables;
}

json::object make_pack(AppServices& app, const cases::Session& s, int fy, const std::string& base) {
  const auto now = app.clock();
  auto db = app.reader_pool.acquire();
  const storage::ReadSnapshot snapshot(*db);
  const auto agency = storage::key_store::load_agency(*db, s.agency_id).value();
  const std::string q = "?agency=" + agency.slug;
  json::object p;
  p["title_th"] = "หลักฐานประกอบการประเมินคุณธรรมและความโปร่งใส (ITA): ช่องทางร้องเรียนและแจ้งเบาะแส";
  p["title_en"] = "ITA evidence: the channel for complaints and reports of wrongdoing";
  p["agency_th"] = agency.name_th;
  p["agency_en"] = agency.name_en;
  p["agency_slug"] = agency.slug;
  p["fiscal_year"] = fy;
  p["period_th"] = "ปีงบประมาณ พ.ศ. " + std::to_string(fy) + " (" + date_th(cases::fiscal_year_start(fy)) + " – " +
                   date_th(cases::fiscal_year_start(fy + 1) - 1) + ")";
  p["period_en"] = "Fiscal year " + std::to_string(fy) + " B.E. (" + date_en(cases::fiscal_year_start(fy)) + " – " +
                   date_en(cases::fiscal_year_start(fy + 1) - 1) + ")";
  p["generated_th"] = "จัดทำเมื่อ " + date_th(now);
  p["generated_en"] = "Made on " + date_en(now);
  p["address"] = {{"report_url", base + "/embed/report.html" + q},
                  {"measures_url", base + "/embed/measures.html" + q},
                  {"stats_url", base + "/embed/stats.html" + q}};
  if (auto pic = storage::public_store::site_picture(*db, agency.id)) {
    p["picture"] = {{"mime", pic->mime},
                    {"data", crypto::to_base64(pic->image)},
                    {"page_url", pic->page_url},
                    {"uploaded_th", "(ภาพเมื่อ " + date_th(pic->uploaded_at) + ")"}};
  } else {
    p["picture"] = nullptr;
  }
  json::array measures;
  for (const auto& sec : cases::measures_text(cases::protection_measures(*db, agency, cases::deadlines_of(agency, app.triage.deadlines())))) {
    json::array points;
    for (const auto& pt : sec.points) points.push_back({{"th", pt.th}, {"en", pt.en}});
    measures.push_back({{"heading_th", sec.heading.th}, {"heading_en", sec.heading.en}, {"points", std::move(points)}});
  }
  p["measures"] = std::move(measures);
  // The day's publication, as the public page serves it (issue 21, item 1).
  const auto published = json::parse(public_stats_body(app, agency, fy, now)).as_object();
  p["published_on"] = published.at("published_on");
  p["through"] = published.at("through");
  p["tables"] = stats_tables(published);
  const auto v = app.audit->verify(*db, s.agency());
  std::int64_t head_at = now;
  for (const auto& m : v.month_ends) {
    if (m.id == v.head_id) head_at = m.at;
  }
  const std::string form = std::to_string(v.head_id) + ":" + v.head_hash_hex;
  p["audit"] = {{"intact", v.intact},
                {"entries", v.entries},
                {"head_id", v.head_id},
                {"hash", v.head_hash_hex},
                {"published_form", form},
                {"text_th", "บันทึกการตรวจสอบของหน่วยงานมี " + std::to_string(v.entries) + " รายการ " +
                                (v.intact ? "ตรวจสอบแล้วครบถ้วน" : "ตรวจพบความผิดปกติ") + " รายการล่าสุดคือรายการที่ " +
                                std::to_string(v.head_id) + " ลงวันที่ " + date_th(head_at)},
                {"text_en", "The agency's audit log holds " + std::to_string(v.entries) + " entries, " +
                                (v.intact ? "verified intact" : "found broken") + "; the latest is entry " +
                                std::to_string(v.head_id) + " of " + date_en(head_at) + "."}};
  // Issue 20: the public change log's head, which anyone can recompute from
  // the measures page.
  const auto changes = cases::change_log::verify(*db, agency.id);
  p["changes"] = {{"intact", changes.intact},
                  {"entries", changes.entries},
                  {"head", changes.head_hex},
                  {"text_th", "บันทึกการเปลี่ยนแปลงการคุ้มครองผู้ร้องเรียนที่เผยแพร่มี " + std::to_string(changes.entries) +
                                  " รายการ ค่าแฮชล่าสุด " + changes.head_hex},
                  {"text_en", "The published log of changes to reporter protection holds " +
                                  std::to_string(changes.entries) + " entries; its latest hash is " + changes.head_hex + "."}};
  return p;
}

}  // namespace

// The ITA evidence pack (issue 13, item 2) and the picture of the agency's
// page it shows: administrators only, each for their own agency.
void add_evidence_pack_routes(Router& router, AppServices& app) {
  router.add(http::verb::get, "/api/v1/admin/evidence-pack", [&app](const Request& req, const RouteParams&, Reply reply) {
    const auto s = admin(req, app);
    const int fy = fiscal_year_of(req, app.clock());
    const bool pdf = query_param(req.target(), "format") == "pdf";
    if (pdf && app.pack_pdf_renderer.empty()) {
      throw cases::CaseError(cases::ErrorCode::invalid_field, "this server does not make PDFs", "format");
    }
    offload(app, reply, [&app, s, fy, pdf, base = base_url(req)] {
      const auto pack = make_pack(app, *s, fy, base);
      Response res{http::status::ok, 11};
      const std::string name = "krasip-ita-" + std::string(pack.at("agency_slug").as_string()) + "-" +
                               std::to_string(fy) + (pdf ? ".pdf" : ".html");
      if (pdf) {
        res.set(http::field::content_type, "application/pdf");
        res.body() = evidence_pack_pdf(app.pack_pdf_renderer, app.pack_fonts_dir, pack, std::chrono::seconds(30));
        res.set(http::field::content_disposition, "attachment; filename=\"" + name + "\"");
      } else {
        res.set(http::field::content_type, "text/html; charset=utf-8");
        res.body() = evidence_pack_html(pack);
        res.set(http::field::content_disposition, "inline; filename=\"" + name + "\"");
      }
      // The document's own <style> and its data: picture; no script at all.
      res.set("Content-Security-Policy",
              "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src 'self'; "
              "base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
      res.prepare_payload();
      return res;
    });
  });

  router.add(
      http::verb::put, "/api/v1/admin/site-picture",
      [&app](const Request& req, const RouteParams&, Reply reply) {
        const auto s = admin(req, app);
        if (app.followups == nullptr) {
          throw cases::CaseError(cases::ErrorCode::invalid_field, "this server takes no pictures", "picture");
        }
        if (req.body().empty() || req.body().size() > kPictureMax) {
          throw cases::CaseError(cases::ErrorCode::invalid_field, "the picture is a PNG or JPEG of at most 2 MiB",
                                 "picture");
        }
        std::string page_url = query_param(req.target(), "page_url");
        if (page_url.size() > 500 || !(page_url.empty() || page_url.rfind("https://", 0) == 0 ||
                                       page_url.rfind("http://", 0) == 0)) {
          throw cases::CaseError(cases::ErrorCode::invalid_field, "page_url is the http(s) address of the page",
                                 "page_url");
        }
        offload(app, reply, [&app, s, body = std::string(req.body()), page_url = std::move(page_url)] {
          // Through krasip-cleaner like a reporter's file: typed by libmagic
          // and stripped of metadata (the camera, a location) in the sandbox.
          storage::public_store::SitePicture pic;
          const auto* bytes = reinterpret_cast<const std::uint8_t*>(body.data());
          cleaner::HelperAnswer a;
          try {
            a = cleaner::sniff_and_clean(app.followups->cleaner(), {bytes, body.size()}, "",
                                         [&pic](std::span<const std::uint8_t> chunk) {
                                           pic.image.insert(pic.image.end(), chunk.begin(), chunk.end());
                                         });
          } catch (const cleaner::HelperFailed&) {
            throw cases::CaseError(cases::ErrorCode::invalid_field, "the picture could not be read", "picture");
          }
          if ((a.mime != "image/png" && a.mime != "image/jpeg") || !a.cleaned || pic.image.size() > kPictureMax) {
            throw cases::CaseError(cases::ErrorCode::invalid_field, "the picture is a PNG or JPEG of at most 2 MiB",
                                   "picture");
          }
          pic.mime = a.mime;
          pic.page_url = page_url;
          pic.uploaded_at = static_cast<std::int64_t>(std::time(nullptr));
          app.writer.run([&](storage::Database& db) {
            storage::public_store::put_site_picture(db, s->agency_id, pic, s->user_id);
          });
          return json_response(http::status::ok, json::object{{"mime", pic.mime},
                                                              {"bytes", pic.image.size()},
                                                              {"page_url", pic.page_url},
                                                              {"removed", json::value_from(a.removed)}});
        });
      },
      kPictureMax + 1);
}

}  // namespace krasip::server
