// A citizen on a small phone files a complaint in Thai on Krasip's own pages,
// keeps the tracking code from the receipt and checks the status with it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launch, phonePage, horizontalOverflow, SCREENSHOTS } from './lib/browser.mjs';
import { DESCRIPTION, fileComplaint, checkStatus, formReady } from './lib/form.mjs';

let server;
let browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

test('file a complaint step by step on a 360 px phone in Thai, then follow it with the code', async () => {
  const { context, page } = await phonePage(browser);
  // The old address still leads to the form.
  await page.goto(`${server.origin}/report.html`);
  await page.waitForURL(/\/embed\/report\.html$/);
  assert.equal(await page.getAttribute('html', 'lang'), 'th');

  const shoot = async (name) => {
    assert.ok(await horizontalOverflow(page) <= 0, `${name} must not scroll sideways at 360 px`);
    await page.screenshot({ path: `${SCREENSHOTS}/page-${name}.png`, fullPage: true });
  };
  await formReady(page);
  assert.match(await page.locator('#step-progress').innerText(), /^ขั้นตอนที่ 1 จาก 6/);
  // The server announces uploads: the evidence step is on, hidden until reached.
  assert.equal(await page.locator('#step-evidence').isHidden(), true);
  const stepsSeen = [];
  const shootAndCount = async (name) => {
    if (name.startsWith('step')) stepsSeen.push((await page.locator('#step-progress').innerText()).split(':')[0]);
    await shoot(name);
  };

  const { code, caseNumber } = await fileComplaint(page, { shoot: shootAndCount });
  assert.deepEqual(stepsSeen, [1, 2, 3, 4, 5, 6].map((n) => `ขั้นตอนที่ ${n} จาก 6`));
  assert.match(code, /^\d{7}-\d{7}-\d{7}$/);
  assert.match(caseNumber, /^NH-25\d\d-\d{5}$/);
  // Buddhist Era on the receipt: the year shown is CE + 543.
  const received = await page.locator('#receipt-received-at').innerText();
  assert.ok(received.includes(String(new Date().getFullYear() + 543)), `B.E. year in "${received}"`);
  // Kept to the day (docs/security.md, "Times"): a date, no time of day.
  assert.ok(!/เวลา|\d:\d\d/.test(received), `a date only in "${received}"`);
  // The QR code is drawn (SVG, no inline style) and labelled.
  assert.equal(await page.locator('#receipt-qr svg[role=img]').count(), 1);
  assert.ok(!page.url().includes(code.slice(0, 7)), 'the code never goes into the URL');

  await page.goto(`${server.origin}/status.html`);
  await page.waitForURL(/\/embed\/status\.html$/);
  const status = await checkStatus(page, code);
  assert.equal(await status.getAttribute('data-status'), 'received');
  assert.equal(await status.innerText(), 'ได้รับเรื่องแล้ว');
  assert.equal(await page.locator('#sub-description').innerText(), DESCRIPTION);
  assert.equal(await page.locator('[data-testid=status-case-number]').innerText(), caseNumber);
  const receivedOn = await page.locator('#status-received-at').innerText();
  assert.ok(receivedOn.includes(String(new Date().getFullYear() + 543)) && !/เวลา|\d:\d\d/.test(receivedOn),
    `a B.E. date only in "${receivedOn}"`);
  // The server announces reporter messages: the form is offered, the list is empty.
  await page.locator('#message-form:visible').waitFor();
  assert.equal(await page.locator('#status-messages li').count(), 0);
  assert.equal(await page.locator('#status-messages-empty').isVisible(), true);
  assert.ok(await horizontalOverflow(page) <= 0);
  await page.screenshot({ path: `${SCREENSHOTS}/page-status.png`, fullPage: true });
  assert.ok(!page.url().includes(code.slice(0, 7)));
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
  assert.ok(!stored.includes(code.slice(0, 7)), 'the code is not kept in web storage');

  assert.deepEqual([...page.hosts], [`127.0.0.1:${server.port}`], 'no request leaves for a third-party host');
  assert.deepEqual(page.problems, [], 'no console errors or CSP violations');
  await context.close();
});

test('a mistyped code is told apart from an unknown one, in Thai', async () => {
  const { context, page } = await phonePage(browser);
  await page.goto(`${server.origin}/embed/status.html`);
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

test('each step explains field errors next to the field before moving on, in English too', async () => {
  const { context, page } = await phonePage(browser);
  await page.goto(`${server.origin}/embed/report.html`);
  await formReady(page);
  await page.click('button[data-lang=en]');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.match(await page.locator('#step-progress').innerText(), /^Step 1 of 6: Who it is about/);

  // Step 1: the subject's name is required; Next stays on the step.
  await page.click('#step-next');
  await page.locator('#subject-name-error:not([hidden])').waitFor();
  assert.equal(await page.getAttribute('#subject-name', 'aria-invalid'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'subject-name');
  assert.equal(await page.locator('#step-who').isVisible(), true);
  await page.screenshot({ path: `${SCREENSHOTS}/page-errors-en.png`, fullPage: true });

  // Typing clears the message; step 2 then asks for category and description.
  await page.fill('#subject-name', 'Somchai');
  assert.equal(await page.locator('#subject-name-error').isHidden(), true);
  await page.click('#step-next');
  await page.locator('#step-what-h:visible').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'step-what-h', 'focus moves to the new step');
  await page.click('#step-next');
  await page.locator('#description-error:not([hidden])').waitFor();
  assert.equal(await page.locator('#category-error').isVisible(), true);

  // Back keeps what was typed.
  await page.click('#step-back');
  assert.equal(await page.inputValue('#subject-name'), 'Somchai');
  await context.close();
});

test('the review step shows what will be sent and its Edit buttons lead back', async () => {
  const { context, page } = await phonePage(browser);
  await page.goto(`${server.origin}/embed/report.html`);
  await formReady(page);
  await page.fill('#subject-name', 'นายสมมติ');
  await page.click('#step-next');
  await page.selectOption('#category', 'bribery');
  await page.fill('#description', 'รายละเอียด\nบรรทัดที่สอง');
  await page.click('#step-next');
  await page.locator('#step-when-h:visible').waitFor();
  await page.click('#step-next');
  await page.locator('#step-evidence-h:visible').waitFor();
  // Nothing is sent yet: the chosen file is only listed (and sent after filing).
  await page.setInputFiles('#evidence-files', { name: 'ใบเสร็จ.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
  await page.locator('#evidence-list li').waitFor();
  await page.click('#step-next');
  await page.locator('#step-identity-h:visible').waitFor();
  await page.check('#identity-named');
  await page.fill('#identity-name', 'ผู้แจ้ง ทดสอบ');
  await page.click('#step-next');
  await page.locator('#step-review-h:visible').waitFor();
  const review = await page.locator('#review-list').innerText();
  for (const text of ['นายสมมติ', 'บรรทัดที่สอง', 'ใบเสร็จ.pdf', 'ผู้แจ้ง ทดสอบ', 'ระบุตัวตน']) assert.ok(review.includes(text), `review shows ${text}`);
  assert.equal(await page.locator('#review-list h3').count(), 5, 'one group per step before the review');
  // The file's group leads back to the evidence step, with the file still chosen.
  await page.getByRole('button', { name: 'แก้ไข: หลักฐาน (ถ้ามี)' }).click();
  await page.locator('#step-evidence-h:visible').waitFor();
  assert.match(await page.locator('#evidence-list').innerText(), /ใบเสร็จ\.pdf/);
  await page.click('#step-next');
  await page.click('#step-next');
  await page.locator('#step-review-h:visible').waitFor();
  // Sending without ticking the box keeps the reporter on the review step.
  await page.click('#submit-report');
  await page.locator('#accept-terms-error:not([hidden])').waitFor();
  await page.getByRole('button', { name: 'แก้ไข: ผู้ถูกร้องเรียน' }).click();
  await page.locator('#step-who-h:visible').waitFor();
  assert.equal(await page.inputValue('#subject-name'), 'นายสมมติ');
  await context.close();
});
