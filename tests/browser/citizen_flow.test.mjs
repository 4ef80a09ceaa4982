// A citizen on a small phone files a complaint in Thai, keeps the tracking
// code from the receipt and checks the status with it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launch, phonePage, horizontalOverflow, SCREENSHOTS } from './lib/browser.mjs';

let server;
let browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

const DESCRIPTION = 'เจ้าหน้าที่กองช่างเรียกเงินสามพันบาทเพื่อเร่งออกใบอนุญาต เมื่อวันที่ ๑๒ มีนาคม';

test('file a complaint on a 360 px phone in Thai, then follow it with the code', async () => {
  const { context, page } = await phonePage(browser);
  await page.goto(`${server.origin}/report.html`);
  assert.equal(await page.getAttribute('html', 'lang'), 'th');
  await page.locator('#submit-report:not([disabled])').waitFor();
  await page.screenshot({ path: `${SCREENSHOTS}/01-report-form.png`, fullPage: true });
  assert.ok(await horizontalOverflow(page) <= 0, 'the form must not scroll sideways at 360 px');

  await page.selectOption('#category', 'bribery');
  await page.fill('#subject-name', 'นายช่าง ไม่ระบุ');
  await page.fill('#description', DESCRIPTION);
  await page.check('#accept-terms');
  await page.click('#submit-report');

  const codeEl = page.locator('[data-testid=tracking-code]');
  await codeEl.waitFor();
  const code = (await codeEl.innerText()).replace(/\s+/g, '');
  assert.match(code, /^\d{7}-\d{7}-\d{7}$/);
  const caseNumber = await page.locator('[data-testid=case-number]').innerText();
  assert.match(caseNumber, /^NH-25\d\d-\d{5}$/);
  // Buddhist Era on the receipt: the year shown is CE + 543.
  const received = await page.locator('#receipt-received-at').innerText();
  assert.ok(received.includes(String(new Date().getFullYear() + 543)), `B.E. year in "${received}"`);
  await page.screenshot({ path: `${SCREENSHOTS}/02-receipt.png`, fullPage: true });
  assert.ok(!page.url().includes(code.slice(0, 7)), 'the code never goes into the URL');

  await page.goto(`${server.origin}/status.html`);
  await page.locator('#submit-status:not([disabled])').waitFor();
  await page.fill('#tracking-code', code);
  await page.click('#submit-status');
  await page.locator('[data-testid=case-status]').waitFor();
  assert.equal(await page.locator('[data-testid=case-status]').getAttribute('data-status'), 'received');
  assert.equal(await page.locator('[data-testid=case-status]').innerText(), 'ได้รับเรื่องแล้ว');
  assert.equal(await page.locator('#sub-description').innerText(), DESCRIPTION);
  assert.equal(await page.locator('[data-testid=status-case-number]').innerText(), caseNumber);
  assert.ok(await horizontalOverflow(page) <= 0);
  await page.screenshot({ path: `${SCREENSHOTS}/03-status.png`, fullPage: true });
  assert.ok(!page.url().includes(code.slice(0, 7)));
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
  assert.ok(!stored.includes(code.slice(0, 7)), 'the code is not kept in web storage');

  assert.deepEqual([...page.hosts], [`127.0.0.1:${server.port}`], 'no request leaves for a third-party host');
  assert.deepEqual(page.problems, [], 'no console errors or CSP violations');
  await context.close();
});

test('a mistyped code is told apart from an unknown one, in Thai', async () => {
  const { context, page } = await phonePage(browser);
  await page.goto(`${server.origin}/status.html`);
  await page.locator('#submit-status:not([disabled])').waitFor();
  await page.fill('#tracking-code', '1234567-1234567-1234560');
  await page.click('#submit-status');
  await page.locator('#tracking-code-error:not([hidden])').waitFor();
  const typo = await page.locator('#tracking-code-error').innerText();
  await page.fill('#tracking-code', '0000000-0000000-0000000');
  await page.click('#submit-status');
  await page.waitForFunction((before) => document.querySelector('#tracking-code-error').innerText !== before, typo);
  const unknown = await page.locator('#tracking-code-error').innerText();
  assert.notEqual(typo, unknown);
  assert.match(unknown, /ไม่พบ/);
  await context.close();
});

test('the form explains field errors next to the field, and works in English', async () => {
  const { context, page } = await phonePage(browser);
  await page.goto(`${server.origin}/report.html`);
  await page.locator('#submit-report:not([disabled])').waitFor();
  await page.click('button[data-lang=en]');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await page.click('#submit-report');
  await page.locator('#description-error:not([hidden])').waitFor();
  assert.equal(await page.getAttribute('#description', 'aria-invalid'), 'true');
  assert.ok((await page.locator('#description-error').innerText()).length > 0);
  await page.screenshot({ path: `${SCREENSHOTS}/04-errors-en.png`, fullPage: true });
  await context.close();
});
