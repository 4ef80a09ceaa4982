// Administration in the console (issues 12 and 20): on a phone, in Thai, by
// keyboard, an administrator creates an account after confirming it is them
// (step-up): its one-time enrolment link is shown once, as text and QR code,
// and is gone after a reload (governance.test.mjs follows a link to the
// end). A custodian likewise; the first account is disabled and enabled
// again, and a channel's description edited, each with a step-up (before
// the agency's first case, they apply at once). axe finds nothing on the
// three pages in Thai or English. The server's clock is the test's
// (lib/clock.mjs), so each step-up gets a fresh TOTP step without waiting.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launch, phonePage, horizontalOverflow } from './lib/browser.mjs';
import { violations } from './lib/axe.mjs';
import { testClock } from './lib/clock.mjs';
import { addUser, consoleLogin, unexpectedProblems } from './lib/console.mjs';

let server;
let browser;
let admin;

before(async () => {
  const clock = testClock();
  server = await startServer(['--fast-kdf', '--clock-offset-file', clock.file]);
  admin = addUser(server, { username: 'wanida', name: 'วนิดา ผู้ดูแลระบบ', password: 'correct horse battery staple 3', admin: true, clock });
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.stop(); });

async function submitBy(page, selector) {
  await page.locator(selector).focus();
  await page.keyboard.press('Enter');
}

// The step-up dialog, by keyboard: the password field has the focus.
async function stepUpByKeyboard(page) {
  await page.locator('#stepup-dialog[open]').waitFor();
  await page.keyboard.type(admin.password);
  await page.keyboard.press('Tab');
  await page.keyboard.type(admin.nextCode());
  await page.keyboard.press('Enter');
}

test('an administrator manages accounts and a channel by keyboard on a phone, in Thai and English', async () => {
  const { context, page } = await phonePage(browser, { width: 360, height: 800 });
  await page.goto(`${server.origin}/console/`);
  await consoleLogin(page, admin);

  // Accounts: an investigator, with a step-up.
  await page.locator('a[data-nav=accounts]').focus();
  await page.keyboard.press('Enter');
  await page.locator('#screen-accounts:not([hidden])').waitFor();
  assert.equal(await page.locator('#accounts-h1').innerText(), 'บัญชีผู้ใช้');
  await page.locator('[data-testid=accounts-table] tr[data-username=wanida]').waitFor();
  assert.deepEqual(await violations(page), [], 'axe (th) on the accounts page');

  await page.locator('#account-username').focus();
  await page.keyboard.type('Bad Name');
  await submitBy(page, '#account-add-form button[type=submit]');
  await page.locator('[data-testid=account-add-result]', { hasText: 'กรุณากรอกชื่อผู้ใช้' }).waitFor();
  await page.fill('#account-username', 'malee');
  await page.locator('#account-name').focus();
  await page.keyboard.type('มาลี ผู้ตรวจสอบ');
  await submitBy(page, '#account-add-form button[type=submit]');
  await page.locator('#stepup-dialog[open]').waitFor();
  assert.deepEqual(await violations(page), [], 'axe (th) on the step-up dialog');
  await stepUpByKeyboard(page);
  const card = page.locator('[data-testid=accounts-enrolment]');
  await card.waitFor();
  await page.locator('[data-testid=enrolment-qr] svg').waitFor();
  assert.ok(await page.locator('[data-testid=enrolment-qr] svg').isVisible(), 'the QR code of the link is drawn');
  const link = await page.locator('[data-testid=enrolment-link]').innerText();
  assert.match(link, /\/console\/enrol\.html#[0-9a-f]{64}$/);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'enrolment-h2', 'the focus goes to the link\'s heading');
  assert.ok(!(await card.innerText()).match(/otpauth|รหัสผ่านแรก/), 'no password and no TOTP secret for the administrator');
  await page.locator('tr[data-username=malee]', { hasText: 'รอเจ้าของบัญชีลงทะเบียน' }).waitFor();
  assert.deepEqual(await violations(page), [], 'axe (th) with the enrolment link shown');
  assert.ok(await horizontalOverflow(page) <= 0, 'no sideways scroll at 360 px with the QR code');
  await submitBy(page, '[data-testid=enrolment-copy]');
  await page.locator('#enrolment-copy-status:not(:empty)').waitFor();

  // Shown once: a reload brings the list back, not the link.
  await page.reload();
  await page.locator('#screen-accounts:not([hidden])').waitFor();
  await page.locator('[data-testid=accounts-table] tr[data-username=malee]').waitFor();
  assert.ok(await card.isHidden());
  assert.ok(!(await page.content()).includes(link.split('#')[1]), 'no link in the page after a reload');

  // A custodian: the same, and the link is hidden on request.
  await page.fill('#account-username', 'krit');
  await page.fill('#account-name', 'กฤษ ผู้ดูแลข้อมูล');
  await page.locator('#account-custodian').focus();
  await page.keyboard.press('Space');
  await submitBy(page, '#account-add-form button[type=submit]');
  await stepUpByKeyboard(page);
  await page.locator('[data-testid=account-add-result]', { hasText: 'สร้างบัญชี krit แล้ว' }).waitFor();
  await page.locator('[data-testid=enrolment-qr] svg').waitFor();
  await submitBy(page, '[data-testid=enrolment-done]');
  assert.ok(await card.isHidden());
  assert.equal(await page.locator('[data-testid=enrolment-link]').innerText(), '');

  // Disable malee (the browser's own confirmation, then a step-up), and
  // enable her again.
  page.once('dialog', (d) => d.accept());
  await submitBy(page, '[data-testid=disable-malee]');
  await stepUpByKeyboard(page);
  await page.locator('[data-testid=accounts-result]', { hasText: 'ปิดใช้งานบัญชี malee แล้ว' }).waitFor();
  await page.locator('tr[data-username=malee]', { hasText: 'ปิดใช้งานแล้ว' }).waitFor();
  await submitBy(page, '[data-testid=enable-malee]');
  await stepUpByKeyboard(page);
  await page.locator('[data-testid=accounts-result]', { hasText: 'เปิดใช้งานบัญชี malee อีกครั้งแล้ว' }).waitFor();
  await page.locator('tr[data-username=malee]', { hasText: 'รอเจ้าของบัญชีลงทะเบียน' }).waitFor();

  // Channels: any change asks for a step-up (issue 20); before the agency's
  // first case it applies at once.
  await page.locator('a[data-nav=channels]').focus();
  await page.keyboard.press('Enter');
  await page.locator('#screen-channels:not([hidden])').waitFor();
  await page.locator('#channel-recipients input[value=wanida]').waitFor();
  assert.deepEqual(await violations(page), [], 'axe (th) on the channels page');
  await page.fill('#channel-description_en', 'Complaints about staff of the subdistrict office');
  await submitBy(page, '#channel-form button[type=submit]');
  await stepUpByKeyboard(page);
  await page.locator('[data-testid=channel-result]', { hasText: 'บันทึกช่องทาง default แล้ว' }).waitFor();
  await submitBy(page, '#channel-form button[type=submit]');
  await page.locator('[data-testid=channel-result]', { hasText: 'ไม่มีการเปลี่ยนแปลง' }).waitFor();
  assert.ok(await page.locator('#stepup-dialog').evaluate((d) => !d.open), 'nothing changed: no step-up');
  await page.reload();
  await page.locator('#screen-channels:not([hidden])').waitFor();
  await page.locator('#channel-recipients input[value=wanida]').waitFor();
  assert.equal(await page.inputValue('#channel-description_en'), 'Complaints about staff of the subdistrict office');
  assert.ok(await horizontalOverflow(page) <= 0, 'no sideways scroll at 360 px on channels');

  // The agency page, and the three pages in English.
  await page.click('a[data-nav=agency]');
  await page.locator('#screen-agency:not([hidden])').waitFor();
  await page.locator('#mail-password-state', { hasText: 'ยังไม่มีรหัสผ่าน' }).waitFor();
  // When alerts go out (issue 21): the default batches, labelled.
  assert.equal(await page.inputValue('#mail-batch_times'), '08:30 13:30');
  assert.match(await page.locator('label[for=mail-batch_times]').innerText(), /เวลาส่งแจ้งเตือน/);
  assert.deepEqual(await violations(page), [], 'axe (th) on the agency page');
  await page.fill('#agency-origins', 'ftp://nope');
  await submitBy(page, '#agency-form button[type=submit]');
  await page.locator('#agency-origins-error:not([hidden])').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'agency-origins', 'the cursor goes to the refused field');
  assert.ok(await horizontalOverflow(page) <= 0, 'no sideways scroll at 360 px on the agency page');

  await page.click('button[data-lang=en]');
  assert.equal(await page.locator('#agency-h1').innerText(), 'Agency settings');
  assert.deepEqual(await violations(page), [], 'axe (en) on the agency page');
  await page.click('a[data-nav=channels]');
  await page.locator('#channel-recipients input[value=wanida]').waitFor();
  assert.deepEqual(await violations(page), [], 'axe (en) on the channels page');
  await page.click('a[data-nav=accounts]');
  await page.locator('tr[data-username=krit]').waitFor();
  assert.equal(await page.locator('#accounts-h1').innerText(), 'Accounts');
  assert.deepEqual(await violations(page), [], 'axe (en) on the accounts page');
  await page.click('button[data-lang=th]');
  // The refused origin above is a 400 answer the test asked for.
  assert.deepEqual(unexpectedProblems(page.problems).filter((p) => !/status of 400/.test(p)), []);
  await context.close();
});
