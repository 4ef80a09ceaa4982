// Channels (issue 10): with two channels the form's first step asks which,
// and shows, there and again on the review step, who reads the complaint
// and who the identity. Checked with axe in Thai and English.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startServer } from './lib/server.mjs';
import { launch, phonePage } from './lib/browser.mjs';
import { violations } from './lib/axe.mjs';
import { fileComplaint, formReady } from './lib/form.mjs';

const KRASIPD = process.env.KRASIPD ?? new URL('../../build/server/krasipd', import.meta.url).pathname;
const READERS_TH = 'ที่ทำการปกครองอำเภอ และผู้ตรวจสอบภายใน';
const IDENTITY_TH = 'เจ้าหน้าที่อำเภอผู้ดูแลข้อมูลผู้ร้อง';

let server;
let browser;
before(async () => {
  server = await startServer();
  const data = join(server.dir, 'data');
  execFileSync(KRASIPD, ['user', 'add', '--fast-kdf', '--data-dir', data, '--username', 'district', '--name', 'District', '--custodian'], { stdio: 'pipe' });
  execFileSync(KRASIPD, ['channel', 'add', '--data-dir', data, '--id', 'executives',
    '--name-th', 'ร้องเรียนผู้บริหารหรือปลัด', '--name-en', 'About the executives or the Palat',
    '--description-th', 'เรื่องเกี่ยวกับนายก ปลัด หรือผู้รับเรื่อง', '--description-en', 'About the mayor, the Palat or complaint handlers',
    '--readers-th', READERS_TH, '--readers-en', 'The district office and the internal auditor',
    '--identity-readers-th', IDENTITY_TH, '--identity-readers-en', 'The district officer custodian',
    '--recipients', 'district', '--custodians', 'district'], { stdio: 'pipe' });
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.stop(); });

test('the first step asks which channel and shows who reads; the review shows it again', async () => {
  const { context, page } = await phonePage(browser);
  await page.goto(`${server.origin}/embed/report.html`);
  await formReady(page);
  await page.locator('#channel-group').waitFor();
  assert.equal(await page.locator('input[name="channel"]').count(), 2);
  assert.equal(await page.locator('#channel-readers').isVisible(), false);  // nothing chosen yet
  assert.deepEqual(await violations(page), []);

  // Next without a channel: the message is on the channel group.
  await page.locator('#subject-name').fill('นายก ไม่ระบุ');
  await page.locator('#step-next').click();
  await page.locator('#channel-error:visible').waitFor();
  assert.equal(await page.locator('#channel').getAttribute('aria-invalid'), 'true');
  assert.deepEqual(await violations(page), []);

  await page.check('input[name="channel"][value="executives"]');
  await page.locator('#channel-readers:visible').waitFor();
  assert.equal(await page.locator('#channel-readers-text').innerText(), READERS_TH);
  assert.equal(await page.locator('#channel-identity-readers-text').innerText(), IDENTITY_TH);
  assert.equal(await page.locator('#channel-error').isVisible(), false);
  await page.click('button[data-lang=en]');
  assert.equal(await page.locator('#channel-readers-text').innerText(), 'The district office and the internal auditor');
  assert.equal(await page.locator('input[name="channel"][value="executives"]').isChecked(), true);
  assert.deepEqual(await violations(page), []);
  await page.click('button[data-lang=th]');

  let review = '';
  const { caseNumber } = await fileComplaint(page, {
    channel: 'executives',
    shoot: async (name) => {
      if (name === 'step6-review') review = await page.locator('#review-list').innerText();
      assert.deepEqual(await violations(page), [], name);
    },
  });
  assert.ok(review.includes(READERS_TH), review);
  assert.ok(review.includes(IDENTITY_TH), review);
  assert.ok(review.includes('ร้องเรียนผู้บริหารหรือปลัด'), review);
  assert.match(caseNumber, /\d{5}$/);
  await context.close();
});
