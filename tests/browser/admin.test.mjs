// Administration in the console (issue 12): on a phone, in Thai, by
// keyboard, an administrator creates an account (its QR code and first
// password shown once, gone after a reload; the account signs in with
// them), creates a custodian after confirming it is them (step-up), disables
// the first account and edits a channel's description. axe finds nothing
// on the three pages in Thai or English.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launch, phonePage, horizontalOverflow } from './lib/browser.mjs';
import { violations } from './lib/axe.mjs';
import { addUser, base32Decode, consoleLogin, currentStep, totpAt, unexpectedProblems } from './lib/console.mjs';

let server;
let browser;
let admin;

before(async () => {
  server = await startServer(['--fast-kdf']);
  admin = addUser(server, { username: 'wanida', name: 'วนิดา ผู้ดูแลระบบ', password: 'correct horse battery staple 3', admin: true });
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.stop(); });

async function submitBy(page, selector) {
  await page.locator(selector).focus();
  await page.keyboard.press('Enter');
}

test('an administrator manages accounts and a channel by keyboard on a phone, in Thai and English', async () => {
  const { context, page } = await phonePage(browser, { width: 360, height: 800 });
  await page.goto(`${server.origin}/console/`);
  await consoleLogin(page, admin);

  // Accounts: an investigator, no step-up.
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
  const secrets = page.locator('[data-testid=accounts-secrets]');
  await secrets.waitFor();
  await page.locator('[data-testid=accounts-qr] svg').waitFor();
  assert.ok(await page.locator('[data-testid=accounts-qr] svg').isVisible(), 'the QR code is drawn');
  const password = await page.locator('[data-testid=accounts-password]').innerText();
  const secret = await page.locator('[data-testid=accounts-totp-secret]').innerText();
  assert.ok(password.length >= 12, 'a first password is shown');
  assert.match(secret, /^[A-Z2-7]+=*$/);
  assert.deepEqual(await violations(page), [], 'axe (th) with the sign-in details shown');
  assert.ok(await horizontalOverflow(page) <= 0, 'no sideways scroll at 360 px with the QR code');

  // Shown once: a reload brings the list back, not the secrets.
  await page.reload();
  await page.locator('#screen-accounts:not([hidden])').waitFor();
  await page.locator('[data-testid=accounts-table] tr[data-username=malee]').waitFor();
  assert.ok(await secrets.isHidden());
  const html = await page.content();
  assert.ok(!html.includes(password) && !html.includes(secret), 'no secret in the page after a reload');

  // The new account signs in with what was shown.
  {
    const other = await phonePage(browser);
    await other.page.goto(`${server.origin}/console/`);
    const key = base32Decode(secret);
    await consoleLogin(other.page, { username: 'malee', password, nextCode: () => totpAt(key, currentStep()) });
    assert.equal(await other.page.locator('[data-testid=session-name]').innerText(), 'มาลี ผู้ตรวจสอบ');
    assert.ok(await other.page.locator('a[data-nav=accounts]').isHidden(), 'no administration for an investigator');
    await other.context.close();
  }

  // A custodian: the console asks for the password and a fresh code.
  await page.fill('#account-username', 'krit');
  await page.fill('#account-name', 'กฤษ ผู้ดูแลข้อมูล');
  await page.locator('#account-custodian').focus();
  await page.keyboard.press('Space');
  await submitBy(page, '#account-add-form button[type=submit]');
  await page.locator('#stepup-dialog[open]').waitFor();
  assert.deepEqual(await violations(page), [], 'axe (th) on the step-up dialog');
  await page.keyboard.type(admin.password); // the password field has the focus
  await page.keyboard.press('Tab');
  await page.keyboard.type(admin.nextCode());
  await page.keyboard.press('Enter');
  await page.locator('[data-testid=account-add-result]', { hasText: 'สร้างบัญชี krit แล้ว' }).waitFor();
  await page.locator('[data-testid=accounts-qr] svg').waitFor();
  await submitBy(page, '#accounts-secrets-done');
  assert.ok(await secrets.isHidden());
  assert.equal(await page.locator('[data-testid=accounts-password]').innerText(), '');

  // Disable malee (the browser's own confirmation).
  page.once('dialog', (d) => d.accept());
  await submitBy(page, '[data-testid=disable-malee]');
  await page.locator('[data-testid=accounts-result]', { hasText: 'ปิดใช้งานบัญชี malee แล้ว' }).waitFor();
  await page.locator('tr[data-username=malee]', { hasText: 'ปิดใช้งานแล้ว' }).waitFor();

  // Channels: a description is not a change of readers, so no step-up.
  await page.locator('a[data-nav=channels]').focus();
  await page.keyboard.press('Enter');
  await page.locator('#screen-channels:not([hidden])').waitFor();
  await page.locator('#channel-recipients input[value=wanida]').waitFor();
  assert.deepEqual(await violations(page), [], 'axe (th) on the channels page');
  await page.fill('#channel-description_en', 'Complaints about staff of the subdistrict office');
  await submitBy(page, '#channel-form button[type=submit]');
  await page.locator('[data-testid=channel-result]', { hasText: 'บันทึกช่องทาง default แล้ว' }).waitFor();
  await page.reload();
  await page.locator('#screen-channels:not([hidden])').waitFor();
  await page.locator('#channel-recipients input[value=wanida]').waitFor();
  assert.equal(await page.inputValue('#channel-description_en'), 'Complaints about staff of the subdistrict office');
  assert.ok(await horizontalOverflow(page) <= 0, 'no sideways scroll at 360 px on channels');

  // The agency page, and the three pages in English.
  await page.click('a[data-nav=agency]');
  await page.locator('#screen-agency:not([hidden])').waitFor();
  await page.locator('#mail-password-state', { hasText: 'ยังไม่มีรหัสผ่าน' }).waitFor();
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
