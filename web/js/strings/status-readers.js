// Strings of the status page's notice that the readers of a case's channel
// changed since it was filed (issue 20, item 5).
export default {
  'status.readers_changed': { th: 'ผู้อ่านเรื่องในช่องทางของเรื่องนี้เปลี่ยนไปเมื่อ', en: 'The readers of this case\'s channel changed on' },
  'status.readers_changed_link': { th: 'ดูว่าเปลี่ยนอย่างไรในหน้ามาตรการคุ้มครอง', en: 'See what changed on the protection measures page' },
};
