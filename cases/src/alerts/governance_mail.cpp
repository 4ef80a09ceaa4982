#include "krasip/cases/alerts/governance_mail.hpp"

#include <algorithm>

#include "krasip/storage/channel_store.hpp"
#include "krasip/storage/key_store.hpp"
#include "krasip/storage/mail_store.hpp"
#include "krasip/storage/user_store.hpp"

namespace krasip::cases {

namespace {
struct Words {
  const char* event;
  const char* th;
  const char* en;
};
constexpr Words kWords[] = {
    {"proposed", "มีผู้เสนอเปลี่ยนแปลงผู้อ่านเรื่องหรือการตั้งค่าที่คุ้มครองผู้ร้องเรียน ท่านอาจต้องอนุมัติ ปฏิเสธ หรือคัดค้าน",
     "A change to who reads complaints, or to a setting that protects reporters, was proposed. You may have to approve, refuse or veto it."},
    {"applied", "การเปลี่ยนแปลงผู้อ่านเรื่องหรือการตั้งค่าที่คุ้มครองผู้ร้องเรียนมีผลแล้ว",
     "A change to who reads complaints, or to a setting that protects reporters, took effect."},
    {"refused", "ข้อเสนอเปลี่ยนแปลงถูกปฏิเสธ", "A proposed change was refused."},
    {"vetoed", "ข้อเสนอเปลี่ยนแปลงถูกคัดค้านระหว่างระยะเวลาประกาศ", "A proposed change was vetoed during its public wait."},
    {"withdrawn", "ผู้เสนอถอนข้อเสนอเปลี่ยนแปลง", "A proposed change was withdrawn."},
    {"lapsed", "ข้อเสนอเปลี่ยนแปลงหมดอายุโดยไม่มีผู้อนุมัติ", "A proposed change lapsed: no one approved it in time."},
    {"failed", "ข้อเสนอเปลี่ยนแปลงที่อนุมัติแล้วใช้ไม่ได้อีกต่อไปและไม่มีผล",
     "An approved change no longer applied and did not take effect."},
    {"restored", "ผู้อ่านเรื่องที่ถูกถอดออกได้รับสิทธิ์คืน", "A removed reader was restored."},
    {"purge_notice", "เรื่องที่ปิดแล้วในช่องทางที่ท่านรับเรื่องจะถูกลบตามระยะเวลาเก็บรักษาในอีก 14 วัน",
     "Closed cases of a channel you receive will be deleted in 14 days, at the end of their retention."},
};
}  // namespace

AlertText GovernanceMail::text(const std::string& event) const {
  const auto* w = std::find_if(std::begin(kWords), std::end(kWords), [&](const Words& x) { return event == x.event; });
  if (w == std::end(kWords)) w = &kWords[1];
  const std::string link =
      composer_.public_url().empty() ? "คอนโซล Krasip ของหน่วยงาน / your agency's Krasip console"
                                     : composer_.public_url() + "/console/#/governance";
  return {"Krasip: การคุ้มครองผู้ร้องเรียน / Reporter protection",
          std::string(w->th) + "\n" + w->en + "\n\n" + link + "\n-- \n" +
              "อีเมลนี้ไม่มีรายละเอียดโดยเจตนา กรุณาเข้าสู่ระบบเพื่ออ่าน\n"
              "This mail holds no detail, by design. Sign in to read.\n"
              "การแจ้งนี้ส่งถึงผู้รับเรื่องของช่องทางที่เกี่ยวข้องและผู้ดูแลระบบของหน่วยงานกำกับดูแลเสมอ\n"
              "It always goes to the readers concerned and to the supervising agency's administrators.\n"};
}

void GovernanceMail::notify(storage::Database& db, std::int64_t agency_id, const std::vector<std::int64_t>& channel_ids,
                            const std::string& event, std::int64_t now) const {
  std::vector<std::int64_t> users;
  const auto add = [&](std::int64_t id) {
    if (std::find(users.begin(), users.end(), id) == users.end()) users.push_back(id);
  };
  for (const auto& [channel_id, m] : storage::channel_store::all_members(db, agency_id)) {
    const bool in_scope =
        channel_ids.empty() || std::find(channel_ids.begin(), channel_ids.end(), channel_id) != channel_ids.end();
    if (in_scope && m.role == "recipient" && m.active) add(m.user_id);
  }
  for (const auto up : storage::key_store::ancestors(db, agency_id)) {
    for (const auto& u : storage::user_store::list(db, up)) {
      if (u.is_admin && !u.disabled_at) add(u.id);
    }
  }
  const auto t = text(event);
  for (const auto& r : storage::alert_prefs_store::verified(db, users)) {
    storage::outbox_store::enqueue(db, {r.agency_id, r.user_id, r.email, t.subject, t.body}, now);
  }
}

}  // namespace krasip::cases
