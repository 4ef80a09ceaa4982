#include "krasip/cases/alerts/case_alerts.hpp"

#include <map>

#include "krasip/cases/alerts/batch_schedule.hpp"
#include "krasip/cases/alerts/mail_settings.hpp"
#include "krasip/cases/common/thai_time.hpp"
#include "krasip/storage/flood_batch_store.hpp"
#include "krasip/storage/mail_store.hpp"

namespace krasip::cases {

namespace {
constexpr const char* kFooter =
    "\n-- \n"
    "อีเมลนี้ไม่มีรายละเอียดของเรื่องร้องเรียนโดยเจตนา กรุณาเข้าสู่ระบบเพื่ออ่าน\n"
    "This mail holds no detail of any case, by design. Sign in to read.\n"
    "เปลี่ยนการแจ้งเตือนได้ที่หน้า \"การแจ้งเตือนทางอีเมล\" ในคอนโซล\n"
    "Change your alerts under \"E-mail alerts\" in the console.\n";
}  // namespace

AlertComposer::AlertComposer(std::string public_url) : url_(std::move(public_url)) {
  while (!url_.empty() && url_.back() == '/') url_.pop_back();
}

std::string AlertComposer::console_link() const {
  if (url_.empty()) return "คอนโซล Krasip ของหน่วยงาน / your agency's Krasip console";
  return url_ + "/console/";
}

AlertText AlertComposer::new_case() const {
  return {"Krasip: มีเรื่องร้องเรียนใหม่ / A new case",
          "มีเรื่องร้องเรียนใหม่ในช่องทางที่ท่านรับเรื่อง\n"
          "A new case has arrived in a channel you receive.\n\n" +
              console_link() + "\n" + kFooter};
}

AlertText AlertComposer::reporter_activity() const {
  return {"Krasip: ผู้ร้องเรียนส่งข้อมูลเพิ่ม / New from a reporter",
          "ผู้ร้องเรียนส่งข้อความหรือไฟล์ใหม่ในเรื่องที่ท่านอ่านได้\n"
          "A reporter sent a new message or file on a case you can read.\n\n" +
              console_link() + "\n" + kFooter};
}

AlertText AlertComposer::flood_batch() const {
  return {"Krasip: เรื่องร้องเรียนจำนวนมากเข้ามาพร้อมกัน / A flood of complaints",
          "ระบบได้รับเรื่องร้องเรียนจำนวนมากผิดปกติในเวลาสั้น ๆ (อาจมาจากโปรแกรมอัตโนมัติ)\n"
          "เรื่องที่เข้ามาในช่วงนั้นถูกรวมเป็นชุดเดียวที่มีเครื่องหมายในรายการเรื่อง ท่านจะได้รับแจ้งครั้งเดียวต่อชุด\n"
          "บางเรื่องในชุดอาจเป็นเรื่องจริง กรุณาเปิดชุดเพื่อตรวจดู\n"
          "The service received an unusual number of complaints in a short time (perhaps from a bot).\n"
          "Those that came in meanwhile are one flagged batch in the case list; you are told once per batch.\n"
          "Some of them may be genuine: open the batch to look.\n\n" +
              console_link() + "\n" + kFooter};
}

AlertText AlertComposer::digest(std::int64_t due_soon, std::int64_t overdue) const {
  return {"Krasip: เรื่องที่ใกล้หรือเลยกำหนด / Cases near or past a deadline",
          "เรื่องที่จะถึงกำหนดภายในสองวัน: " + std::to_string(due_soon) + "\n" +
              "เรื่องที่เลยกำหนดแล้ว: " + std::to_string(overdue) + "\n" +
              "Cases due within two days: " + std::to_string(due_soon) + "\n" +
              "Cases past a deadline: " + std::to_string(overdue) + "\n\n" + console_link() + "\n" +
              kFooter};
}

AlertText AlertComposer::verify_address(const std::string& token) const {
  const std::string link = url_.empty() ? "(--public-url is not set; ask the administrator)"
                                        : url_ + "/console/verify-email.html#" + token;
  return {"Krasip: ยืนยันที่อยู่อีเมล / Confirm your e-mail address",
          "มีผู้ขอรับการแจ้งเตือนจาก Krasip ที่อีเมลนี้ หากเป็นท่าน กรุณาเปิดลิงก์นี้ภายใน 24 ชั่วโมง\n"
          "Someone asked for Krasip alerts at this address. If it was you, open this link within 24 hours:\n\n" +
              link + "\n\n"
              "หากไม่ใช่ท่าน ไม่ต้องทำอะไร / If it was not you, do nothing.\n"};
}

AlertText AlertComposer::test_mail() const {
  return {"Krasip: ทดสอบการส่งอีเมล / Test mail",
          "การตั้งค่าอีเมลของหน่วยงานใช้งานได้\nThe agency's mail settings work.\n"};
}

namespace {
// Every alert here is caused by a reporter's action: it is kept with the
// day only and waits for the next batch time of the agency that sends it
// (issue 21, item 2), so neither the outbox nor the mail dates the act
// more finely than the span between two batches.
class Batches {
 public:
  Batches(storage::Database& db, std::int64_t now) : db_(db), now_(now) {}
  void enqueue(const storage::alert_prefs_store::Recipient& r, const AlertText& text) {
    auto at = next_.find(r.agency_id);
    if (at == next_.end()) at = next_.emplace(r.agency_id, next_batch_after(now_, batch_times_of(db_, r.agency_id))).first;
    storage::outbox_store::enqueue_batched(db_, {r.agency_id, r.user_id, r.email, text.subject, text.body},
                                           bangkok_day_start(now_), at->second);
  }

 private:
  storage::Database& db_;
  std::int64_t now_;
  std::map<std::int64_t, std::int64_t> next_;  // agency → its next batch time
};

void enqueue_for(storage::Database& db, std::int64_t case_id, storage::alert_prefs_store::AlertKind kind,
                 const AlertText& text, std::int64_t now) {
  Batches batches(db, now);
  for (const auto& r : storage::alert_prefs_store::case_recipients(db, case_id, kind)) batches.enqueue(r, text);
}
}  // namespace

void CaseAlerts::on_new_case(storage::Database& db, std::int64_t case_id, std::int64_t now) const {
  enqueue_for(db, case_id, storage::alert_prefs_store::AlertKind::new_case, composer_.new_case(), now);
}

void CaseAlerts::on_flood_case(storage::Database& db, std::int64_t case_id, std::int64_t batch_id,
                               std::int64_t now) const {
  const auto text = composer_.flood_batch();
  Batches batches(db, now);
  for (const auto& r :
       storage::alert_prefs_store::case_recipients(db, case_id, storage::alert_prefs_store::AlertKind::new_case)) {
    if (!storage::flood_batch_store::first_alert(db, batch_id, r.user_id)) continue;
    batches.enqueue(r, text);
  }
}

void CaseAlerts::on_reporter_activity(storage::Database& db, std::int64_t case_id,
                                      std::int64_t now) const {
  enqueue_for(db, case_id, storage::alert_prefs_store::AlertKind::reporter_activity,
              composer_.reporter_activity(), now);
}

}  // namespace krasip::cases
