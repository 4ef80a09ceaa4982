// Issue 4 in the browser, against the real krasipd: evidence files chosen
// in the form are sent after filing and listed on the receipt with the
// server's note on hidden data; the reporter writes to the investigators
// from the status page; oversize files are refused, before sending when the
// announced limit says so, and with the server's own 413 shown in Thai.
//
// No reply here is made up. One test alters the intake *announcement* only
// (a page that read a higher limit than the server now enforces) so that
// the server's real 413 answers reach the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startServer } from './lib/server.mjs';
import { launch, phonePage, SCREENSHOTS } from './lib/browser.mjs';
import { violations } from './lib/axe.mjs';
import { fileComplaint, checkStatus } from './lib/form.mjs';
import { fileComplaint as fileOverHttp, postJson } from './lib/console.mjs';

const SMALL_LIMIT = 100000;
const SMALL_CASE_LIMIT = 150000;

let server; // default limits (20 MiB a file)
let small; // --upload-max-bytes 100000 --case-upload-max-bytes 150000
let browser;
let dir;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'krasip-evidence-'));
  server = await startServer();
  small = await startServer(['--upload-max-bytes', String(SMALL_LIMIT), '--case-upload-max-bytes', String(SMALL_CASE_LIMIT)]);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
  await small?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// Files on disk, chosen like a reporter would: the browser names the type
// from the extension, the server decides from the content.
function writeFile(name, bytes) {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

const tinyPdf = (pad = 0) => Buffer.concat([
  Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n'),
  Buffer.from(`%${'x'.repeat(Math.max(0, pad))}\n`),
  Buffer.from('trailer << /Root 1 0 R >>\n%%EOF\n'),
]);

// A real JPEG, drawn by Chromium itself.
async function jpegBytes(page) {
  const b64 = await page.evaluate(() => {
    const c = document.createElement('canvas');
    c.width = 48;
    c.height = 32;
    const g = c.getContext('2d');
    g.fillStyle = '#b91c1c';
    g.fillRect(0, 0, 48, 32);
    g.fillStyle = '#fde68a';
    g.fillRect(8, 8, 20, 12);
    return c.toDataURL('image/jpeg', 0.9).split(',')[1];
  });
  return Buffer.from(b64, 'base64');
}

async function intakeOf(origin) {
  return (await fetch(`${origin}/api/v1/intake`)).json();
}

test('a PDF and a JPEG chosen in the evidence step are stored with the complaint, and the receipt says so', async () => {
  const intake = await intakeOf(server.origin);
  assert.equal(intake.features.attachments, true);
  assert.ok(intake.limits.upload_max_bytes > 0);
  assert.ok(intake.upload_types.includes('application/pdf') && intake.upload_types.includes('image/jpeg'));

  const { context, page } = await phonePage(browser);
  await page.goto(`${server.origin}/embed/report.html`);
  // Text has no cleaner (PDFs are cleaned since issue 14): it is stored as sent, with the warning.
  const notes = Buffer.from('บันทึกการประชุม วันที่ 1 ธันวาคม 2569\nผู้เข้าประชุม: ทุกคน\n');
  const pdf = writeFile('บันทึกการประชุม.txt', notes);
  const jpg = writeFile('photo.jpg', await jpegBytes(page));
  const exe = writeFile('setup.exe', Buffer.from('MZ not allowed'));

  let sawEvidence = false;
  await fileComplaint(page, {
    files: [pdf, jpg],
    shoot: async (name) => {
      if (name !== 'step4-evidence') return;
      sawEvidence = true;
      assert.match(await page.locator('#step-progress').innerText(), /^ขั้นตอนที่ 4 จาก 6: หลักฐาน/);
      // The hint gives the server's limits and types; the picker offers those types.
      const hint = await page.locator('#evidence-files-hint').innerText();
      assert.match(hint, /ไฟล์ละไม่เกิน 20 MB รวมไม่เกิน 100 MB/);
      assert.match(hint, /application\/pdf/);
      assert.equal(await page.getAttribute('#evidence-files', 'accept'), intake.upload_types.join(','));
      assert.deepEqual(await page.locator('#evidence-list .file-name').allInnerTexts(),
        [`บันทึกการประชุม.txt (${notes.length} ไบต์)`, `photo.jpg (${(await jpegBytes(page)).length} ไบต์)`]);
      // A type the server does not take is refused at once, in Thai, and not listed.
      await page.setInputFiles('#evidence-files', exe);
      await page.locator('#evidence-files-error:not([hidden])').waitFor();
      assert.equal(await page.locator('#evidence-files-error').innerText(), 'ไม่ได้เพิ่มไฟล์ setup.exe: ระบบไม่รับไฟล์ประเภทนี้');
      assert.equal(await page.locator('#evidence-list li').count(), 2);
      assert.deepEqual(await violations(page), [], 'evidence step');
      await page.screenshot({ path: `${SCREENSHOTS}/page-evidence.png`, fullPage: true });
    },
  });
  assert.ok(sawEvidence);

  // After the receipt, the files go one by one to the real endpoint.
  await page.locator('#upload-summary:has-text("ส่งหลักฐานสำเร็จ 2 จาก 2 ไฟล์")').waitFor();
  const rows = page.locator('[data-testid=upload-list] li');
  assert.equal(await rows.count(), 2);
  assert.deepEqual(await rows.evaluateAll((lis) => lis.map((li) => li.className)), ['upload-ok', 'upload-ok']);
  const [pdfRow, jpgRow] = await rows.allInnerTexts();
  // Text keeps whatever it holds: "stored", with the server's warning.
  assert.match(pdfRow, /^บันทึกการประชุม\.txt/);
  assert.match(pdfRow, /จัดเก็บแล้ว \(เข้ารหัส\)/);
  assert.match(pdfRow, /ระบบลบข้อมูลแฝงในไฟล์นี้ไม่ได้/);
  // A JPEG is cleaned by the server.
  assert.match(jpgRow, /^photo\.jpg/);
  assert.match(jpgRow, /จัดเก็บแล้ว \(เข้ารหัส และลบข้อมูลแฝงแล้ว\)/);
  assert.match(jpgRow, /ระบบลบข้อมูลแฝงในไฟล์ \(/);
  // The server's notes follow the language switch.
  await page.click('button[data-lang=en]');
  assert.match(await rows.nth(0).innerText(), /This file could not be cleaned/);
  await page.click('button[data-lang=th]');
  assert.deepEqual(await violations(page), [], 'receipt with uploads');
  await page.screenshot({ path: `${SCREENSHOTS}/page-receipt-uploads.png`, fullPage: true });

  // The files are in the case: the status answer lists them.
  const code = (await page.locator('[data-testid=tracking-code]').innerText()).replace(/\s+/g, '');
  const status = await postJson(server.origin, '/api/v1/status', { tracking_code: code });
  assert.deepEqual(status.data.attachments.map((a) => [a.filename, a.content_type, a.from, a.metadata_removed]),
    [['บันทึกการประชุม.txt', 'text/plain', 'reporter', false], ['photo.jpg', 'image/jpeg', 'reporter', true]]);
  assert.equal(status.data.attachments[0].size, notes.length);
  assert.deepEqual(page.problems, [], 'no console errors');

  // The status page lists them too, with what was cleaned, in Thai.
  await page.goto(`${server.origin}/embed/status.html`);
  await checkStatus(page, code);
  const files = page.locator('[data-testid=status-files] li');
  await files.first().waitFor();
  assert.equal(await page.locator('#status-files-empty').isHidden(), true);
  const [pdfItem, jpgItem] = await files.allInnerTexts();
  assert.match(pdfItem, new RegExp(`^บันทึกการประชุม\\.txt \\(${notes.length} ไบต์\\)`));
  assert.match(pdfItem, /คุณ \(ผู้ร้องเรียน\)[\s\S]*ลบข้อมูลแฝงในไฟล์นี้ไม่ได้/);
  assert.match(jpgItem, /^photo\.jpg/);
  assert.match(jpgItem, /ลบข้อมูลแฝงในไฟล์แล้ว/);
  assert.deepEqual(await violations(page), [], 'status page with files');
  await page.screenshot({ path: `${SCREENSHOTS}/status-files.png`, fullPage: true });
  await context.close();
});

test('the server decides the type from the content: a "JPEG" that is not one is refused, in Thai', async () => {
  const { context, page } = await phonePage(browser);
  await page.goto(`${server.origin}/embed/report.html`);
  // The name says JPEG, so the page lets it through; the bytes are not an allowed type.
  const fake = writeFile('not-a-photo.jpg', randomBytes(3000));
  const pdf = writeFile('ok.pdf', tinyPdf());
  await fileComplaint(page, { files: [fake, pdf] });
  await page.locator('#upload-summary:has-text("ส่งหลักฐานสำเร็จ 1 จาก 2 ไฟล์")').waitFor();
  const [bad, good] = await page.locator('[data-testid=upload-list] li').allInnerTexts();
  assert.match(bad, /not-a-photo\.jpg[\s\S]*ส่งไม่สำเร็จ: ระบบไม่รับไฟล์ประเภทนี้/);
  assert.match(good, /ok\.pdf[\s\S]*จัดเก็บแล้ว/);
  await context.close();
});

test('on the status page the reporter sends a message and sees it in the list', async () => {
  const { tracking_code: code } = await fileOverHttp(server.origin, { description: 'เรื่องสำหรับทดสอบการส่งข้อความ' });
  const intake = await intakeOf(server.origin);
  assert.equal(intake.features.reporter_messages, true);

  const { context, page } = await phonePage(browser);
  await page.goto(`${server.origin}/embed/status.html`);
  await checkStatus(page, code);
  await page.locator('#message-form:visible').waitFor();
  assert.equal(await page.getAttribute('#message-body', 'maxlength'), String(intake.limits.message_max));
  assert.equal(await page.locator('#status-messages li').count(), 0);
  assert.equal(await page.locator('#status-messages-empty').isVisible(), true);

  // An empty message is refused next to the field.
  await page.click('#message-send');
  await page.locator('#message-body-error:not([hidden])').waitFor();
  assert.equal(await page.locator('#message-body-error').innerText(), 'กรุณาพิมพ์ข้อความ');

  await page.fill('#message-body', 'ขอเพิ่มเติมข้อมูล: มีพยานอีกสองคน');
  await page.click('#message-send');
  await page.locator('#message-status:has-text("ส่งข้อความแล้ว")').waitFor();
  const item = page.locator('#status-messages li');
  await item.first().waitFor();
  assert.equal(await item.count(), 1);
  assert.equal(await item.getAttribute('class'), 'msg msg-reporter');
  assert.match(await item.innerText(), /^คุณ \(ผู้ร้องเรียน\)/);
  assert.equal(await item.locator('.msg-body').innerText(), 'ขอเพิ่มเติมข้อมูล: มีพยานอีกสองคน');
  assert.equal(await page.locator('#status-messages-empty').isHidden(), true);
  assert.equal(await page.inputValue('#message-body'), '', 'the box is emptied once sent');
  assert.deepEqual(await violations(page), []);
  await page.screenshot({ path: `${SCREENSHOTS}/page-status-message.png`, fullPage: true });

  // It was stored: a fresh lookup shows it, in the activity too.
  const status = await postJson(server.origin, '/api/v1/status', { tracking_code: code });
  assert.deepEqual(status.data.messages.map((m) => [m.from, m.body]), [['reporter', 'ขอเพิ่มเติมข้อมูล: มีพยานอีกสองคน']]);
  assert.deepEqual(status.data.activity.map((a) => a.kind), ['status', 'message']);
  assert.ok(!page.url().includes(code.slice(0, 7)));
  assert.deepEqual(page.problems, []);
  await context.close();
});

test("the server's daily message limit (429) is shown to the reporter in Thai", async () => {
  const { tracking_code: code } = await fileOverHttp(server.origin, { description: 'เรื่องสำหรับทดสอบข้อจำกัดข้อความ' });
  const { limits } = await intakeOf(server.origin);
  for (let i = 0; i < limits.messages_per_case_per_day; i += 1) {
    const r = await postJson(server.origin, '/api/v1/status/messages', { tracking_code: code, body: `ข้อความที่ ${i + 1}` });
    assert.equal(r.status, 201);
  }
  const { context, page } = await phonePage(browser);
  await page.goto(`${server.origin}/embed/status.html`);
  await checkStatus(page, code);
  await page.locator('#message-form:visible').waitFor();
  assert.equal(await page.locator('#status-messages li').count(), limits.messages_per_case_per_day);
  await page.fill('#message-body', 'อีกหนึ่งข้อความ');
  await page.click('#message-send');
  await page.locator('#message-body-error:not([hidden])').waitFor();
  assert.equal(await page.locator('#message-body-error').innerText(), 'มีการส่งคำขอถี่เกินไป กรุณารอสักครู่แล้วลองใหม่');
  assert.equal(await page.inputValue('#message-body'), 'อีกหนึ่งข้อความ', 'what was typed is kept');
  assert.equal(await page.locator('#status-messages li').count(), limits.messages_per_case_per_day);
  await context.close();
});

test('a file over limits.upload_max_bytes is refused before sending, in Thai', async () => {
  const { context, page } = await phonePage(browser);
  await page.goto(`${small.origin}/embed/report.html`);
  const big = writeFile('big.pdf', tinyPdf(SMALL_LIMIT + 10));
  const a = writeFile('a.pdf', tinyPdf(90000));
  const b = writeFile('b.pdf', tinyPdf(90000));
  const uploads = [];
  page.on('request', (r) => { if (r.url().endsWith('/api/v1/status/attachments')) uploads.push(r.url()); });
  await fileComplaint(page, {
    shoot: async (name) => {
      if (name !== 'step4-evidence') return;
      assert.match(await page.locator('#evidence-files-hint').innerText(), /ไฟล์ละไม่เกิน 97.7 KB รวมไม่เกิน 146.5 KB/);
      await page.setInputFiles('#evidence-files', big);
      await page.locator('#evidence-files-error:not([hidden])').waitFor();
      assert.equal(await page.locator('#evidence-files-error').innerText(), 'ไม่ได้เพิ่มไฟล์ big.pdf: ขนาดเกิน 97.7 KB');
      assert.equal(await page.locator('#evidence-list li').count(), 0);
      // Two files that fit alone but not together (limits.case_upload_max_bytes).
      await page.setInputFiles('#evidence-files', [a, b]);
      await page.locator('#evidence-files-error:has-text("b.pdf")').waitFor();
      assert.equal(await page.locator('#evidence-files-error').innerText(), 'ไม่ได้เพิ่มไฟล์ b.pdf: ขนาดไฟล์รวมเกิน 146.5 KB');
      assert.deepEqual(await page.locator('#evidence-list .file-name').allInnerTexts(), [`a.pdf (${(tinyPdf(90000).length / 1024).toLocaleString('th-TH', { maximumFractionDigits: 1 })} KB)`]);
      await page.screenshot({ path: `${SCREENSHOTS}/page-evidence-too-large.png`, fullPage: true });
    },
  });
  await page.locator('#upload-summary:has-text("ส่งหลักฐานสำเร็จ 1 จาก 1 ไฟล์")').waitFor();
  assert.equal(uploads.length, 1, 'only the file that fits is sent');
  await context.close();
});

test("when the server's limits are lower than the page read, its 413 answers are shown in Thai", async () => {
  const { context, page } = await phonePage(browser);
  // The page read larger limits (e.g. before the server was restarted with
  // lower ones): it lets the files through and the real server refuses them.
  await page.route('**/api/v1/intake', async (route) => {
    const res = await route.fetch();
    const data = await res.json();
    data.limits.upload_max_bytes = 10 * SMALL_LIMIT;
    data.limits.case_upload_max_bytes = 10 * SMALL_CASE_LIMIT;
    await route.fulfill({ response: res, json: data });
  });
  await page.goto(`${small.origin}/embed/report.html`);
  const over = writeFile('over.pdf', tinyPdf(SMALL_LIMIT + 20000)); // over one file's limit
  // Text, which is stored at the size sent (a PDF is cleaned first and
  // could shrink below the case's limit).
  const text = (n) => Buffer.from(('minutes of the meeting ' + 'x'.repeat(40) + '\n').repeat(Math.ceil(n / 64)).slice(0, n));
  const first = writeFile('first.txt', text(90000)); // fits
  const second = writeFile('second.txt', text(90000)); // fits alone, not with first.txt
  await fileComplaint(page, { files: [over, first, second] });
  await page.locator('#upload-summary:has-text("ส่งหลักฐานสำเร็จ 1 จาก 3 ไฟล์")').waitFor();
  const rows = await page.locator('[data-testid=upload-list] li').allInnerTexts();
  assert.match(rows[0], /over\.pdf[\s\S]*ส่งไม่สำเร็จ: ไฟล์มีขนาดใหญ่เกินกำหนด/);
  assert.match(rows[1], /first\.txt[\s\S]*จัดเก็บแล้ว/);
  assert.match(rows[2], /second\.txt[\s\S]*ส่งไม่สำเร็จ: ขนาดไฟล์รวมของเรื่องนี้เกินกำหนด/);
  assert.deepEqual(await violations(page), []);
  await page.screenshot({ path: `${SCREENSHOTS}/page-receipt-413.png`, fullPage: true });
  await context.close();
});
