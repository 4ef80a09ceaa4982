// Messages for error codes of the API and for network failures.
export default {
  'error.malformed_json': { th: 'ระบบไม่สามารถอ่านข้อมูลที่ส่งได้ กรุณาลองใหม่อีกครั้ง', en: 'The system could not read the data sent. Please try again.' },
  'error.invalid_utf8': { th: 'ข้อความมีอักขระที่ระบบไม่รองรับ กรุณาตรวจสอบแล้วลองใหม่', en: 'The text contains characters the system cannot accept. Please check it and try again.' },
  'error.missing_field': { th: 'กรุณากรอกข้อมูลนี้', en: 'Please fill in this field.' },
  'error.missing_field_top': { th: 'ยังกรอกข้อมูลที่จำเป็นไม่ครบ', en: 'Some required information is missing.' },
  'error.invalid_field': { th: 'ข้อมูลนี้ไม่ถูกต้อง กรุณาตรวจสอบอีกครั้ง', en: 'This value is not valid. Please check it.' },
  // A page older than the service (kept by a cache) may send what it no longer takes.
  'error.unknown_field': { th: 'หน้านี้ส่งข้อมูลที่ระบบไม่รู้จัก กรุณาโหลดหน้านี้ใหม่แล้วลองอีกครั้ง', en: 'This page sent something the service does not take. Please reload the page and try again.' },
  'error.field_too_long': { th: 'ข้อความยาวเกินกำหนด กรุณาตัดให้สั้นลง', en: 'This text is too long. Please shorten it.' },
  'error.body_too_large': { th: 'ข้อมูลทั้งหมดมีขนาดใหญ่เกินกำหนด กรุณาลดความยาวของข้อความ', en: 'The whole submission is too large. Please shorten the text.' },
  'error.terms_not_accepted': { th: 'กรุณายอมรับเงื่อนไขก่อนส่งเรื่อง', en: 'Please accept the terms before sending.' },
  'error.rate_limited': { th: 'มีการส่งคำขอถี่เกินไป กรุณารอสักครู่แล้วลองใหม่', en: 'Too many requests. Please wait a moment and try again.' },
  'error.server_busy': { th: 'ระบบมีผู้ใช้งานจำนวนมาก กรุณาลองใหม่ในอีกสักครู่', en: 'The system is busy. Please try again shortly.' },
  'error.internal_error': { th: 'เกิดข้อผิดพลาดในระบบ กรุณาลองใหม่ภายหลัง', en: 'Something went wrong on our side. Please try again later.' },
  'error.network_error': { th: 'ไม่สามารถเชื่อมต่อกับระบบได้ กรุณาตรวจสอบอินเทอร์เน็ตแล้วลองใหม่อีกครั้ง', en: 'Could not reach the service. Please check your internet connection and try again.' },
  'error.timeout': { th: 'เซิร์ฟเวอร์ไม่ตอบสนองภายในเวลาที่กำหนด กรุณาลองใหม่อีกครั้ง', en: 'The server did not answer in time. Please try again.' },
  'error.unknown_code': { th: 'ไม่พบเรื่องที่ตรงกับรหัสนี้', en: 'No complaint matches this code.' },
  'error.malformed_code': { th: 'รหัสไม่ถูกต้อง กรุณาตรวจสอบการพิมพ์อีกครั้ง', en: 'This code is not valid. Please check for typing mistakes.' },
  'error.escalation_pending': { th: 'คำขอย้ายเรื่องครั้งก่อนยังรอการยืนยันอยู่ ขอย้ายใหม่ได้เมื่อมีการตัดสินแล้วหรือคำขอหมดอายุ', en: 'Your earlier request to move this complaint is still waiting for confirmation. You can ask again once it is decided or has lapsed.' },
  'error.case_purged': { th: 'เรื่องนี้ปิดแล้ว และข้อมูลของเรื่องถูกลบแล้ว', en: 'This case was closed and its records deleted.' },
  'error.summary': { th: 'กรุณาแก้ไขข้อมูลที่มีเครื่องหมายแจ้งเตือน', en: 'Please correct the highlighted fields.' },
};
