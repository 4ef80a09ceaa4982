// Issue 10, item 4: on the status page the reporter moves their complaint to
// another channel: chooses it (seeing who reads the complaint and who the
// identity), gives a reason, decides about the identity (unticked by
// default), confirms; the timeline then shows the move. Keyboard only, axe
// in Thai and English, at phone width.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startServer } from './lib/server.mjs';
import { launch, phonePage, horizontalOverflow } from './lib/browser.mjs';
import { violations } from './lib/axe.mjs';
import { checkStatus } from './lib/form.mjs';
import { postJson } from './lib/console.mjs';

const KRASIPD = process.env.KRASIPD ?? new URL('../../build/server/krasipd', import.meta.url).pathname;
const EXEC_TH = 'ร้องเรียนผู้บริหารหรือปลัด';
const READERS_TH = 'ที่ทำการปกครองอำเภอ และผู้ตรวจสอบภายใน';
const IDENTITY_TH = 'เจ้าหน้าที่อำเภอผู้ดูแลข้อมูลผู้ร้อง';
const REASON = 'ผู้รับเรื่องในสำนักปลัดเป็นญาติกับผู้ถูกร้อง';

let server;
let browser;
before(async () => {
  server = await startServer();
  const data = join(server.dir, 'data');
  execFileSync(KRASIPD, ['user', 'add', '--fast-kdf', '--data-dir', data, '--username', 'district', '--name', 'District', '--custodian'], { stdio: 'pipe' });
  execFileSync(KRASIPD, ['channel', 'edit', '--data-dir', data, '--id', 'default', '--recipients', 'admin', '--custodians', 'admin'], { stdio: 'pipe' });
  execFileSync(KRASIPD, ['channel', 'add', '--data-dir', data, '--id', 'executives',
    '--name-th', EXEC_TH, '--name-en', 'About the executives or the Palat',
    '--readers-th', READERS_TH, '--readers-en', 'The district office and the internal auditor',
    '--identity-readers-th', IDENTITY_TH, '--identity-readers-en', 'The district officer custodian',
    '--recipients', 'district', '--custodians', 'district'], { stdio: 'pipe' });
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.stop(); });

async function file() {
  const res = await postJson(server.origin, '/api/v1/complaints', {
    channel: 'default',
    category: 'bribery',
    subject: { name: 'นายสมศักดิ์ ทดสอบ', position: 'หัวหน้าสำนักปลัด', unit: 'สำนักปลัด' },
    description: 'หัวหน้าสำนักปลัดเรียกรับเงินจากผู้รับเหมา ย้ายช่องทางทดสอบ',
    identity: { name: 'นางสาวผู้แจ้ง ทดสอบ', phone: '0891234567' },
    accept_terms: true,
  });
  assert.equal(res.status, 201, JSON.stringify(res.data));
  return res.data.tracking_code;
}

test('the reporter moves the complaint to another channel from the status page, by keyboard', async () => {
  const code = await file();
  const { context, page } = await phonePage(browser);
  await page.goto(`${server.origin}/embed/status.html`);
  await checkStatus(page, code);
  const section = page.locator('#escalate-section');
  await section.waitFor();
  const intake = await (await fetch(`${server.origin}/api/v1/intake`)).json();
  const staff = intake.channels.find((c) => c.id === 'default');
  assert.equal(await page.locator('#escalate-current').innerText(), staff.name_th);
  assert.equal(await page.locator('#escalate-current-readers').innerText(), staff.readers_th);
  assert.equal(await page.locator('input[name="escalate-channel"]').count(), 1);
  const hint = await page.locator('#escalate-channel-0-hint').innerText();
  assert.ok(hint.includes(READERS_TH), hint);
  assert.ok(hint.includes(IDENTITY_TH), hint);
  assert.equal(await page.locator('#escalate-identity').isVisible(), true);
  assert.equal(await page.locator('#escalate-identity').isChecked(), false);  // unticked by default
  assert.deepEqual(await violations(page), []);
  assert.ok(await horizontalOverflow(page) <= 0, 'no sideways scrolling at 360 px');

  // Nothing chosen, no reason: both fields say so, focus on the first.
  await page.focus('#escalate-submit');
  await page.keyboard.press('Enter');
  await page.locator('#escalate-channel-error:visible').waitFor();
  assert.equal(await page.locator('#escalate-channel').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('#escalate-reason').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'escalate-channel');
  assert.deepEqual(await violations(page), []);

  // By keyboard: the channel (Space on the focused radio), the reason, submit.
  await page.keyboard.press('Space');
  assert.equal(await page.locator('#escalate-channel').isChecked(), true);
  await page.focus('#escalate-reason');
  await page.keyboard.type(REASON);
  await page.focus('#escalate-submit');
  await page.keyboard.press('Enter');
  const confirmBox = page.locator('#escalate-confirm');
  await confirmBox.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'escalate-confirm');
  const confirmText = await page.locator('#escalate-confirm-text').innerText();
  assert.ok(confirmText.includes(EXEC_TH) && confirmText.includes(READERS_TH), confirmText);
  assert.ok((await page.locator('#escalate-confirm-identity').innerText()).includes('ไม่มีเจ้าหน้าที่คนใดเห็น'));
  assert.deepEqual(await violations(page), []);

  // Cancel keeps everything as it was; confirming moves it.
  await page.focus('#escalate-confirm-no');
  await page.keyboard.press('Enter');
  assert.equal(await confirmBox.isVisible(), false);
  await page.focus('#escalate-submit');
  await page.keyboard.press('Enter');
  await confirmBox.waitFor();
  await page.focus('#escalate-confirm-yes');
  await page.keyboard.press('Enter');
  await page.locator('#escalate-done:not(:empty)').waitFor();

  // The timeline shows the move; the page shows the case where it is now.
  const moved = page.locator('#status-timeline li[data-kind="escalated"]');
  await moved.waitFor();
  const movedText = await moved.innerText();
  assert.ok(movedText.includes(EXEC_TH) && movedText.includes(REASON), movedText);
  assert.equal(await page.locator('#escalate-current').innerText(), EXEC_TH);
  assert.equal(await page.locator('input[name="escalate-channel"][value="default"]').count(), 1);
  assert.ok((await page.locator('#escalate-identity-note').innerText()).includes('ไม่มีเจ้าหน้าที่คนใดเห็น'));
  assert.deepEqual(await violations(page), []);

  await page.click('button[data-lang=en]');
  assert.equal(await page.locator('#escalate-h').innerText(), 'Move to another channel');
  assert.ok((await moved.innerText()).includes('About the executives or the Palat'));
  assert.ok((await page.locator('#escalate-identity-note').innerText()).startsWith('No officer'));
  assert.deepEqual(await violations(page), []);
  assert.ok(await horizontalOverflow(page) <= 0);

  // The server agrees.
  const status = await postJson(server.origin, '/api/v1/status', { tracking_code: code });
  assert.equal(status.data.channel.id, 'executives');
  assert.deepEqual(page.problems.filter((p) => !p.includes('status of 4')), []);
  await context.close();
});

test('ticking the identity box says who will see it, and the answer confirms it moved', async () => {
  const code = await file();
  const { context, page } = await phonePage(browser);
  await page.goto(`${server.origin}/embed/status.html`);
  await checkStatus(page, code);
  await page.locator('#escalate-section').waitFor();
  await page.focus('#escalate-channel');
  await page.keyboard.press('Space');
  await page.fill('#escalate-reason', REASON);
  await page.focus('#escalate-identity');
  await page.keyboard.press('Space');
  assert.equal(await page.locator('#escalate-identity').isChecked(), true);
  await page.click('#escalate-submit');
  await page.locator('#escalate-confirm').waitFor();
  assert.ok((await page.locator('#escalate-confirm-identity').innerText()).includes(IDENTITY_TH));
  await page.click('#escalate-confirm-yes');
  await page.locator('#escalate-done:not(:empty)').waitFor();
  assert.ok((await page.locator('#escalate-identity-note').innerText()).includes('ผู้ดูแลข้อมูลผู้ร้องของช่องทางใหม่เห็น'));
  assert.equal(await page.locator('#escalate-identity').isChecked(), false);  // unticked again for a next move
  assert.deepEqual(await violations(page), []);
  await context.close();
});

test('with one channel the page offers no move', async () => {
  const single = await startServer();
  try {
    const res = await postJson(single.origin, '/api/v1/complaints', {
      category: 'bribery',
      subject: { name: 'นายสมศักดิ์ ทดสอบ', position: 'นายช่าง', unit: 'กองช่าง' },
      description: 'เรื่องในหน่วยงานที่มีช่องทางเดียว',
      identity: null,
      accept_terms: true,
    });
    assert.equal(res.status, 201);
    const { context, page } = await phonePage(browser);
    await page.goto(`${single.origin}/embed/status.html`);
    await checkStatus(page, res.data.tracking_code);
    await page.locator('#status-timeline li').first().waitFor();
    assert.equal(await page.locator('#escalate-section').isVisible(), false);
    await context.close();
  } finally {
    await single.stop();
  }
});
