#include "krasip/cases/agencies/protection_measures.hpp"

#include "krasip/storage/key_store.hpp"
#include "krasip/storage/public_store.hpp"

namespace krasip::cases {

ProtectionMeasures protection_measures(storage::Database& db, const storage::AgencyRow& agency,
                                       const Deadlines& deadlines) {
  ProtectionMeasures m;
  m.agency = agency;
  m.deadlines = deadlines;
  if (agency.parent_id) {
    auto parent = storage::key_store::load_agency(db, *agency.parent_id);
    if (parent && !parent->disabled_at) m.parent = std::move(parent);
  }
  const auto counts = storage::public_store::member_counts(db, agency.id);
  for (auto& c : storage::channel_store::list(db, agency.id)) {
    ChannelMeasures cm;
    for (const auto& n : counts) {
      if (n.channel_id != c.id) continue;
      if (n.role == "recipient") {
        cm.recipients = n.accounts;
        cm.recipients_from_parent = n.from_other_agency;
      } else {
        cm.custodians = n.accounts;
        cm.custodians_from_parent = n.from_other_agency;
      }
    }
    cm.channel = std::move(c);
    m.channels.push_back(std::move(cm));
  }
  return m;
}

namespace {
std::string n(std::int64_t v) { return std::to_string(v); }

std::string people_en(std::int64_t v) { return n(v) + (v == 1 ? " person" : " people"); }

void add(MeasureSection& s, std::string th, std::string en) {
  s.points.push_back({std::move(th), std::move(en)});
}

MeasureSection readers_section(const ProtectionMeasures& m) {
  MeasureSection s{"readers", {"ใครอ่านเรื่องร้องเรียนได้", "Who can read a complaint"}, {}};
  const std::string parent_th = m.parent ? m.parent->name_th : "หน่วยงานกำกับดูแล";
  const std::string parent_en = m.parent ? m.parent->name_en : "the supervising agency";
  for (const auto& c : m.channels) {
    const auto& ch = c.channel;
    std::string th = "ช่องทาง “" + ch.name_th + "”: ผู้อ่านเรื่องได้คือ " + ch.readers_th + " รวม " +
                     n(c.recipients) + " คน";
    std::string en = "Channel “" + ch.name_en + "”: read by " + ch.readers_en + ", " +
                     people_en(c.recipients) + " in all";
    if (c.recipients_from_parent > 0) {
      th += " (เป็นเจ้าหน้าที่ของ" + parent_th + " " + n(c.recipients_from_parent) + " คน)";
      en += " (" + n(c.recipients_from_parent) + " of them staff of " + parent_en + ")";
    }
    th += " ผู้อื่นในหน่วยงาน รวมถึงผู้บังคับบัญชา ไม่มีกุญแจเปิดอ่านเรื่องในช่องทางนี้";
    en += ". No one else in the agency, superiors included, holds a key to this channel's complaints.";
    if (ch.outcome_needs_confirmation) {
      th += " การยุติเรื่องโดยไม่รับพิจารณาหรือเห็นว่าไม่มีมูลต้องได้รับการยืนยันจากผู้รับเรื่องอีกคนหนึ่ง";
      en += " Rejecting a complaint or finding it unsubstantiated needs a second recipient's confirmation.";
    }
    add(s, std::move(th), std::move(en));
  }
  return s;
}

MeasureSection identity_section(const ProtectionMeasures& m) {
  MeasureSection s{"identity", {"ใครเปิดดูตัวตนผู้ร้องเรียนได้", "Who can see who the reporter is"}, {}};
  add(s, "ไม่ต้องระบุชื่อก็ร้องเรียนได้ หากให้ชื่อหรือช่องทางติดต่อ ข้อมูลนั้นถูกเข้ารหัสแยกจากเนื้อหาเรื่อง ผู้อ่านเรื่องทั่วไปเปิดดูไม่ได้",
      "You may complain without giving your name. If you give a name or contact details, they are encrypted "
      "apart from the complaint, and ordinary readers of the complaint cannot open them.");
  for (const auto& c : m.channels) {
    const auto& ch = c.channel;
    std::string th = "ช่องทาง “" + ch.name_th + "”: ผู้เปิดดูตัวตนได้คือ " + ch.identity_readers_th + " รวม " +
                     n(c.custodians) + " คน";
    std::string en = "Channel “" + ch.name_en + "”: the identity can be opened by " + ch.identity_readers_en +
                     ", " + people_en(c.custodians) + " in all";
    if (ch.identity_two_person) {
      th += " การเปิดดูแต่ละครั้งต้องมีผู้ดูแลตัวตนอีกคนหนึ่งอนุมัติ (หลักสองคน) และบันทึกในบันทึกการตรวจสอบ";
      en += ". Each opening needs the approval of a second custodian (two-person rule) and is written to the audit log.";
    } else {
      th += " การเปิดดูแต่ละครั้งต้องระบุเหตุผลและบันทึกในบันทึกการตรวจสอบ";
      en += ". Each opening needs a reason and is written to the audit log.";
    }
    add(s, std::move(th), std::move(en));
  }
  return s;
}

MeasureSection no_address_section() {
  MeasureSection s{"no_address", {"ไม่บันทึกที่อยู่ของผู้ร้องเรียน", "No address of yours is recorded"}, {}};
  add(s, "ระบบไม่บันทึกหมายเลขไอพี (IP address) ของผู้ส่งเรื่อง และไม่บันทึกเวลาที่ส่งละเอียดกว่าวันที่",
      "The system records no IP address of whoever sends a complaint, and no time of sending finer than the day.");
  add(s, "ข้อมูลแฝงในไฟล์หลักฐาน เช่น พิกัดและรุ่นกล้องในรูปถ่าย ถูกลบก่อนจัดเก็บเมื่อชนิดไฟล์รองรับ หากลบไม่ได้ ระบบแจ้งผู้ส่งทันที",
      "Hidden data in evidence files, such as a photo's location and camera, is removed before the file is stored "
      "where the file type allows; the sender is told at once when it could not be.");
  return s;
}

MeasureSection tracking_code_section() {
  MeasureSection s{"tracking_code", {"รหัสติดตามเรื่อง", "The tracking code"}, {}};
  add(s, "เมื่อส่งเรื่อง ผู้ร้องเรียนได้รับรหัสติดตามเรื่องแบบสุ่ม 21 หลัก ใช้ดูความคืบหน้า ตอบข้อความ และส่งหลักฐานเพิ่มเติม โดยไม่ต้องเปิดเผยตัวตน",
      "On sending, the reporter gets a random 21-digit tracking code to follow progress, answer messages and add "
      "evidence without revealing who they are.");
  add(s, "รหัสนี้เป็นกุญแจเพียงดอกเดียวของผู้ร้องเรียน ระบบเก็บเพียงค่าที่แปลงแล้ว (hash) เจ้าหน้าที่จึงไม่รู้รหัสและออกรหัสใหม่ให้ไม่ได้ หากทำหายต้องส่งเรื่องใหม่",
      "The code is the reporter's only key. Only a hash of it is stored, so staff do not know it and cannot issue "
      "it again; whoever loses it must send a new complaint.");
  add(s, "ผู้ร้องเรียนเปลี่ยนรหัสเป็นรหัสใหม่ได้เองในหน้าติดตามเรื่อง เช่น เมื่อเจ้าหน้าที่บันทึกเรื่องแทนที่เคาน์เตอร์และได้เห็นรหัสแล้ว รหัสเดิมจะใช้ไม่ได้อีกทันที",
      "The reporter can replace the code with a new one on the tracking page, for example after a clerk recorded "
      "the complaint at the counter and saw it; the old code stops working at once.");
  return s;
}

MeasureSection deadlines_section(const ProtectionMeasures& m) {
  const auto& d = m.deadlines;
  MeasureSection s{"deadlines", {"ระยะเวลาดำเนินการ", "Deadlines"}, {}};
  add(s, "ตอบรับเรื่องภายใน " + n(d.acknowledge_days) + " วัน นับจากวันที่ได้รับ",
      "Acknowledged within " + n(d.acknowledge_days) + " days of the day received.");
  add(s, "แจ้งความคืบหน้าครั้งแรกแก่ผู้ร้องเรียนภายใน " + n(d.reply_days) + " วัน",
      "A first reply to the reporter within " + n(d.reply_days) + " days.");
  add(s, "แจ้งผลการพิจารณาภายใน " + n(d.outcome_days) + " วัน",
      "An outcome within " + n(d.outcome_days) + " days.");
  return s;
}

MeasureSection escalation_section(const ProtectionMeasures& m) {
  MeasureSection s{"escalation", {"หากไม่ได้รับความเป็นธรรม", "If the complaint is not handled fairly"}, {}};
  if (m.channels.size() > 1) {
    add(s, "ผู้ร้องเรียนย้ายเรื่องไปยังช่องทางอื่นของหน่วยงานได้เองในหน้าติดตามเรื่องด้วยรหัสติดตามเรื่อง โดยไม่ต้องขออนุญาตเจ้าหน้าที่ เมื่อย้ายแล้ว ผู้รับเรื่องของช่องทางเดิมจะอ่านเรื่องนั้นไม่ได้อีก เว้นแต่เป็นผู้รับเรื่องของช่องทางใหม่ด้วย",
        "With the tracking code, the reporter can move the complaint to another channel of the agency on the "
        "tracking page, without asking any official. Once moved, the first channel's readers can no longer read it, "
        "unless they also receive the new channel.");
  }
  for (const auto& c : m.channels) {
    if (c.recipients_from_parent > 0 && m.parent) {
      add(s, "ช่องทาง “" + c.channel.name_th + "” รับโดยเจ้าหน้าที่ของ" + m.parent->name_th +
                 " เหมาะสำหรับเรื่องที่เกี่ยวกับผู้บริหารของหน่วยงาน",
          "Channel “" + c.channel.name_en + "” is received by staff of " + m.parent->name_en +
              ", for complaints about the agency's executives.");
      // Issue 20, item 7: whoever holds the code cannot take it out alone.
      add(s, "การย้ายเรื่องออกจากช่องทาง “" + c.channel.name_th +
                 "” ต้องให้ผู้รับเรื่องของช่องทางนี้ยืนยันก่อน หากไม่มีผู้ใดตัดสินภายใน 30 วัน คำขอย้ายจะหมดอายุ",
          "Moving a complaint out of channel “" + c.channel.name_en +
              "” needs a recipient of that channel to confirm it; a request no one decides within 30 days lapses.");
    }
  }
  if (m.parent) {
    add(s, "ร้องเรียนต่อหน่วยงานกำกับดูแล " + m.parent->name_th + " ได้ที่ /embed/report.html?agency=" + m.parent->slug,
        "Complain to the supervising agency, " + m.parent->name_en + ", at /embed/report.html?agency=" +
            m.parent->slug);
  }
  add(s, "ร้องเรียนต่อสำนักงาน ป.ป.ช. หรือ ป.ป.ท. ได้โดยตรง", "Complaints may also go directly to the NACC or the PACC.");
  return s;
}
}  // namespace

std::vector<MeasureSection> measures_text(const ProtectionMeasures& m) {
  return {readers_section(m), identity_section(m), no_address_section(), tracking_code_section(),
          deadlines_section(m), escalation_section(m)};
}

}  // namespace krasip::cases
