// Issue 22: a reporter whose browser runs no JavaScript (Tor Browser's
// "Safest" level) files, gets the receipt, adds evidence, follows the case,
// writes and reads messages, in Chromium with JavaScript disabled at a phone's
// width. Every page is axe clean; reloading or going back files nothing
// twice and shows no tracking code again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launch, horizontalOverflow } from './lib/browser.mjs';
import { violations } from './lib/axe.mjs';
import { addUser } from './lib/console.mjs';

const FIXTURE = new URL('../fixtures/tiny.jpg', import.meta.url).pathname;
const ONION = 'krasipexampleonionaddressforteststhatis56charslongabcxyd.onion';
const DESCRIPTION = 'เจ้าหน้าที่เรียกรับเงินค่าอนุญาตก่อสร้าง 3,000 บาท <b>ไม่ใช่ตัวหนา</b>';

let server;
let browser;
let officer;

before(async () => {
  server = await startServer(['--fast-kdf', '--onion-address', ONION]);
  officer = addUser(server, { username: 'somchai', name: 'สมชาย ผู้รับเรื่อง', password: 'correct horse battery staple 9' });
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.stop(); });

// axe runs in the page, which a page without JavaScript cannot do: the
// same answer (these pages hold no script, so the same DOM) is shown again
// in a tab that runs scripts, with the same styles from the server.
let axeContext;
async function axeClean(page, what) {
  const html = await page.lastDocument.text();
  axeContext ??= await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'th-TH' });
  const tab = await axeContext.newPage();
  const url = page.url();
  await tab.route(url, (route) => route.fulfill({ body: html, contentType: 'text/html; charset=utf-8' }));
  await tab.goto(url);
  assert.deepEqual(await violations(tab), [], `axe on ${what}`);
  await tab.close();
}

// The investigator answers through the API (the console is tested elsewhere).
async function reply(caseNumber, body) {
  const login = await fetch(`${server.origin}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: officer.username, password: officer.password, totp: officer.nextCode() }),
  });
  assert.equal(login.status, 200);
  const cookie = login.headers.get('set-cookie').split(';')[0];
  const { csrf_token: csrf } = await login.json();
  const res = await fetch(`${server.origin}/api/v1/cases/${caseNumber}/messages`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Cookie: cookie, 'X-CSRF-Token': csrf },
    body: JSON.stringify({ body }),
  });
  assert.equal(res.status, 201);
}

test('the whole reporter journey works with JavaScript off', async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'th-TH', javaScriptEnabled: false });
  const page = await context.newPage();
  const scripts = [];
  page.on('request', (r) => { if (r.resourceType() === 'script') scripts.push(r.url()); });
  page.on('response', (r) => { if (r.request().resourceType() === 'document') page.lastDocument = r; });

  // The agency's page: the widget cannot run, its <noscript> link leads on.
  await page.goto(`${server.origin}/`);
  await page.locator('[data-testid=widget-noscript]').click();
  await page.waitForURL(/\/plain\/report\?agency=nh$/);
  const head = await page.request.get(`${server.origin}/plain/report?agency=nh`);
  assert.match(head.headers()['content-security-policy'], /script-src 'self'/);
  assert.equal(head.headers()['cache-control'], 'no-store');
  assert.equal(head.headers()['onion-location'], `http://${ONION}/plain/report?agency=nh`);
  assert.doesNotMatch(await head.text(), /<script/);
  await axeClean(page, 'the form');
  assert.ok(await horizontalOverflow(page) <= 0, 'no sideways scrolling at 360 px');

  // Nothing filled: the same Thai error as the scripted form, by its field.
  await page.getByRole('button', { name: 'ถัดไป: ตรวจทานก่อนส่ง' }).click();
  assert.equal(await page.locator('#subject-name').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('#subject-name-error').innerText(), 'กรุณากรอกข้อมูลนี้');
  await axeClean(page, 'the form with an error');

  await page.locator('#subject-name').fill('นายช่าง ไม่ระบุ');
  await page.locator('#category').selectOption('bribery');
  await page.locator('#description').fill(DESCRIPTION);
  await page.locator('#identity-named').check();
  await page.locator('#identity-name').fill('สมหญิง ผู้แจ้ง');
  await page.locator('#identity-national-id').fill('๑-๑๐๑๗-๐๐๐๐๐-๔๖-๐');  // Thai digits, as typed
  await page.getByRole('button', { name: 'ถัดไป: ตรวจทานก่อนส่ง' }).click();
  await page.locator('#review-h').waitFor();
  assert.match(await page.locator('.review-facts').innerText(), /<b>ไม่ใช่ตัวหนา<\/b>/, 'text shown as typed, not as markup');
  await axeClean(page, 'the review');

  // Edit keeps everything; the terms are asked on the review.
  await page.getByRole('button', { name: 'แก้ไข' }).click();
  assert.equal(await page.locator('#description').inputValue(), DESCRIPTION);
  await page.getByRole('button', { name: 'ถัดไป: ตรวจทานก่อนส่ง' }).click();
  await page.locator('[data-testid=submit]').click();
  assert.equal(await page.locator('#accept-terms-error').innerText(), 'กรุณายอมรับเงื่อนไขก่อนส่งเรื่อง');
  await page.locator('#accept-terms').check();
  await page.locator('[data-testid=submit]').click();

  // The receipt: the code once, the onion address, a form for evidence.
  const code = (await page.locator('[data-testid=tracking-code]').innerText()).trim();
  const caseNumber = (await page.locator('[data-testid=case-number]').innerText()).trim();
  assert.match(code, /^\d{7}-\d{7}-\d{7}$/);
  assert.ok(!page.url().includes(code.replaceAll('-', '')) && !page.url().includes(code), 'the code is in no URL');
  assert.match(await page.locator('main').innerText(), new RegExp(ONION.replaceAll('.', '\\.')));
  await axeClean(page, 'the receipt');

  // Reloading the receipt re-sends the form: nothing filed twice, no code.
  await page.reload();
  assert.match(await page.locator('h1').innerText(), /ส่งเรื่องนี้ไปแล้ว/);
  assert.doesNotMatch(await page.content(), new RegExp(code));

  // Evidence from the status page: a photo, its metadata removed.
  await page.goto(`${server.origin}/plain/status?agency=nh`);
  await page.locator('#tracking-code').fill(code);
  await page.locator('[data-testid=status-submit]').click();
  assert.equal((await page.locator('[data-testid=status-case-number]').innerText()).trim(), caseNumber);
  await page.locator('#evidence-file').setInputFiles(FIXTURE);
  await page.getByRole('button', { name: 'ส่งไฟล์' }).click();
  assert.match(await page.locator('main').innerText(), /ได้รับไฟล์แล้ว: tiny\.jpg/);
  assert.match(await page.locator('[data-testid=status-files]').innerText(), /tiny\.jpg/);

  // Messages both ways.
  await page.locator('#message-body').fill('มีพยานอีกสองคน');
  await page.getByRole('button', { name: 'ส่งข้อความ' }).click();
  assert.match(await page.locator('main').innerText(), /ส่งข้อความแล้ว/);
  await reply(caseNumber, 'ได้รับเรื่องแล้ว ขอชื่อพยานด้วย');
  await page.goto(`${server.origin}/plain/status?agency=nh`);
  await page.locator('#tracking-code').fill(code);
  await page.locator('[data-testid=status-submit]').click();
  const messages = await page.locator('[data-testid=status-messages]').innerText();
  assert.match(messages, /มีพยานอีกสองคน/);
  assert.match(messages, /ได้รับเรื่องแล้ว ขอชื่อพยานด้วย/);
  assert.match(await page.locator('[data-testid=status-submission]').innerText(), /<b>ไม่ใช่ตัวหนา<\/b>/);
  await axeClean(page, 'the status page');

  // Back and Reload from the status page show no case: the code in the
  // resent body needs a fresh form.
  await page.reload();
  assert.doesNotMatch(await page.locator('main').innerText(), new RegExp(caseNumber));
  assert.match(await page.locator('main').innerText(), /กรุณากรอกรหัสติดตามเรื่องอีกครั้ง/);

  // A wrong code: the message by the field.
  await page.goto(`${server.origin}/plain/status?lang=en`);
  await page.locator('#tracking-code').fill('1234567-8901234-5678900');
  await page.locator('[data-testid=status-submit]').click();
  assert.match(await page.locator('#tracking-code-error').innerText(), /not valid|No complaint/);

  assert.deepEqual(scripts, [], 'no script was asked for');
  await context.close();
});
