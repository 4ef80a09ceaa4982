// The page the verification mail links to: posts the token from the
// fragment (which no server sees or logs), then removes it from the address bar.
const out = document.getElementById('verify-result');
const token = window.location.hash.replace(/^#/, '');
history.replaceState(null, '', window.location.pathname);

function say(th, en, ok) {
  out.textContent = `${th} `;
  const e = document.createElement('span');
  e.lang = 'en';
  e.textContent = en;
  out.append(e);
  out.className = ok ? 'notice notice-info' : 'notice notice-error';
}

(async () => {
  try {
    const res = await fetch('/api/v1/me/email/verify', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ token }),
      credentials: 'same-origin',
      cache: 'no-store',
    });
    if (res.ok) say('ยืนยันแล้ว การแจ้งเตือนจะส่งไปที่อีเมลนี้', 'Confirmed: alerts will go to this address.', true);
    else say('ลิงก์ไม่ถูกต้องหรือหมดอายุแล้ว กรุณาบันทึกอีเมลใหม่ในระบบ', 'This link is wrong or has expired. Save the address again in the console.', false);
  } catch {
    say('เชื่อมต่อไม่ได้ กรุณาลองใหม่', 'Could not connect; please try again.', false);
  }
})();
