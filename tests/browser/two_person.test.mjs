// Two people (issue 10, item 5) in the console, in a channel marked for both:
// an investigator asks for the identity with a reason, a custodian approves,
// the investigator sees it once; a rejection waits for a second recipient,
// who confirms it. Checked with axe while the requests are shown.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startServer } from './lib/server.mjs';
import { launch } from './lib/browser.mjs';
import { violations } from './lib/axe.mjs';
import { addUser, fileComplaint, consoleLogin, unexpectedProblems } from './lib/console.mjs';

const KRASIPD = process.env.KRASIPD ?? new URL('../../build/server/krasipd', import.meta.url).pathname;
const DESCRIPTION = 'ปลัดเรียกรับเงินจากผู้รับเหมาโครงการถนนหมู่ ๔ ก่อนตรวจรับงาน';
const REPORTER_NAME = 'นางสาวใจกล้า ทดสอบ';
const ASK = 'ต้องติดต่อผู้ร้องเพื่อขอสำเนาใบเสร็จที่อ้างถึง';
const OUTCOME = 'ตรวจสอบแล้วเรื่องนี้อยู่นอกอำนาจหน้าที่ ขอให้ติดต่อสำนักงานที่ดินจังหวัด';

let server;
let browser;
let alice;
let carol;
let complaint;

before(async () => {
  server = await startServer(['--fast-kdf']);
  alice = addUser(server, { username: 'alice', name: 'อลิส ผู้ตรวจสอบ', password: 'correct horse battery staple 3' });
  carol = addUser(server, { username: 'carol', name: 'แครอล ผู้ดูแล', password: 'correct horse battery staple 4', custodian: true });
  execFileSync(KRASIPD, ['channel', 'edit', '--data-dir', join(server.dir, 'data'), '--id', 'default',
    '--identity-two-person', 'yes', '--outcome-needs-confirmation', 'yes'], { stdio: 'pipe' });
  complaint = await fileComplaint(server.origin, { description: DESCRIPTION, identity: { name: REPORTER_NAME, phone: '0812345678' } });
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.stop(); });

async function signedIn(account) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'th-TH' });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(`${server.origin}/console/`);
  await consoleLogin(page, account);
  return { context, page, problems };
}

async function openCase(page) {
  await page.evaluate(() => { location.hash = '#/cases'; });
  await page.locator(`a[href="#/case/${complaint.case_number}"]`).click();
  await page.waitForFunction((d) => document.querySelector('[data-testid=case-description]')?.textContent === d, DESCRIPTION);
}

test('an investigator asks, a second custodian approves, the identity is seen once; a rejection is confirmed by a second recipient', async () => {
  const a = await signedIn(alice);
  await openCase(a.page);
  assert.equal(await a.page.locator('#identity-section').isHidden(), true, 'no one reveals alone');
  await a.page.locator('[data-testid=two-person-section]').waitFor();
  // Too short a reason: said in the live region, focus on the field.
  await a.page.fill('#idreq-reason', 'ขอดู');
  await a.page.click('[data-testid=idreq-ask]');
  await a.page.waitForFunction(() => document.activeElement?.id === 'idreq-reason');
  await a.page.fill('#idreq-reason', ASK);
  await a.page.click('[data-testid=idreq-ask]');
  await a.page.locator('[data-testid=idreq-list] [data-state=pending]').waitFor();
  assert.equal(await a.page.locator('#idreq-form').isHidden(), true, 'one open request at a time');
  assert.equal(await a.page.locator('[data-testid=idreq-approve]').count(), 0, 'the asker does not decide');
  assert.deepEqual(await violations(a.page), [], 'axe on the case view with a pending request');

  const c = await signedIn(carol);
  await openCase(c.page);
  await c.page.locator('[data-testid=idreq-list] li', { hasText: ASK }).waitFor();
  await c.page.click('[data-testid=idreq-approve]');
  await c.page.locator('[data-testid=idreq-list] [data-state=approved]').waitFor();

  // alice sees it, once.
  await openCase(a.page);
  await a.page.locator('#identity-section:not([hidden])').waitFor();
  await a.page.click('[data-testid=identity-open]');
  await a.page.fill('#identity-reason', ASK);
  await a.page.click('#identity-confirm');
  await a.page.locator('[data-testid=identity-panel] [data-field=name]').waitFor();
  assert.equal(await a.page.locator('[data-testid=identity-panel] [data-field=name]').innerText(), REPORTER_NAME);
  await a.page.click('[data-testid=identity-hide]');
  await openCase(a.page);
  await a.page.locator('[data-testid=idreq-list] [data-state=viewed]').waitFor();
  assert.equal(await a.page.locator('#identity-section').isHidden(), true, 'used up');

  // alice rejects: the outcome waits; she cannot confirm it herself.
  await a.page.selectOption('#m-status', 'rejected');
  await a.page.fill('#m-outcome', OUTCOME);
  await a.page.click('#manage-form button[type=submit]');
  await a.page.locator('[data-testid=outcome-pending]:not([hidden])').waitFor();
  assert.match(await a.page.locator('#manage-result').innerText(), /รอผู้รับเรื่องอีกคนยืนยัน/);
  assert.equal(await a.page.locator('#case-status').getAttribute('data-status'), 'received');
  assert.equal(await a.page.locator('[data-testid=outcome-confirm]').isHidden(), true);

  await openCase(c.page);
  assert.equal(await c.page.locator('[data-testid=outcome-pending-message]').innerText(), OUTCOME);
  await c.page.click('[data-testid=outcome-confirm]');
  await c.page.waitForFunction(() => document.querySelector('#case-status')?.getAttribute('data-status') === 'rejected');
  assert.equal(await c.page.locator('[data-testid=outcome-pending]').isHidden(), true);

  assert.deepEqual(unexpectedProblems(a.problems), [], 'no console errors (alice)');
  assert.deepEqual(unexpectedProblems(c.problems), [], 'no console errors (carol)');
  await a.context.close();
  await c.context.close();
});
