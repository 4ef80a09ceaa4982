// E-mail alerts in the console (issue 12): an investigator picks alerts and
// an address on a phone, in Thai, and is told a confirmation mail is on its
// way; the confirmation page refuses a wrong link; an administrator's health
// page shows the disk in whole GiB and the unsent mail and why, as of the
// start of the day (issue 21). axe finds nothing in Thai or English.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launch, phonePage, horizontalOverflow } from './lib/browser.mjs';
import { violations } from './lib/axe.mjs';
import { addUser, consoleLogin, unexpectedProblems } from './lib/console.mjs';
import { testClock } from './lib/clock.mjs';

let server;
let browser;
let somchai;
let admin;
const clock = testClock();

before(async () => {
  server = await startServer(['--fast-kdf', '--public-url', 'https://krasip.example.go.th', '--mail-poll-ms', '200',
    '--clock-offset-file', clock.file]);
  somchai = addUser(server, { username: 'somchai', name: 'สมชาย ผู้ตรวจสอบ', password: 'correct horse battery staple 2', clock });
  admin = addUser(server, { username: 'wanida', name: 'วนิดา ผู้ดูแลระบบ', password: 'correct horse battery staple 3', admin: true, clock });
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.stop(); });

test('an investigator chooses alerts and an address by keyboard, in Thai then English', async () => {
  const { context, page } = await phonePage(browser, { width: 360, height: 800 });
  await page.goto(`${server.origin}/console/`);
  await consoleLogin(page, somchai);
  assert.ok(await page.locator('#nav-health').isHidden(), 'no health link for a non-administrator');
  await page.click('a[data-nav=alerts]');
  await page.locator('#screen-alerts:not([hidden])').waitFor();
  assert.equal(await page.locator('#alerts-h1').innerText(), 'การแจ้งเตือนทางอีเมล');
  await page.locator('[data-testid=alerts-email-state]', { hasText: 'ยังไม่ได้ตั้งอีเมล' }).waitFor();
  assert.ok(await page.locator('#alerts-new-case').isChecked(), 'alerts are on by default');
  assert.deepEqual(await violations(page), [], 'axe (th) on the alerts page');

  await page.fill('#alerts-email', 'not an address');
  await page.locator('#alerts-form button[type=submit]').focus();
  await page.keyboard.press('Enter');
  await page.locator('[data-testid=alerts-result]', { hasText: 'รูปแบบอีเมลไม่ถูกต้อง' }).waitFor();

  await page.fill('#alerts-email', 'somchai@agency.example.go.th');
  await page.locator('#alerts-digest').focus();
  await page.keyboard.press('Space');
  await page.locator('#alerts-form button[type=submit]').focus();
  await page.keyboard.press('Enter');
  await page.locator('[data-testid=alerts-result]', { hasText: 'ส่งอีเมลยืนยันไปที่ somchai@agency.example.go.th แล้ว' }).waitFor();
  await page.locator('[data-testid=alerts-email-state]', { hasText: 'รอการยืนยัน' }).waitFor();

  // Stored: a fresh visit shows the choices.
  await page.reload();
  await page.locator('#screen-alerts:not([hidden])').waitFor();
  await page.locator('[data-testid=alerts-email-state]', { hasText: 'รอการยืนยัน' }).waitFor();
  assert.equal(await page.inputValue('#alerts-email'), 'somchai@agency.example.go.th');
  assert.equal(await page.isChecked('#alerts-digest'), false);
  assert.equal(await page.isChecked('#alerts-reporter'), true);

  await page.click('button[data-lang=en]');
  assert.equal(await page.locator('#alerts-h1').innerText(), 'E-mail alerts');
  assert.deepEqual(await violations(page), [], 'axe (en) on the alerts page');
  assert.ok(await horizontalOverflow(page) <= 0, 'no sideways scroll at 360 px');
  await page.click('button[data-lang=th]');
  assert.deepEqual(unexpectedProblems(page.problems), []);
  await context.close();
});

test('the confirmation page refuses a wrong link and keeps no token in the address bar', async () => {
  const { context, page } = await phonePage(browser);
  await page.goto(`${server.origin}/console/verify-email.html#${'ab'.repeat(32)}`);
  await page.locator('[data-testid=verify-result]', { hasText: 'ลิงก์ไม่ถูกต้องหรือหมดอายุแล้ว' }).waitFor();
  assert.equal(new URL(page.url()).hash, '');
  assert.deepEqual(await violations(page), [], 'axe on the confirmation page');
  await context.close();
});

test('an administrator sees the health page: whole GiB, and the unsent mail and its error only from the next day', async () => {
  const openHealth = async () => {
    const { context, page } = await phonePage(browser);
    await page.goto(`${server.origin}/console/`);
    await consoleLogin(page, admin);
    await page.click('a[data-nav=health]');
    await page.locator('#screen-health:not([hidden])').waitFor();
    const facts = page.locator('[data-testid=health-facts]');
    await facts.locator('dd', { hasText: 'บันทึกข้อมูลได้ตามปกติ' }).waitFor();
    return { context, page, facts };
  };
  // somchai's confirmation mail waits (this agency has no mail settings
  // yet), but it was queued today: the page shows the outbox as it stood at
  // 00:00, so nothing yet.
  let { context, page, facts } = await openHealth();
  let text = await facts.innerText();
  assert.match(text, /\d+ GiB จาก \d+ GiB · (เพียงพอ|เหลือน้อย)/);
  assert.match(text, /อีเมลที่ยังไม่ได้ส่ง เมื่อเริ่มวันนี้ \(00:00 น\.\)\s*0 ฉบับ/);
  assert.doesNotMatch(text, /no mail settings/);
  await page.getByText('ตัวเลขของอีเมลเปลี่ยนวันละครั้ง').waitFor();
  await context.close();

  // The next day: the mail that waited at 00:00, the day it was queued, and why.
  clock.advance(86400);
  ({ context, page, facts } = await openHealth());
  for (let i = 0; i < 50; i += 1) {
    if ((await facts.innerText()).includes('krasipd mail set')) break;
    await page.click('#health-refresh');
    await page.waitForTimeout(200);
  }
  text = await facts.innerText();
  assert.match(text, /อีเมลที่ยังไม่ได้ส่ง เมื่อเริ่มวันนี้ \(00:00 น\.\)\s*1 ฉบับ/);
  assert.match(text, /รอตั้งแต่วันที่\s*\d{1,2} \S+ 25\d\d/);
  assert.doesNotMatch(text, /เวลา \d\d:\d\d/, 'days, not times of day');
  assert.match(text, /no mail settings for this agency/);
  assert.match(text, /ไม่พบบันทึกการสำรองข้อมูล/);
  assert.deepEqual(await violations(page), [], 'axe (th) on the health page');
  await page.click('button[data-lang=en]');
  assert.match(await facts.innerText(), /\d+ GiB of \d+ GiB · (enough|low)/);
  assert.match(await facts.innerText(), /Oldest waiting since\s*\d{1,2} [A-Z][a-z]+ 25\d\d B\.E\./);
  assert.deepEqual(await violations(page), [], 'axe (en) on the health page');
  await page.click('button[data-lang=th]');
  await context.close();
});
