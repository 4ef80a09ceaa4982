// Issue 13, item 5: an investigator sends the reporter a file from the case
// view; the reporter sees it on the status page (phone width) and downloads
// it, byte for byte. Thai first; axe clean on both pages. Then the case is
// closed and purged (item 6), and the same code says so. The channel keeps
// closed cases 0 days (the deployment's floor lowered to 0, set before the
// agency's first case so it applies at once); the purge then runs, on a
// clock moved on past the readers' 14-day notice and the channel's 30 quiet
// days (issue 20, item 4).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startServer } from './lib/server.mjs';
import { launch, phonePage, horizontalOverflow } from './lib/browser.mjs';
import { violations } from './lib/axe.mjs';
import { checkStatus } from './lib/form.mjs';
import { addUser, fileComplaint, consoleLogin, unexpectedProblems } from './lib/console.mjs';

const KRASIPD = process.env.KRASIPD ?? new URL('../../build/server/krasipd', import.meta.url).pathname;
const DESCRIPTION = 'เจ้าหน้าที่กองคลังเรียกเงินเพื่อเร่งเบิกจ่าย ทดสอบส่งไฟล์ถึงผู้ร้อง';
const FILE_NAME = 'หนังสือแจ้งผลการตรวจสอบ.pdf';

let server;
let browser;
let malee;
let complaint;
let pdf;
let pdfPath;

before(async () => {
  server = await startServer(['--fast-kdf']);
  malee = addUser(server, { username: 'malee', name: 'มาลี ผู้ดูแล', password: 'correct horse battery staple 1', custodian: true });
  const data = join(server.dir, 'data');
  execFileSync(KRASIPD, ['deployment', 'set', '--data-dir', data, '--retention-floor-days', '0'], { stdio: 'pipe' });
  execFileSync(KRASIPD, ['channel', 'edit', '--data-dir', data, '--id', 'default', '--retention-days', '0'], { stdio: 'pipe' });
  complaint = await fileComplaint(server.origin, { description: DESCRIPTION });
  // A PDF with bytes of every value, so a text round trip would show.
  const bytes = [Buffer.from('%PDF-1.4\n1 0 obj\n<< /Title (letter) >>\nendobj\n')];
  for (let i = 0; i < 2000; i += 1) bytes.push(Buffer.from([i % 256, (i * 7) % 256, 255 - (i % 256)]));
  pdf = Buffer.concat(bytes);
  pdfPath = join(mkdtempSync(join(tmpdir(), 'krasip-file-')), FILE_NAME);
  writeFileSync(pdfPath, pdf);
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.stop(); });

test('an investigator sends the reporter a file; the reporter downloads the same bytes', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'th-TH', acceptDownloads: true });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(`${server.origin}/console/`);
  await consoleLogin(page, malee);
  await page.locator(`a[href="#/case/${complaint.case_number}"]`).click();
  await page.waitForFunction((d) => document.querySelector('[data-testid=case-description]')?.textContent === d, DESCRIPTION);

  assert.equal(await page.locator('label[for=send-file]').innerText(), 'ส่งไฟล์ถึงผู้ร้องเรียน');
  // No file chosen: said, nothing sent.
  await page.click('#send-file-submit');
  await page.locator('#send-file-result.is-error').waitFor();
  assert.deepEqual(await violations(page), [], 'axe on the case view with the file form');

  await page.setInputFiles('#send-file', pdfPath);
  await page.click('#send-file-submit');
  await page.locator('#send-file-result.is-ok').waitFor();
  assert.equal(await page.locator('#send-file-result').innerText(), 'ส่งไฟล์ถึงผู้ร้องเรียนแล้ว');
  await page.waitForFunction((n) => document.querySelector('#case-attachments')?.textContent.includes(n), FILE_NAME);
  assert.deepEqual(unexpectedProblems(problems), []);

  // The reporter, on a phone, with the tracking code.
  const phone = await phonePage(browser);
  const status = phone.page;
  await status.goto(`${server.origin}/embed/status.html`);
  await checkStatus(status, complaint.tracking_code);
  const item = status.locator('[data-testid=status-files] li');
  await item.first().waitFor();
  assert.equal(await item.count(), 1);
  assert.equal(await item.locator('.file-name').innerText(), FILE_NAME);
  assert.ok((await item.innerText()).includes('เจ้าหน้าที่'), await item.innerText());
  assert.deepEqual(await violations(status), [], 'axe (th) on the status page with a file');
  assert.ok(await horizontalOverflow(status) <= 0, 'no sideways scrolling at 360 px');

  const [download] = await Promise.all([status.waitForEvent('download'), item.locator('button[data-download]').click()]);
  assert.equal(download.suggestedFilename(), FILE_NAME);
  assert.ok(Buffer.compare(readFileSync(await download.path()), pdf) === 0, 'the same bytes');
  await status.locator('#status-files-result').filter({ hasText: 'ดาวน์โหลดไฟล์แล้ว' }).waitFor();

  await status.click('button[data-lang=en]');
  await status.locator('button[data-download]', { hasText: 'Download' }).waitFor();
  assert.deepEqual(await violations(status), [], 'axe (en) on the status page with a file');
  await status.click('button[data-lang=th]');

  // Issue 13, item 6: the case is closed and, its channel keeping closed
  // cases 0 days, purged; the same code then says so, Thai first.
  const moved = await page.evaluate(async (n) => {
    const me = await (await fetch('/api/v1/auth/me')).json();
    const codes = [];
    for (const status of ['acknowledged', 'investigating', 'substantiated', 'closed']) {
      const r = await fetch(`/api/v1/cases/${n}`, {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token },
        body: JSON.stringify({ status }),
      });
      codes.push(r.status);
    }
    return codes;
  }, complaint.case_number);
  assert.deepEqual(moved, [200, 200, 200, 200]);
  await context.close();
  const data = join(server.dir, 'data');
  const clock = join(server.dir, 'clock-offset');
  const purgeAt = (days) => {
    writeFileSync(clock, String(days * 86400));
    return execFileSync(KRASIPD, ['purge', '--data-dir', data, '--clock-offset-file', clock], { encoding: 'utf8' });
  };
  const announced = purgeAt(31);
  assert.ok(announced.includes('1 case(s) announced'), announced);
  assert.ok(!announced.includes(`purged ${complaint.case_number}`), `not before the notice: ${announced}`);
  const out = purgeAt(46);
  assert.ok(out.includes(`purged ${complaint.case_number}`), out);
  const purgedYear = new Date(Date.now() + 46 * 86400 * 1000).getUTCFullYear() + 543;

  await status.click('#status-clear');
  await checkStatus(status, complaint.tracking_code);
  const notice = status.locator('[data-testid=status-purged]');
  await notice.waitFor();
  const text = await notice.innerText();
  assert.ok(text.includes('ถูกลบ'), text);
  assert.ok(text.includes(String(purgedYear)), `a B.E. date: ${text}`);
  assert.equal(await status.locator('[data-testid=case-status]').innerText(), 'ปิดเรื่องและลบข้อมูลแล้ว');
  assert.equal(await status.locator('[data-testid=status-submission]').isVisible(), false);
  assert.equal(await status.locator('[data-testid=status-files]').isVisible(), false);
  assert.deepEqual(await violations(status), [], 'axe (th) on a purged case');
  await status.click('button[data-lang=en]');
  await status.locator('[data-testid=status-purged]', { hasText: 'deleted on' }).waitFor();
  assert.deepEqual(await violations(status), [], 'axe (en) on a purged case');
  await phone.context.close();
});
