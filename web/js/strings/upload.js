// Strings of the evidence uploads shown on the receipt.
export default {
  'upload.h': { th: 'หลักฐานที่แนบ', en: 'Evidence files' },
  'upload.sending': { th: 'กำลังส่งหลักฐาน {n} ไฟล์ ทีละไฟล์ กรุณาอย่าปิดหน้านี้', en: 'Sending {n} evidence file(s), one at a time. Please keep this page open.' },
  'upload.done': { th: 'ส่งหลักฐานสำเร็จ {ok} จาก {n} ไฟล์', en: '{ok} of {n} evidence file(s) stored.' },
  'upload.progress_label': { th: 'ความคืบหน้าการส่งไฟล์ {name}', en: 'Upload progress of {name}' },
  'upload.waiting': { th: 'รอส่ง', en: 'Waiting' },
  'upload.in_progress': { th: 'กำลังส่ง…', en: 'Sending…' },
  'upload.stored': { th: 'จัดเก็บแล้ว (เข้ารหัส)', en: 'Stored (encrypted)' },
  'upload.stored_clean': { th: 'จัดเก็บแล้ว (เข้ารหัส และลบข้อมูลแฝงแล้ว)', en: 'Stored (encrypted, hidden metadata removed)' },
  'upload.failed': { th: 'ส่งไม่สำเร็จ: {reason}', en: 'Not stored: {reason}' },
  'upload.error_file_too_large': { th: 'ไฟล์มีขนาดใหญ่เกินกำหนด', en: 'the file is too large' },
  'upload.error_file_type_not_allowed': { th: 'ระบบไม่รับไฟล์ประเภทนี้', en: 'this type of file is not accepted' },
  'upload.error_case_upload_limit': { th: 'ขนาดไฟล์รวมของเรื่องนี้เกินกำหนด', en: 'the files of this complaint together are too large' },
  'upload.error_rate_limited': { th: 'ส่งถี่เกินไป กรุณาลองใหม่ภายหลัง', en: 'too many requests; please try again later' },
  'upload.error_network_error': { th: 'การเชื่อมต่อขัดข้อง', en: 'the connection failed' },
  'upload.error_timeout': { th: 'ใช้เวลานานเกินไป', en: 'it took too long' },
  'upload.error_other': { th: 'เกิดข้อผิดพลาดในระบบ', en: 'something went wrong on our side' },
};
