// The agency widget on another origin's page: the snippet an agency pastes,
// served by a stand-in agency site with a strict CSP. A citizen files a
// complaint through it and follows it up; the host page cannot read the form.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { startHost } from './lib/host.mjs';
import { launch, phonePage, horizontalOverflow, SCREENSHOTS } from './lib/browser.mjs';
import { fileComplaint, checkStatus, DESCRIPTION } from './lib/form.mjs';
import { violations } from './lib/axe.mjs';

let server;
let host;
let browser;
before(async () => {
  host = await startHost();
  server = await startServer(['--frame-ancestor', host.origin]);
  host.krasipOrigin = server.origin;
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.stop(); await host?.stop(); });

const BUTTON = 'button[data-krasip-widget=button]';
const DIALOG = 'dialog[data-krasip-widget=dialog]';
const FRAME = 'iframe[data-krasip-widget=frame]';

async function openHost(page, query = '') {
  // Records what the host page's own scripts could receive from the frame.
  await page.addInitScript(() => {
    window.__krasipMessages = [];
    window.addEventListener('message', (e) => window.__krasipMessages.push(JSON.stringify(e.data)));
  });
  await page.goto(`${host.origin}/${query}`);
  await page.locator(BUTTON).waitFor();
}

function krasipFrame(page) {
  return page.frames().find((f) => f.url().startsWith(`${server.origin}/embed/`));
}

test('a citizen files a complaint through the widget on an agency page and checks it', async () => {
  const { context, page } = await phonePage(browser);
  await openHost(page);
  const shoot = async (name) => page.screenshot({ path: `${SCREENSHOTS}/widget-${name}.png` });
  assert.equal(await page.locator(BUTTON).innerText(), 'แจ้งเรื่องร้องเรียน / แจ้งเบาะแส');
  assert.ok(await horizontalOverflow(page) <= 0, 'the button does not widen a 360 px page');
  await shoot('00-host');

  await page.click(BUTTON);
  assert.equal(await page.locator(DIALOG).evaluate((d) => d.open), true);
  // Full screen on a phone.
  const box = await page.locator(FRAME).boundingBox();
  assert.ok(box.width >= 355, `frame fills the phone's width (${box.width})`);

  const form = page.frameLocator(FRAME);
  const { code, caseNumber } = await fileComplaint(form, { shoot });
  assert.match(code, /^\d{7}-\d{7}-\d{7}$/);
  assert.match(caseNumber, /^NH-25\d\d-\d{5}$/);

  // From the receipt to the status page, inside the same dialog.
  await form.locator('#receipt a[href="/embed/status.html"]').click();
  const status = await checkStatus(form, code);
  assert.equal(await status.getAttribute('data-status'), 'received');
  assert.equal(await form.locator('#sub-description').innerText(), DESCRIPTION);
  await shoot('status');

  // The host page never received the complaint, nor the code.
  const messages = await page.evaluate(() => window.__krasipMessages);
  for (const m of messages) {
    assert.ok(!m.includes(code.slice(0, 7)) && !m.includes('กองช่าง'), `nothing typed reaches the host: ${m}`);
  }
  assert.ok(!page.url().includes(code.slice(0, 7)));
  assert.ok(!krasipFrame(page).url().includes(code.slice(0, 7)), 'the code is not in the frame URL either');

  assert.deepEqual([...page.hosts].sort(), [`127.0.0.1:${host.port}`, `127.0.0.1:${server.port}`].sort(),
    'only the agency page and Krasip are contacted');
  assert.deepEqual(page.problems, [], 'no console errors or CSP violations on either origin');
  await context.close();
});

test('scripts of the host page cannot read the form', async () => {
  const { context, page } = await phonePage(browser);
  await openHost(page);
  await page.click(BUTTON);
  const form = page.frameLocator(FRAME);
  await form.locator('#subject-name').fill('ความลับ');
  const seen = await page.evaluate((sel) => {
    const frame = document.querySelector(sel);
    const out = { contentDocument: frame.contentDocument === null };
    try { out.read = frame.contentWindow.document.body.innerText; } catch (e) { out.threw = e.name; }
    return out;
  }, FRAME);
  assert.equal(seen.contentDocument, true, 'contentDocument is null across origins');
  assert.equal(seen.read, undefined);
  assert.equal(seen.threw, 'SecurityError');
  await context.close();
});

test('the widget works with the keyboard alone and gives focus back to its button', async () => {
  const { context, page } = await phonePage(browser, { width: 1024, height: 768 });
  await openHost(page);
  // Tab from the top of the page to the button (the host has one link first).
  let guard = 0;
  while (!(await page.evaluate(() => document.activeElement?.getAttribute('data-krasip-widget') === 'button'))) {
    await page.keyboard.press('Tab');
    assert.ok(guard++ < 10, 'the button is reachable with Tab');
  }
  await page.keyboard.press('Enter');
  assert.equal(await page.locator(DIALOG).evaluate((d) => d.open), true);
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('data-krasip-widget')), 'close');

  // Escape on the host side of the dialog closes it.
  await page.keyboard.press('Escape');
  assert.equal(await page.locator(DIALOG).evaluate((d) => d.open), false);
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('data-krasip-widget')), 'button');

  // Space opens; Tab moves into the form; focus never reaches the host page.
  await page.keyboard.press('Space');
  const frame = await (async () => { await page.frameLocator(FRAME).locator('#step-next:not([disabled])').waitFor(); return krasipFrame(page); })();
  const inFrame = [];
  for (let i = 0; i < 40; i += 1) {
    await page.keyboard.press('Tab');
    const where = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return 'none';
      return el.closest('dialog') ? 'dialog' : `host:${el.tagName}`;
    });
    assert.ok(where === 'dialog' || where === 'none', `focus stays in the dialog (found ${where})`);
    if (where === 'dialog') inFrame.push(await frame.evaluate(() => document.activeElement?.id || document.activeElement?.tagName));
  }
  assert.ok(inFrame.includes('subject-name'), 'Tab reaches the form fields inside the frame');

  // Fill step one and press Enter in the field: it goes to the next step.
  await frame.focus('#subject-name');
  await page.keyboard.type('นายทดสอบ');
  await page.keyboard.press('Enter');
  await page.frameLocator(FRAME).locator('#step-what-h:visible').waitFor();

  // Escape inside the cross-origin frame closes too (the frame asks by message).
  await page.keyboard.press('Escape');
  await page.waitForFunction((sel) => !document.querySelector(sel).open, DIALOG);
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('data-krasip-widget')), 'button');

  // Reopened, the form still holds what was typed.
  await page.keyboard.press('Enter');
  await page.frameLocator(FRAME).locator('#step-what-h:visible').waitFor();
  // The close button works with Enter.
  await page.locator('button[data-krasip-widget=close]').focus();
  await page.keyboard.press('Enter');
  assert.equal(await page.locator(DIALOG).evaluate((d) => d.open), false);
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('data-krasip-widget')), 'button');
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('a message from another origin cannot close the dialog', async () => {
  const { context, page } = await phonePage(browser);
  await openHost(page);
  await page.click(BUTTON);
  await page.frameLocator(FRAME).locator('#step-next:not([disabled])').waitFor();
  // The host itself posting the "close" message: wrong origin and source.
  await page.evaluate(() => window.postMessage({ krasip: 'close' }, '*'));
  await page.waitForTimeout(200);
  assert.equal(await page.locator(DIALOG).evaluate((d) => d.open), true);
  await context.close();
});

for (const lang of ['th', 'en']) {
  test(`no WCAG 2.1 AA violations on the host page with the widget open and in the form (${lang})`, async () => {
    const { context, page } = await phonePage(browser);
    await openHost(page, `?lang=${lang}`);
    assert.deepEqual(await violations(page), [], 'host page with the button');
    await page.click(BUTTON);
    await page.frameLocator(FRAME).locator('#step-next:not([disabled])').waitFor();
    assert.equal(await page.frameLocator(FRAME).locator('html').getAttribute('lang'), lang);
    assert.deepEqual(await violations(page), [], 'host page with the dialog open');
    assert.deepEqual(await violations(krasipFrame(page)), [], 'the form inside the widget');
    await context.close();
  });
}
