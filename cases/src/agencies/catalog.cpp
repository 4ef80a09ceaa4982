#include "krasip/cases/agencies/catalog.hpp"

#include <array>
#include <string>
#include <utility>

namespace krasip::cases {

namespace {

constexpr std::array kCategories{
    Label{"corruption", "ทุจริตต่อหน้าที่ / ใช้อำนาจโดยมิชอบ", "Corruption or abuse of office"},
    Label{"bribery", "เรียกรับสินบน / ผลประโยชน์", "Bribery or kickbacks"},
    Label{"procurement", "การจัดซื้อจัดจ้างไม่โปร่งใส", "Irregular procurement"},
    Label{"misconduct", "ประพฤติมิชอบ / ผิดวินัย", "Misconduct or breach of discipline"},
    Label{"service", "การให้บริการไม่เป็นธรรม / ล่าช้า", "Unfair or negligent service"},
    Label{"other", "เรื่องอื่น ๆ", "Other"},
};

constexpr std::array kStatuses{
    Label{"received", "ได้รับเรื่องแล้ว", "Received"},
    Label{"acknowledged", "รับเรื่องไว้พิจารณา", "Acknowledged"},
    Label{"investigating", "อยู่ระหว่างตรวจสอบ", "Under investigation"},
    Label{"substantiated", "ตรวจสอบแล้ว มีมูล", "Substantiated"},
    Label{"unsubstantiated", "ตรวจสอบแล้ว ไม่มีมูล", "Not substantiated"},
    Label{"referred", "ส่งต่อหน่วยงานที่เกี่ยวข้อง", "Referred to another agency"},
    Label{"rejected", "ไม่อยู่ในอำนาจหน้าที่", "Out of scope"},
    Label{"closed", "ยุติเรื่อง", "Closed"},
};

constexpr std::array kNextSteps{
    Label{"received",
          "เจ้าหน้าที่จะรับเรื่องไว้พิจารณาภายใน {ack} วัน และจะตอบกลับครั้งแรกภายใน {reply} วัน "
          "กรุณากลับมาตรวจสอบด้วยรหัสติดตามเรื่อง",
          "An investigator will acknowledge your report within {ack} days and reply within {reply} days. "
          "Check back with your tracking code."},
    Label{"acknowledged",
          "เรื่องของท่านอยู่ในระบบและกำลังจะเริ่มตรวจสอบ เจ้าหน้าที่อาจส่งคำถามถึงท่านทางหน้านี้",
          "Your report has been accepted and will be investigated. Investigators may ask you "
          "questions on this page."},
    Label{"investigating",
          "อยู่ระหว่างตรวจสอบข้อเท็จจริง โดยปกติจะได้ผลภายใน {outcome} วันนับจากวันที่ได้รับเรื่อง",
          "The facts are being investigated; an outcome is usually due within {outcome} days of "
          "receipt."},
    Label{"substantiated", "ผลการตรวจสอบพบว่ามีมูล หน่วยงานจะดำเนินการตามระเบียบต่อไป",
          "The report was found substantiated; the agency will act under its regulations."},
    Label{"unsubstantiated", "ผลการตรวจสอบไม่พบมูลตามที่ร้องเรียน",
          "The investigation did not substantiate the report."},
    Label{"referred", "เรื่องของท่านถูกส่งต่อไปยังหน่วยงานที่มีอำนาจหน้าที่",
          "Your report was referred to the agency responsible."},
    Label{"rejected", "เรื่องนี้ไม่อยู่ในอำนาจหน้าที่ของหน่วยงาน",
          "This report is outside the agency's responsibilities."},
    Label{"closed", "ยุติเรื่องแล้ว ขอบคุณที่แจ้งข้อมูล", "The case is closed. Thank you."},
};

constexpr std::array kSources{
    Label{"web", "ทางเว็บไซต์", "Web form"},
    Label{"counter", "ยื่นด้วยตนเอง ณ จุดรับเรื่อง", "In person at the counter"},
    Label{"phone", "ทางโทรศัพท์", "By phone"},
    Label{"letter", "ทางหนังสือ / ไปรษณีย์", "By letter"},
    Label{"email", "ทางอีเมล", "By e-mail"},
};

constexpr std::array kBodies{
    Label{"nacc", "สำนักงานคณะกรรมการป้องกันและปราบปรามการทุจริตแห่งชาติ (ป.ป.ช.)",
          "Office of the National Anti-Corruption Commission (NACC)"},
    Label{"pacc", "สำนักงานคณะกรรมการป้องกันและปราบปรามการทุจริตในภาครัฐ (ป.ป.ท.)",
          "Office of the Public Sector Anti-Corruption Commission (PACC)"},
    Label{"oag", "สำนักงานการตรวจเงินแผ่นดิน (สตง.)", "Office of the Auditor General (OAG)"},
    Label{"damrongdham", "ศูนย์ดำรงธรรม", "Damrongdham Centre"},
    Label{"other", "หน่วยงานอื่น", "Another body"},
};

constexpr std::array kBodyNextSteps{
    Label{"nacc",
          "ป.ป.ช. จะพิจารณาว่าเรื่องอยู่ในอำนาจหน้าที่หรือไม่ แล้วอาจรับไว้ตรวจสอบหรือไต่สวนข้อเท็จจริง "
          "หรือส่งต่อหน่วยงานอื่น ความคืบหน้าต่อจากนี้สอบถามได้ที่ ป.ป.ช. โดยอ้างเลขที่อ้างอิงข้างต้น",
          "The NACC decides whether the matter is within its powers, then may examine it or open a "
          "fact-finding inquiry, or pass it on. From now on, ask the NACC about progress, quoting the "
          "reference above."},
    Label{"pacc",
          "ป.ป.ท. จะพิจารณาเรื่องที่กล่าวหาเจ้าหน้าที่ของรัฐ อาจแสวงหาข้อเท็จจริงเอง หรือส่งให้ ป.ป.ช. "
          "หากเกินอำนาจ ความคืบหน้าต่อจากนี้สอบถามได้ที่ ป.ป.ท. โดยอ้างเลขที่อ้างอิงข้างต้น",
          "The PACC considers allegations against state officials; it may inquire itself, or pass the "
          "matter to the NACC when it is beyond its powers. From now on, ask the PACC about progress, "
          "quoting the reference above."},
    Label{"oag",
          "สตง. จะตรวจสอบการใช้จ่ายเงินและทรัพย์สินของรัฐตามที่ร้องเรียน และแจ้งผลแก่หน่วยงานหรือผู้มีอำนาจ "
          "สั่งการ ความคืบหน้าต่อจากนี้สอบถามได้ที่ สตง. โดยอ้างเลขที่อ้างอิงข้างต้น",
          "The OAG audits the spending or public property the report is about and tells the agency or "
          "the authority responsible what it finds. From now on, ask the OAG about progress, quoting "
          "the reference above."},
    Label{"damrongdham",
          "ศูนย์ดำรงธรรมจะส่งเรื่องไปยังหน่วยงานที่รับผิดชอบและติดตามผลให้ "
          "ความคืบหน้าต่อจากนี้สอบถามได้ที่ศูนย์ดำรงธรรม โดยอ้างเลขที่อ้างอิงข้างต้น",
          "The Damrongdham Centre sends the matter to the office responsible and follows it up. From "
          "now on, ask the Damrongdham Centre about progress, quoting the reference above."},
    Label{"other",
          "หน่วยงานที่รับเรื่องจะพิจารณาตามอำนาจหน้าที่ของตน ความคืบหน้าต่อจากนี้สอบถามได้ที่หน่วยงานนั้น "
          "โดยอ้างเลขที่อ้างอิงข้างต้น",
          "That body considers the matter under its own powers. From now on, ask it about progress, "
          "quoting the reference above."},
};

const Label* find_in(std::span<const Label> list, std::string_view id) {
  for (const auto& l : list) {
    if (l.id == id) return &l;
  }
  return nullptr;
}

}  // namespace

std::span<const Label> categories() { return kCategories; }
const Label* find_category(std::string_view id) { return find_in(kCategories, id); }
std::span<const Label> statuses() { return kStatuses; }
const Label* find_status(std::string_view id) { return find_in(kStatuses, id); }

std::span<const Label> complaint_sources() { return kSources; }
const Label* find_source(std::string_view id) { return find_in(kSources, id); }
std::span<const Label> referral_bodies() { return kBodies; }
const Label* find_referral_body(std::string_view id) { return find_in(kBodies, id); }
Label referral_next_step(std::string_view body) {
  const Label* l = find_in(kBodyNextSteps, body);
  return l != nullptr ? *l : kBodyNextSteps.back();
}

namespace {
std::string with_days(std::string_view text, const Deadlines& d) {
  std::string out(text);
  const std::pair<std::string_view, int> fields[] = {
      {"{ack}", d.acknowledge_days}, {"{reply}", d.reply_days}, {"{outcome}", d.outcome_days}};
  for (const auto& [key, days] : fields) {
    for (auto at = out.find(key); at != std::string::npos; at = out.find(key)) {
      out.replace(at, key.size(), std::to_string(days));
    }
  }
  return out;
}
}  // namespace

NextStep next_step(std::string_view status, const Deadlines& d) {
  const Label* l = find_in(kNextSteps, status);
  if (l == nullptr) l = &kNextSteps.front();
  return {with_days(l->th, d), with_days(l->en, d)};
}

}  // namespace krasip::cases
