// Issue 22, part 4: a reporter whose address the server cannot know (behind
// the proxy without X-Real-IP, as every onion visitor is) files and follows a
// complaint with the scripted pages; the proof of work is solved in the
// pages' Web Worker without the reporter doing anything, on a phone-sized
// page whose main thread is slowed 4 times (DevTools does not slow workers).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launch, phonePage } from './lib/browser.mjs';
import { fileComplaint, checkStatus } from './lib/form.mjs';

let server;
let browser;

before(async () => {
  // 14 bits: the same path as the deployed 17, quicker for the test.
  server = await startServer(['--trust-proxy', '--pow-bits', '14']);
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.stop(); });

test('with no known address, the form and the status page solve the challenge in a worker and go through', async () => {
  const { context, page } = await phonePage(browser);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  const proofs = [];
  page.on('request', (r) => { if (r.headers()['x-krasip-proof']) proofs.push(new URL(r.url()).pathname); });
  await page.goto(`${server.origin}/embed/report.html`);
  const { code } = await fileComplaint(page);
  assert.match(code, /^\d{7}-\d{7}-\d{7}$/);
  await page.goto(`${server.origin}/embed/status.html`);
  const status = await checkStatus(page, code);
  assert.equal(await status.innerText(), 'ได้รับเรื่องแล้ว');
  assert.deepEqual(proofs, ['/api/v1/complaints', '/api/v1/status'], 'each was sent again with its proof');
  assert.deepEqual(page.problems.filter((p) => !/428/.test(p)), [], 'no error beyond the 428 the page answered');
  await context.close();
});
