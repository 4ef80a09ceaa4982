// Issue 22: a flood shows in the console as one flagged batch, not as
// hundreds of cases. A real krasipd (its flood floor lowered to 5 web
// submissions a minute, so that a handful makes a flood), a burst of
// complaints, and the investigator's list: the calm ones as cases, the
// flood as one row in Thai (English beside it by the switch) that opens to
// its cases; axe finds nothing, and it fits a phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launch, phonePage, horizontalOverflow, SCREENSHOTS } from './lib/browser.mjs';
import { violations } from './lib/axe.mjs';
import { addUser, fileComplaint, consoleLogin, unexpectedProblems } from './lib/console.mjs';

const FILED = 13;

let server;
let browser;
let account;
const filed = [];

before(async () => {
  server = await startServer(['--fast-kdf', '--flood-floor', '5']);
  account = addUser(server, { username: 'wilai', name: 'วิไล ผู้ตรวจสอบ', password: 'correct horse battery staple 4' });
  for (let i = 0; i < FILED; i += 1) {
    filed.push(await fileComplaint(server.origin, { description: `เรื่องทดสอบการส่งเรื่องจำนวนมาก ลำดับที่ ${i + 1}` }));
  }
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.stop(); });

test('a flood is one flagged row in the case list, which opens to its cases', async () => {
  const { context, page } = await phonePage(browser);
  await page.goto(`${server.origin}/console/`);
  await consoleLogin(page, account);
  const batch = page.locator('[data-testid=flood-batch]');
  await batch.waitFor();
  assert.equal(await batch.count(), 1, 'one row for the flood');
  assert.equal(await batch.locator('[data-testid=flood-batch-h]').innerText(), 'ชุดเรื่องที่เข้ามาพร้อมกันจำนวนมาก');
  assert.equal(await batch.locator('.badge-flood').innerText(), 'น่าสงสัยว่าส่งโดยโปรแกรม');
  const summary = await batch.locator('[data-testid=flood-batch-summary]').innerText();
  const m = /^(\d+) เรื่อง ยังไม่ปิด (\d+) เรื่อง เกินกำหนด 0 เรื่อง$/.exec(summary);
  assert.ok(m, `the batch's counts in Thai: "${summary}"`);
  const inBatch = Number(m[1]);
  assert.equal(Number(m[2]), inBatch, 'all still open');
  assert.ok(inBatch >= 7 && inBatch <= 8, `the complaints past the floor of 5 are the batch (${inBatch})`);
  // The received day, as a B.E. date, nothing finer.
  const day = await batch.locator('time').innerText();
  assert.ok(day.includes(String(new Date().getFullYear() + 543)) || day.includes(String(new Date().getFullYear() + 544)), `B.E. date in "${day}"`);
  assert.ok(!/\d:\d\d/.test(day), `a date only in "${day}"`);

  // The list itself holds only the calm complaints: the batch's are not there.
  const listed = await page.locator('#case-list > li[data-case]').evaluateAll((els) => els.map((e) => e.getAttribute('data-case')));
  assert.equal(listed.length + inBatch, FILED);
  // Filed the same day: in the order of their random ids (issue 21), so as a set.
  assert.deepEqual([...listed].sort(), filed.slice(0, FILED - inBatch).map((c) => c.case_number).sort(), 'the calm ones');

  // Opened: the batch's own cases, which open like any other.
  const toggle = batch.locator('[data-testid=flood-batch-toggle]');
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  await toggle.click();
  await batch.locator('li[data-case]').first().waitFor();
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  assert.equal(await toggle.innerText(), 'ซ่อนเรื่องในชุดนี้');
  assert.equal(await batch.locator('li[data-case] h3').count(), inBatch, 'its cases are headed below the batch');
  const inside = await batch.locator('li[data-case]').evaluateAll((els) => els.map((e) => e.getAttribute('data-case')));
  assert.deepEqual([...inside].sort(), filed.slice(FILED - inBatch).map((c) => c.case_number).sort(), 'the flood\'s cases');
  assert.deepEqual(await violations(page), [], 'axe (th) with the batch open');
  assert.ok(await horizontalOverflow(page) <= 0, 'the batch fits 360 px');
  await page.screenshot({ path: `${SCREENSHOTS}/console-flood-batch-th.png`, fullPage: true });

  await page.click('button[data-lang=en]');
  assert.equal(await batch.locator('[data-testid=flood-batch-h]').innerText(), 'A flood of complaints, as one batch');
  assert.equal(await batch.locator('[data-testid=flood-batch-summary]').innerText(), `${inBatch} case(s), ${inBatch} still open, 0 overdue`);
  assert.deepEqual(await violations(page), [], 'axe (en) with the batch open');
  await page.screenshot({ path: `${SCREENSHOTS}/console-flood-batch-en.png`, fullPage: true });

  // Closed again, then one of its cases opened.
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  assert.ok(!(await batch.locator('li[data-case]').first().isVisible()));
  await toggle.click();
  const number = filed[FILED - 1].case_number;
  await batch.locator(`li[data-case="${number}"] a`).click();
  await page.locator('[data-testid=case-h1]', { hasText: number }).waitFor();
  assert.deepEqual(unexpectedProblems(page.problems), [], 'no console errors or CSP violations');
  await context.close();
});
