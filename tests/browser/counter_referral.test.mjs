// Issue 13, items 3 and 4 in the console: an investigator records a letter
// for a citizen at phone width and prints the slip (agency, case number,
// tracking code, QR code of the status page); the slip's code works on the
// status page. A case is referred to the NACC; the reporter's status page
// says so with the reference and what happens next; the referral package
// opens as a printable page without the identity. axe in Thai and English.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launch, phonePage, horizontalOverflow, SCREENSHOTS } from './lib/browser.mjs';
import { violations } from './lib/axe.mjs';
import { addUser, fileComplaint, consoleLogin, unexpectedProblems } from './lib/console.mjs';
import { checkStatus } from './lib/form.mjs';

const DESCRIPTION = 'ผู้ร้องมาแจ้งที่จุดรับเรื่องว่าเจ้าหน้าที่เรียกเงินค่าออกใบอนุญาตโดยไม่มีใบเสร็จ';
const WEB_DESCRIPTION = 'ผู้รับเหมาจ่ายเงินให้กรรมการตรวจรับงานถนนหมู่ ๔ เพื่อให้ผ่านการตรวจรับ';
const REPORTER_NAME = 'นายกล้าหาญ ทดสอบ';
const REGISTRY = 'รับที่ ๑๒๓/2569';
const REFERENCE = 'ปช 0004/๕๕๑';

let server;
let browser;
let accounts;
let webCase;

before(async () => {
  server = await startServer(['--fast-kdf']);
  // One account per test: each sign-in uses a fresh TOTP step.
  accounts = {
    th: addUser(server, { username: 'alice', name: 'อลิส ผู้ตรวจสอบ', password: 'correct horse battery staple 3' }),
    en: addUser(server, { username: 'bob', name: 'บ็อบ ผู้ตรวจสอบ', password: 'correct horse battery staple 4' }),
    referral: addUser(server, { username: 'dave', name: 'เดฟ ผู้ตรวจสอบ', password: 'correct horse battery staple 5' }),
  };
  webCase = await fileComplaint(server.origin, { description: WEB_DESCRIPTION, identity: { name: REPORTER_NAME, phone: '0812345678' } });
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.stop(); });

for (const lang of ['th', 'en']) {
  test(`counter intake and its printed slip at phone width (${lang})`, async () => {
    const { context, page } = await phonePage(browser);
    await page.goto(`${server.origin}/console/`);
    await consoleLogin(page, accounts[lang]);
    if (lang === 'en') await page.click('button[data-lang=en]');
    await page.evaluate(() => { location.hash = '#/counter'; });
    await page.locator('#screen-counter:not([hidden])').waitFor();
    await page.locator('#counter-source option[value=letter]').waitFor({ state: 'attached' });
    assert.deepEqual(await violations(page), [], 'axe on the counter form');

    // Keyboard only: a letter without its registry number is refused here,
    // with the cursor put on the field.
    await page.selectOption('#counter-source', 'letter');
    await page.fill('#counter-subject-name', 'นายสมชาย ตัวอย่าง');
    await page.fill('#counter-description', DESCRIPTION);
    await page.focus('[data-testid=counter-submit]');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'counter-registry');
    await page.keyboard.type(REGISTRY);
    await page.check('#counter-identity-given');
    await page.fill('#counter-id-name', 'นางมาลี ผู้ร้อง');
    await page.fill('#counter-id-phone', '0891112222');
    await page.focus('[data-testid=counter-submit]');
    await page.keyboard.press('Enter');

    const slip = page.locator('[data-testid=counter-slip]');
    await slip.waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'slip-h2', 'focus moves to the slip');
    const code = (await page.locator('[data-testid=slip-code]').innerText()).replace(/\s+/g, '');
    assert.match(code, /^[0-9]{7}(-[0-9]{1,7})+$/);
    const caseNumber = await page.locator('[data-testid=slip-case]').innerText();
    assert.ok(caseNumber.length > 0);
    assert.ok((await page.locator('#slip-agency').innerText()).length > 0, 'the slip names the agency');
    assert.equal(await page.locator('#slip-qr svg').count(), 1, 'a QR code');
    const url = await page.locator('[data-testid=slip-url]').innerText();
    assert.ok(url.startsWith(`${server.origin}/embed/status.html`), url);
    assert.ok(!url.includes(code) && !page.url().includes(code), 'the code is never in an address');
    assert.ok(await horizontalOverflow(page) <= 0, 'no sideways scrolling at 360 px');
    assert.deepEqual(await violations(page), [], 'axe with the slip on screen');

    // Printed: only the slip, with the code.
    let printed = false;
    await page.exposeFunction('krasipPrinted', () => { printed = true; });
    await page.evaluate(() => { window.print = () => window.krasipPrinted(); });
    await page.click('[data-testid=slip-print]');
    assert.ok(printed, 'window.print() was called');
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('#counter-form').isVisible(), false);
    assert.equal(await page.locator('#console-nav').isVisible(), false);
    assert.equal(await page.locator('[data-testid=slip-code]').isVisible(), true);
    assert.equal(await page.locator('#slip-print').isVisible(), false);
    await page.screenshot({ path: `${SCREENSHOTS}counter-slip-print-${lang}.png`, fullPage: true });
    await page.emulateMedia({ media: 'screen' });

    // The citizen follows it with the slip's code on the status page.
    const s = await phonePage(browser, { locale: lang === 'en' ? 'en-US' : 'th-TH' });
    await s.page.goto(url);
    const status = await checkStatus(s.page, code);
    assert.ok((await status.innerText()).length > 0);
    assert.equal(await s.page.locator('[data-testid=status-case-number]').innerText(), caseNumber);
    await s.context.close();

    // In the case: how it came and the registry number.
    await page.evaluate((n) => { location.hash = `#/case/${n}`; }, caseNumber);
    await page.waitForFunction((d) => document.querySelector('[data-testid=case-description]')?.textContent === d, DESCRIPTION);
    assert.equal(await page.locator('[data-testid=case-registry]').innerText(), REGISTRY);
    assert.deepEqual(unexpectedProblems(page.problems), []);
    await context.close();
  });
}

test('referral to the NACC: the reporter sees it; the package prints without the identity', async () => {
  const { context, page } = await phonePage(browser, { width: 1024, height: 900 });
  await page.goto(`${server.origin}/console/`);
  await consoleLogin(page, accounts.referral);
  await page.evaluate((n) => { location.hash = `#/case/${n}`; }, webCase.case_number);
  await page.waitForFunction((d) => document.querySelector('[data-testid=case-description]')?.textContent === d, WEB_DESCRIPTION);
  await page.selectOption('#referral-body', 'nacc');
  await page.fill('#referral-reference', REFERENCE);
  await page.click('[data-testid=referral-save]');
  await page.locator('[data-testid=referral-current]:not([hidden])').waitFor();
  assert.match(await page.locator('[data-testid=referral-current]').innerText(), /ป\.ป\.ช\./);
  assert.equal(await page.locator('[data-testid=case-status]').getAttribute('data-status'), 'referred');
  await page.locator('#referral-package-box:not([hidden])').waitFor();
  assert.deepEqual(await violations(page), [], 'axe on the case with its referral');

  const [pkg] = await Promise.all([context.waitForEvent('page'), page.click('[data-testid=referral-open-package]')]);
  await pkg.waitForLoadState();
  await pkg.locator('#referral-package').waitFor();
  assert.equal(await pkg.locator('#package-reference').innerText(), REFERENCE);
  assert.equal(await pkg.locator('#package-case').innerText(), webCase.case_number);
  assert.match(await pkg.locator('#package-body').innerText(), /ป\.ป\.ช\./);
  assert.equal(await pkg.locator('#package-description').innerText(), WEB_DESCRIPTION);
  assert.equal(await pkg.locator('#identity-withheld').count(), 1);
  assert.ok(!(await pkg.content()).includes(REPORTER_NAME), 'no identity without approval');
  assert.deepEqual(await violations(pkg), [], 'axe on the referral package');
  let printed = false;
  await pkg.exposeFunction('krasipPrinted', () => { printed = true; });
  await pkg.evaluate(() => { window.print = () => window.krasipPrinted(); });
  await pkg.click('#print-package');
  assert.ok(printed, 'the package prints');
  await pkg.screenshot({ path: `${SCREENSHOTS}referral-package.png`, fullPage: true });
  await context.close();

  for (const lang of ['th', 'en']) {
    const s = await phonePage(browser, { locale: lang === 'en' ? 'en-US' : 'th-TH' });
    await s.page.goto(`${server.origin}/embed/status.html`);
    if (lang === 'en') await s.page.click('button[data-lang=en]');
    await checkStatus(s.page, webCase.tracking_code);
    const said = await s.page.locator('[data-testid=status-referral]').innerText();
    assert.ok(said.includes(REFERENCE), said);
    assert.match(said, lang === 'en' ? /NACC/ : /ป\.ป\.ช\./);
    assert.ok((await s.page.locator('[data-testid=status-referral-next]').innerText()).length > 20);
    assert.ok(await horizontalOverflow(s.page) <= 0);
    assert.deepEqual(await violations(s.page), [], `axe on the status page with a referral (${lang})`);
    await s.context.close();
  }
});
