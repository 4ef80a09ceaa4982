// The parts of the pages that wait for issue 4's endpoints (evidence uploads,
// reporter messages). Today's server does not announce them, so here the
// browser is given the intake answer and the new endpoints' answers that the
// contract describes (page.route); everything else is the real krasipd.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launch, phonePage, SCREENSHOTS } from './lib/browser.mjs';
import { violations } from './lib/axe.mjs';
import { fileComplaint, checkStatus } from './lib/form.mjs';

let server;
let browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

// The real intake answer plus the fields issue 4 adds.
async function announce(page, extra) {
  await page.route('**/api/v1/intake', async (route) => {
    const res = await route.fetch();
    const data = await res.json();
    extra(data);
    await route.fulfill({ response: res, json: data });
  });
}

test('with uploads announced, the evidence step appears, checks files and uploads them after filing', async () => {
  const { context, page } = await phonePage(browser);
  await announce(page, (d) => {
    d.limits.upload_max_bytes = 1000;
    d.limits.case_upload_max_bytes = 5000;
    d.upload_types = ['image/jpeg', 'application/pdf'];
  });
  let uploads = 0;
  await page.route('**/api/v1/status/attachments', async (route) => {
    uploads += 1;
    const body = route.request().postDataBuffer().toString('latin1');
    assert.match(body, /name="tracking_code"\r\n\r\n\d{7}-\d{7}-\d{7}/, 'the code travels in the body');
    if (body.includes('photo.jpg')) {
      await route.fulfill({ status: 201, json: { attachment: { id: 'a1', filename: 'photo.jpg', content_type: 'image/jpeg', size: 10, metadata_removed: true } } });
    } else {
      await route.fulfill({ status: 415, json: { error: { code: 'file_type_not_allowed', message: 'no' } } });
    }
  });

  await page.goto(`${server.origin}/embed/report.html`);
  let sawEvidence = false;
  await fileComplaint(page, {
    shoot: async (name) => {
      if (name !== 'step3-when') return;
      // The evidence step comes after "when/where": go there and come back.
      await page.click('#step-next');
      await page.locator('#step-evidence-h:visible').waitFor();
      sawEvidence = true;
      assert.match(await page.locator('#step-progress').innerText(), /^ขั้นตอนที่ 4 จาก 6/);
      await page.setInputFiles('#evidence-files', [
        { name: 'big.jpg', mimeType: 'image/jpeg', buffer: Buffer.alloc(2000) },
        { name: 'photo.jpg', mimeType: 'image/jpeg', buffer: Buffer.alloc(10) },
        { name: 'notes.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(10) },
      ]);
      await page.locator('#evidence-files-error:not([hidden])').waitFor();
      assert.match(await page.locator('#evidence-files-error').innerText(), /big\.jpg/);
      assert.equal(await page.locator('#evidence-list li').count(), 2);
      assert.deepEqual(await violations(page), [], 'evidence step');
      await page.screenshot({ path: `${SCREENSHOTS}/page-evidence.png`, fullPage: true });
      await page.click('#step-back');
      await page.locator('#step-when-h:visible').waitFor();
    },
  });
  assert.ok(sawEvidence);
  await page.locator('#upload-summary:has-text("1 จาก 2")').waitFor();
  assert.equal(uploads, 2, 'one request per file');
  const rows = await page.locator('[data-testid=upload-list] li').allInnerTexts();
  assert.match(rows[0], /photo\.jpg[\s\S]*ลบข้อมูลแฝงแล้ว/);
  assert.match(rows[1], /notes\.pdf[\s\S]*ไม่รับไฟล์ประเภทนี้/);
  assert.deepEqual(await violations(page), [], 'receipt with uploads');
  await page.screenshot({ path: `${SCREENSHOTS}/page-receipt-uploads.png`, fullPage: true });
  await context.close();
});

test('with reporter messages announced, the status page offers the message form and sends to the API', async () => {
  const { context, page } = await phonePage(browser);
  // Filed on the real server first.
  await page.goto(`${server.origin}/embed/report.html`);
  const { code } = await fileComplaint(page);

  await announce(page, (d) => { d.features = { reporter_messages: true }; });
  let sent = null;
  await page.route('**/api/v1/status/messages', async (route) => {
    sent = route.request().postDataJSON();
    await route.fulfill({ status: 201, json: {} });
  });
  await page.goto(`${server.origin}/embed/status.html`);
  await checkStatus(page, code);
  await page.locator('#message-form:visible').waitFor();
  assert.equal(await page.getAttribute('#message-body', 'maxlength'), String((await (await page.request.get(`${server.origin}/api/v1/intake`)).json()).limits.message_max));
  await page.click('#message-send');
  await page.locator('#message-body-error:not([hidden])').waitFor();
  await page.fill('#message-body', 'ขอเพิ่มเติมข้อมูล');
  await page.click('#message-send');
  await page.locator('#message-status:has-text("ส่งข้อความแล้ว")').waitFor();
  assert.deepEqual(sent, { tracking_code: code, body: 'ขอเพิ่มเติมข้อมูล' });
  assert.deepEqual(await violations(page), []);
  await context.close();
});
