// Strings shared by every page: header, footer, language switch.
export default {
  'common.skip': { th: 'ข้ามไปยังเนื้อหาหลัก', en: 'Skip to main content' },
  'common.agency': { th: 'องค์การบริหารส่วนตำบลหนองไฮ', en: 'Nong Hai Subdistrict Administrative Organization' },
  'common.agency_place': { th: 'อำเภอเมืองอุดรธานี จังหวัดอุดรธานี', en: 'Mueang Udon Thani District, Udon Thani Province' },
  'common.service': { th: 'กระซิบ — ช่องทางร้องเรียนและแจ้งเบาะแส', en: 'Krasip — complaints and whistleblowing channel' },
  'common.lang_group': { th: 'ภาษา', en: 'Language' },
  'common.demo': { th: 'หน้าตัวอย่าง: เว็บไซต์นี้ใช้สาธิตระบบเท่านั้น ไม่ใช่เว็บไซต์ทางการของ อบต.หนองไฮ', en: 'Demo page: this site only demonstrates the system; it is not the official website of Nong Hai SAO.' },
  'common.nav': { th: 'เมนูหลัก', en: 'Main menu' },
  'common.embed_nav': { th: 'เมนูกระซิบ', en: 'Krasip menu' },
  'common.nav_home': { th: 'หน้าหลัก', en: 'Home' },
  'common.nav_report': { th: 'แจ้งเรื่องร้องเรียน', en: 'Make a complaint' },
  'common.nav_status': { th: 'ติดตามเรื่อง', en: 'Track a complaint' },
  'common.nav_measures': { th: 'มาตรการคุ้มครอง', en: 'Protection measures' },
  'common.nav_stats': { th: 'สถิติ', en: 'Statistics' },
  'common.footer_privacy': { th: 'ระบบนี้ไม่บันทึกหมายเลข IP ของผู้ใช้ และไม่เรียกใช้บริการของบุคคลภายนอก', en: 'This service does not store your IP address and loads nothing from third parties.' },
  'common.footer_font': { th: 'แบบอักษร Sarabun ใช้ภายใต้สัญญาอนุญาต SIL Open Font License', en: 'Sarabun typeface used under the SIL Open Font License' },
  'common.noscript': { th: 'กรุณาเปิดใช้งาน JavaScript เพื่อส่งแบบฟอร์มนี้', en: 'Please enable JavaScript to send this form.' },
};
