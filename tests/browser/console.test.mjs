// The investigator console (/console/) in Chromium against a real krasipd:
// a custodian triages a complaint on a 360 px phone in Thai, replies to the
// reporter (who sees the reply, not the internal note), reveals the identity
// with a reason (audited), downloads the statistics; a non-custodian sees no
// identity control and the API refuses; axe finds nothing in Thai or English.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer } from './lib/server.mjs';
import { launch, phonePage, horizontalOverflow, SCREENSHOTS } from './lib/browser.mjs';
import { violations } from './lib/axe.mjs';
import { addUser, fileComplaint, postJson, consoleLogin, unexpectedProblems } from './lib/console.mjs';

const DESCRIPTION = 'เจ้าหน้าที่กองช่างเรียกเงินห้าพันบาทเพื่อเร่งออกใบอนุญาตก่อสร้าง เมื่อวันที่ ๓ มีนาคม';
const ANON_DESCRIPTION = 'รถยนต์ส่วนกลางถูกนำไปใช้ส่วนตัวในวันหยุด';
const REPORTER_NAME = 'นางสาวใจดี มีสุข';
const REPLY = 'ได้รับเรื่องแล้ว กำลังตรวจสอบข้อเท็จจริง ขอบคุณที่แจ้งข้อมูล';
const NOTE = 'บันทึกภายใน: ตรวจสอบทะเบียนใบอนุญาตเดือนมีนาคม';
const OUTCOME = 'เรื่องนี้อยู่ในอำนาจของสำนักงานที่ดินจังหวัด ได้แนะนำช่องทางไว้ในข้อความนี้แล้ว';
const REASON = 'ต้องติดต่อผู้ร้องเรียนเพื่อขอหลักฐานเพิ่มเติม';

let server;
let browser;
let custodian;
let investigator;
let named;
let anon;

before(async () => {
  server = await startServer(['--fast-kdf']);
  // Accounts first: complaints are sealed to the investigators who exist when they are filed.
  custodian = addUser(server, { username: 'malee', name: 'มาลี ผู้ดูแล', password: 'correct horse battery staple 1', custodian: true });
  investigator = addUser(server, { username: 'somchai', name: 'สมชาย ผู้ตรวจสอบ', password: 'correct horse battery staple 2' });
  named = await fileComplaint(server.origin, {
    description: DESCRIPTION,
    identity: { name: REPORTER_NAME, phone: '0812345678' },
  });
  anon = await fileComplaint(server.origin, { description: ANON_DESCRIPTION, category: 'misconduct' });
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.stop(); });

test('the login page: Thai first, one generic error, accessible in Thai and English', async () => {
  const { context, page } = await phonePage(browser);
  await page.goto(`${server.origin}/console/`);
  await page.locator('#screen-login:not([hidden])').waitFor();
  assert.equal(await page.getAttribute('html', 'lang'), 'th');
  assert.equal(await page.locator('#login-h1').innerText(), 'เข้าสู่ระบบเจ้าหน้าที่');
  const totp = page.locator('#login-totp');
  assert.equal(await totp.getAttribute('inputmode'), 'numeric');
  assert.equal(await totp.getAttribute('autocomplete'), 'one-time-code');
  assert.deepEqual(await violations(page), [], 'axe (th) on the login page');
  await page.screenshot({ path: `${SCREENSHOTS}/console-login-th.png`, fullPage: true });

  // A wrong password: the same words as any other wrong part.
  await page.fill('#login-username', custodian.username);
  await page.fill('#login-password', 'not the password');
  await page.fill('#login-totp', '123456');
  await page.click('#login-submit');
  const error = page.locator('[data-testid=login-error]:not([hidden])');
  await error.waitFor();
  assert.equal(await error.innerText(), 'ชื่อผู้ใช้ รหัสผ่าน หรือรหัสยืนยันไม่ถูกต้อง');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'login-error');
  assert.equal(await totp.inputValue(), '', 'a used code is cleared');

  await page.click('button[data-lang=en]');
  assert.equal(await page.locator('#login-h1').innerText(), 'Investigator sign-in');
  assert.deepEqual(await violations(page), [], 'axe (en) on the login page');
  assert.ok(await horizontalOverflow(page) <= 0, 'no sideways scroll at 360 px');
  await page.screenshot({ path: `${SCREENSHOTS}/console-login-en.png`, fullPage: true });
  await page.click('button[data-lang=th]');
  assert.deepEqual(unexpectedProblems(page.problems), []);
  await context.close();
});

test('a custodian triages a named complaint on a 360 px phone in Thai', async () => {
  const { context, page } = await phonePage(browser, { width: 360, height: 800 });
  await page.goto(`${server.origin}/console/`);
  await consoleLogin(page, custodian);
  assert.equal(await page.locator('[data-testid=session-name]').innerText(), 'มาลี ผู้ดูแล');
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
  assert.ok(!/csrf|token/i.test(stored), 'the CSRF token is kept in memory only');

  // The list: both cases (filed the same day, so in no order of the hour: issue 21).
  await page.locator(`li[data-case="${named.case_number}"]`).waitFor();
  const order = await page.locator('#case-list > li').evaluateAll((els) => els.map((e) => e.getAttribute('data-case')));
  assert.deepEqual([...order].sort(), [anon.case_number, named.case_number].sort());
  assert.match(await page.locator('[data-testid=cases-result]').innerText(), /2 เรื่อง/);
  assert.ok(await horizontalOverflow(page) <= 0, 'the list fits 360 px');
  await page.screenshot({ path: `${SCREENSHOTS}/console-list.png`, fullPage: true });

  // Filter by category: only the anonymous one is misconduct.
  await page.selectOption('#f-category', 'misconduct');
  await page.click('#filters button[type=submit]');
  await page.waitForFunction(() => document.querySelectorAll('#case-list > li').length === 1);
  assert.equal(await page.locator('#case-list > li').getAttribute('data-case'), anon.case_number);
  await page.click('#filters-reset');
  await page.waitForFunction(() => document.querySelectorAll('#case-list > li').length === 2);

  // Open the named case: the decrypted complaint, deadlines in B.E.
  await page.click(`a[href="#/case/${named.case_number}"]`);
  await page.locator('[data-testid=case-description]').waitFor();
  await page.waitForFunction((d) => document.querySelector('[data-testid=case-description]').textContent === d, DESCRIPTION);
  assert.equal(await page.locator('[data-testid=case-h1]').innerText(), `เรื่องเลขที่ ${named.case_number}`);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'case-h1', 'focus moves to the heading');
  assert.equal(await page.locator('[data-testid=case-status]').getAttribute('data-status'), 'received');
  const due = await page.locator('[data-deadline=acknowledge] time').first().innerText();
  assert.ok(due.includes(String(new Date().getFullYear() + 543)) || due.includes(String(new Date().getFullYear() + 544)), `B.E. date in "${due}"`);
  // Day-precise times (docs/security.md, "Times") show as dates: no 00:00 or 07:00.
  for (const text of [due, await page.locator('#case-received').innerText()]) {
    assert.ok(!/เวลา|\d:\d\d/.test(text), `a date only in "${text}"`);
  }
  assert.deepEqual(await violations(page), [], 'axe (th) on the case view');
  assert.ok(await horizontalOverflow(page) <= 0, 'the case view fits 360 px');
  await page.screenshot({ path: `${SCREENSHOTS}/console-case-th.png`, fullPage: true });
  await page.click('button[data-lang=en]');
  assert.equal(await page.locator('[data-testid=case-h1]').innerText(), `Case ${named.case_number}`);
  assert.ok(!(await page.locator('[data-deadline=acknowledge] time').first().innerText()).includes('มกราคม'));
  assert.deepEqual(await violations(page), [], 'axe (en) on the case view');
  await page.screenshot({ path: `${SCREENSHOTS}/console-case-en.png`, fullPage: true });
  await page.click('button[data-lang=th]');

  // Acknowledge: the change shows in the history, seen by the reporter.
  await page.selectOption('#m-status', 'acknowledged');
  await page.click('#manage-save');
  await page.locator('#manage-result.is-ok').waitFor();
  assert.equal(await page.locator('[data-testid=case-status]').getAttribute('data-status'), 'acknowledged');
  const statusEvent = page.locator('#case-history li[data-kind=status]:has([data-status=acknowledged])');
  await statusEvent.waitFor();
  assert.match(await statusEvent.innerText(), /รับเรื่องไว้พิจารณา/);
  // An impossible move is not offered: from acknowledged, no "closed".
  const offered = await page.locator('#m-status option').evaluateAll((os) => os.map((o) => o.value));
  assert.deepEqual(offered, ['acknowledged', 'investigating', 'rejected', 'referred']);

  // Reply to the reporter and write an internal note.
  await page.fill('#reply-body', REPLY);
  await page.click('#reply-send');
  await page.locator('#reply-result.is-ok').waitFor();
  assert.match(await page.locator('[data-testid=case-messages]').innerText(), new RegExp(REPLY));
  await page.fill('#note-body', NOTE);
  await page.click('#note-send');
  await page.locator('#note-result.is-ok').waitFor();
  assert.match(await page.locator('[data-testid=case-notes]').innerText(), new RegExp(NOTE));

  // The reporter, with the tracking code, sees the reply and the new status, never the note.
  const status = await postJson(server.origin, '/api/v1/status', { tracking_code: named.tracking_code });
  assert.equal(status.status, 200);
  assert.equal(status.data.status, 'acknowledged');
  assert.ok(status.data.messages.some((m) => m.from === 'investigator' && m.body === REPLY), 'the reporter sees the reply');
  assert.ok(!JSON.stringify(status.data).includes(NOTE), 'the reporter never sees the internal note');

  // Rejecting asks for an outcome message to the reporter, and refuses without one.
  assert.equal(await page.locator('#m-outcome-field').isHidden(), true);
  await page.selectOption('#m-status', 'rejected');
  await page.locator('#m-outcome-field:not([hidden])').waitFor();
  assert.equal(await page.locator('label[for=m-outcome]').innerText(), 'ข้อความแจ้งผลถึงผู้ร้องเรียน (จำเป็น)');
  await page.click('#manage-save');
  await page.locator('#manage-result.is-error').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'm-outcome');
  assert.equal(await page.locator('[data-testid=case-status]').getAttribute('data-status'), 'acknowledged');
  assert.deepEqual(await violations(page), [], 'axe (th) with the outcome message field');
  await page.fill('#m-outcome', OUTCOME);
  await page.click('#manage-save');
  await page.locator('#manage-result.is-ok').waitFor();
  assert.equal(await page.locator('[data-testid=case-status]').getAttribute('data-status'), 'rejected');
  assert.match(await page.locator('[data-testid=case-messages]').innerText(), new RegExp(OUTCOME));
  assert.equal(await page.locator('#m-outcome-field').isHidden(), true);
  const rejected = await postJson(server.origin, '/api/v1/status', { tracking_code: named.tracking_code });
  assert.equal(rejected.data.status, 'rejected');
  assert.ok(rejected.data.messages.some((m) => m.from === 'investigator' && m.body === OUTCOME), 'the reporter reads why');

  // Excluding the agency's first account (custodian and administrator) waits
  // for a second custodian: listed as pending, with no Approve for the requester.
  await page.selectOption('#exclude-user', 'admin');
  await page.fill('#exclude-reason', REASON);
  await page.click('#exclude-form button[type=submit]');
  await page.locator('#exclude-result.is-ok').waitFor();
  assert.match(await page.locator('#exclude-result').innerText(), /รอผู้ดูแลข้อมูลตัวตนอีกคนอนุมัติ/);
  assert.match(await page.locator('[data-testid=case-pending-exclusions]').innerText(), /admin/);
  assert.equal(await page.locator('[data-testid=case-pending-exclusions] button').count(), 0, 'no Approve for the requester');
  // An investigator's exclusion is immediate; a custodian lifts it with a reason.
  await page.selectOption('#exclude-user', 'somchai');
  await page.fill('#exclude-reason', REASON);
  await page.click('#exclude-form button[type=submit]');
  await page.locator('#lift-form:not([hidden])').waitFor();
  assert.match(await page.locator('[data-testid=case-exclusions]').innerText(), /somchai/);
  assert.deepEqual(await violations(page), [], 'axe (th) with pending exclusions and the lift form');
  await page.selectOption('#lift-user', 'somchai');
  await page.fill('#lift-reason', 'ตรวจสอบแล้วไม่เกี่ยวข้องกับเรื่องนี้');
  await page.click('#lift-form button[type=submit]');
  await page.locator('#lift-result.is-ok').waitFor();
  assert.equal(await page.locator('[data-testid=case-exclusions]').innerText(), 'ยังไม่มี');

  // Reveal the identity: a reason of 10+ characters in a dialog, then the name.
  assert.equal(await page.locator('#identity-result').innerText(), '');
  await page.click('[data-testid=identity-open]');
  const dialog = page.locator('#identity-dialog');
  await dialog.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'identity-reason');
  await page.fill('#identity-reason', 'สั้นไป');
  await page.click('#identity-confirm');
  await page.locator('#identity-reason-error:not([hidden])').waitFor();
  assert.equal(await page.getAttribute('#identity-reason', 'aria-invalid'), 'true');
  await page.fill('#identity-reason', REASON);
  await page.click('#identity-confirm');
  const panel = page.locator('[data-testid=identity-panel]');
  await panel.waitFor();
  assert.equal(await page.locator('[data-testid=identity-panel] dd[data-field=name]').innerText(), REPORTER_NAME);
  assert.match(await panel.innerText(), /ถูกบันทึกแล้ว/);
  assert.equal(await dialog.isVisible(), false);
  assert.ok(await horizontalOverflow(page) <= 0);
  await page.screenshot({ path: `${SCREENSHOTS}/console-identity.png`, fullPage: true });

  // The case's audit log lists the reveal.
  await page.click('#case-audit-link');
  await page.locator('#screen-audit:not([hidden])').waitFor();
  await page.locator('tr[data-action="identity.reveal"]').waitFor();
  assert.match(await page.locator('tr[data-action="identity.reveal"]').innerText(), /malee/);
  assert.equal(await page.inputValue('#audit-case'), named.case_number);
  // Below it, the value to publish for this month: entry number and hash,
  // from a chain the server has just checked.
  await page.locator('[data-testid=audit-heads] tbody tr').first().waitFor();
  assert.match(await page.locator('#audit-heads-status').innerText(), /ครบถ้วน/);
  assert.match(await page.locator('[data-testid=audit-heads] code').first().innerText(), /^\d+:[0-9a-f]{64}$/);
  // Leaving the case removed the identity from the page.
  assert.ok(!(await page.content()).includes(REPORTER_NAME), 'the identity is gone from the DOM');
  assert.ok(!(await page.content()).includes(DESCRIPTION), 'the complaint text is gone from the DOM');
  await page.screenshot({ path: `${SCREENSHOTS}/console-audit.png`, fullPage: true });

  // Statistics of the current fiscal year, with the CSV download.
  await page.click('a[data-nav=stats]');
  await page.locator('#stats-body:not([hidden])').waitFor();
  assert.equal(await page.locator('[data-testid=stats-received]').innerText(), '2');
  const fy = await page.inputValue('#stats-fy');
  const now = new Date();
  const expectedFy = now.getFullYear() + 543 + (now.getMonth() >= 9 ? 1 : 0);
  assert.equal(fy, String(expectedFy));
  assert.ok(await horizontalOverflow(page) <= 0);
  await page.screenshot({ path: `${SCREENSHOTS}/console-stats.png`, fullPage: true });
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=stats-csv]')]);
  assert.equal(download.suggestedFilename(), `krasip-stats-${fy}.csv`);
  const csv = readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '');
  const lines = csv.split('\r\n');
  assert.equal(lines[0], 'section,key,label_th,label_en,count');
  assert.match(lines[1], new RegExp(`^"total","received","รับเรื่องทั้งหมด ปีงบประมาณ ${fy}",.*,2$`));

  // The session ends on the server (here: the cookie is gone): back to the login form, with a message.
  await context.clearCookies();
  await page.click('a[data-nav=cases]');
  await page.locator('#screen-login:not([hidden])').waitFor();
  assert.match(await page.locator('#login-notice').innerText(), /กรุณาเข้าสู่ระบบอีกครั้ง/);
  assert.equal(await page.locator('#console-nav').isHidden(), true);
  // Signing in again (with the next code) leads back to the cases.
  await consoleLogin(page, custodian);
  await page.locator(`li[data-case="${named.case_number}"]`).waitFor();

  await page.click('#logout');
  await page.locator('#screen-login:not([hidden])').waitFor();
  const me = await page.evaluate(() => fetch('/api/v1/auth/me').then((r) => r.status));
  assert.equal(me, 401, 'logged out on the server too');

  assert.deepEqual([...page.hosts], [`127.0.0.1:${server.port}`], 'no request leaves for a third-party host');
  assert.deepEqual(unexpectedProblems(page.problems), [], 'no console errors or CSP violations');
  await context.close();
});

test('a non-custodian, with the keyboard only, sees no identity control and the API refuses', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'th-TH' });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(`${server.origin}/console/`);
  await page.locator('#screen-login:not([hidden])').waitFor();
  await page.focus('#login-username');
  await page.keyboard.type(investigator.username);
  await page.keyboard.press('Tab');
  await page.keyboard.type(investigator.password);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab'); // past the hint to the code field
  if ((await page.evaluate(() => document.activeElement.id)) !== 'login-totp') await page.focus('#login-totp');
  await page.keyboard.type(investigator.nextCode());
  await page.keyboard.press('Enter');
  await page.locator('#screen-cases:not([hidden])').waitFor();
  await page.locator(`li[data-case="${named.case_number}"]`).waitFor();

  // Into the case from the keyboard: focus the link and press Enter.
  await page.focus(`a[href="#/case/${named.case_number}"]`);
  await page.keyboard.press('Enter');
  await page.locator('[data-testid=case-description]').waitFor();
  await page.waitForFunction((d) => document.querySelector('[data-testid=case-description]').textContent === d, DESCRIPTION);
  assert.equal(await page.locator('#identity-section').isHidden(), true, 'no identity control for a non-custodian');
  assert.equal(await page.locator('[data-testid=identity-open]').isVisible(), false);
  assert.deepEqual(await violations(page), [], 'axe on the case view (desktop)');
  await page.screenshot({ path: `${SCREENSHOTS}/console-case-desktop.png`, fullPage: true });

  const refused = await page.evaluate(async (n) => {
    const me = await (await fetch('/api/v1/auth/me')).json();
    const r = await fetch(`/api/v1/cases/${n}/identity`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token },
      body: JSON.stringify({ reason: 'ขอดูข้อมูลเพื่อการทดสอบระบบ' }),
    });
    return { status: r.status, body: await r.json() };
  }, named.case_number);
  assert.equal(refused.status, 403);
  assert.equal(refused.body.error.code, 'forbidden');

  // The whole audit log is for administrators: the page asks for a case number.
  await page.click('a[data-nav=audit]');
  await page.locator('#audit-error:not([hidden])').waitFor();
  assert.match(await page.locator('#audit-error').innerText(), /เฉพาะผู้ดูแลระบบ/);
  await page.fill('#audit-case', named.case_number);
  await page.press('#audit-case', 'Enter');
  await page.locator('tr[data-action="identity.refused"]').waitFor();

  // Grant cases to a colleague: the custodian already holds every case this
  // investigator can open, so the list says there is nothing to grant.
  await page.click('a[data-nav=grant]');
  await page.locator('#grant-user option[value=malee]').waitFor({ state: 'attached' });
  await page.selectOption('#grant-user', 'malee');
  await page.click('#grant-pick button[type=submit]');
  await page.locator('#grant-empty:not([hidden])').waitFor();
  assert.ok(await page.locator('#grant-form').isHidden());
  assert.deepEqual(unexpectedProblems(problems), [], 'no console errors');
  await context.close();
});
