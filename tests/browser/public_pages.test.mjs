// Issue 13, items 1 and 2 in Chromium against a real krasipd: the public
// statistics (our own SVG chart, the table its text alternative) and the
// protection measures, Thai first and in English, on a 360 px phone, with
// axe; and the ITA evidence pack an administrator opens from the console,
// printed: no navigation, no buttons, the measures and the figures.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launch, phonePage, horizontalOverflow } from './lib/browser.mjs';
import { violations } from './lib/axe.mjs';
import { addUser, fileComplaint, consoleLogin, unexpectedProblems } from './lib/console.mjs';
import { testClock } from './lib/clock.mjs';

let server;
let browser;
let admin;

before(async () => {
  const clock = testClock();
  server = await startServer(['--fast-kdf', '--clock-offset-file', clock.file]);
  admin = addUser(server, { username: 'wichai', name: 'วิชัย ผู้ดูแลระบบ', password: 'correct horse battery staple 9', admin: true, custodian: true, clock });
  for (let i = 0; i < 6; i += 1) {
    await fileComplaint(server.origin, { description: `เรื่องทดสอบสถิติสาธารณะ ลำดับที่ ${i + 1} มีรายละเอียดเพียงพอ` });
  }
  // The statistics are published for completed months (issue 21): into
  // the next month, so this month's six are counted.
  const bkk = new Date(Date.now() + 7 * 3600 * 1000);
  const daysInMonth = new Date(Date.UTC(bkk.getUTCFullYear(), bkk.getUTCMonth() + 1, 0)).getUTCDate();
  clock.set((daysInMonth - bkk.getUTCDate() + 1) * 86400);
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.stop(); });

for (const lang of ['th', 'en']) {
  test(`statistics page in ${lang}: tables, our own chart, no axe violation at 360 px`, async () => {
    const { context, page } = await phonePage(browser);
    const scripts = [];
    page.on('request', (r) => { if (r.resourceType() === 'script') scripts.push(new URL(r.url()).origin); });
    await page.goto(`${server.origin}/embed/stats.html?agency=nh`);
    if (lang === 'en') await page.click('button[data-lang=en]');
    await page.locator('#stats-body:not([hidden])').waitFor();
    assert.equal(await page.locator('[data-testid=received]').innerText(), '6');
    // What the publication covers, and when it was published.
    assert.match(await page.locator('#covers').innerText(), lang === 'th' ? /เดือนที่ครบแล้ว/ : /Completed months only/);
    assert.equal(await page.getAttribute('html', 'lang'), lang);
    // The agency's name comes from the server, in the page's language.
    const name = await page.locator('[data-agency-name]').first().innerText();
    assert.equal(name, lang === 'th' ? 'องค์การบริหารส่วนตำบลหนองไฮ' : 'Nong Hai Subdistrict Administrative Organization');
    // Twelve bars, hidden from screen readers; the summary and the table say it in words.
    assert.equal(await page.locator('#chart svg rect.bar').count(), 12);
    assert.equal(await page.getAttribute('#chart', 'aria-hidden'), 'true');
    const summary = await page.locator('#chart-summary').innerText();
    assert.match(summary, lang === 'th' ? /รวม 6 เรื่อง/ : /6 in all/);
    assert.equal(await page.locator('#by-month tr').count(), 12);
    // Fewer than five acknowledged: the service times are not published.
    assert.match(await page.locator('#service').innerText(), lang === 'th' ? /ไม่เผยแพร่/ : /not published/);
    assert.ok(scripts.every((o) => o === server.origin), `third-party script: ${scripts}`);
    assert.ok(await horizontalOverflow(page) <= 0, 'no sideways scroll at 360 px');
    assert.deepEqual(await violations(page), []);
    await context.close();
  });

  test(`protection measures page in ${lang}: made from the configuration, no axe violation at 360 px`, async () => {
    const { context, page } = await phonePage(browser);
    await page.goto(`${server.origin}/embed/measures.html?agency=nh`);
    if (lang === 'en') await page.click('button[data-lang=en]');
    await page.locator('[data-section=readers]').waitFor();
    const text = await page.locator('#measures').innerText();
    if (lang === 'th') {
      assert.match(text, /ไม่บันทึกหมายเลขไอพี/);
      assert.match(text, /ตอบรับเรื่องภายใน 7 วัน/);
    } else {
      assert.match(text, /records no IP address/);
      assert.match(text, /Acknowledged within 7 days/);
      assert.match(text, /only key/);
    }
    assert.doesNotMatch(text, /wichai/);
    assert.ok(await horizontalOverflow(page) <= 0, 'no sideways scroll at 360 px');
    assert.deepEqual(await violations(page), []);
    await context.close();
  });
}

test('the evidence pack from the console: printable, with no navigation or buttons in print', async () => {
  const { context, page } = await phonePage(browser);
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  await page.goto(`${server.origin}/console/`);
  await consoleLogin(page, admin);
  await page.click('a[data-nav=stats]');
  await page.locator('#pack-section:not([hidden])').waitFor();
  assert.deepEqual(await violations(page), []);
  // The picture of the agency's page, through the console's form.
  await page.setInputFiles('#picture-file', new URL('../fixtures/tiny.jpg', import.meta.url).pathname);
  await page.fill('#picture-url', 'https://www.nonghai.go.th/complaints');
  await page.click('#picture-form button[type=submit]');
  await page.locator('#picture-result', { hasText: 'บันทึกภาพแล้ว' }).waitFor();
  const href = await page.getAttribute('#pack-html', 'href');
  assert.match(href, /^\/api\/v1\/admin\/evidence-pack\?fiscal_year=25\d\d$/);
  assert.match(await page.getAttribute('#pack-pdf', 'href'), /format=pdf/);

  const pack = await context.newPage();
  await pack.setViewportSize({ width: 360, height: 800 });
  await pack.goto(`${server.origin}${href}`);
  await pack.emulateMedia({ media: 'print' });
  assert.equal(await pack.locator('nav, button, form, script').count(), 0);
  const text = await pack.locator('main').innerText();
  assert.match(text, /องค์การบริหารส่วนตำบลหนองไฮ/);
  assert.match(text, /มาตรการคุ้มครองผู้ร้องเรียน/);
  assert.match(text, /\/embed\/report\.html\?agency=nh/);
  assert.match(text, /[0-9]+:[0-9a-f]{64}/);
  assert.match(await pack.getAttribute('figure img', 'src'), /^data:image\/jpeg;base64,/);
  assert.match(text, /https:\/\/www\.nonghai\.go\.th\/complaints/);
  assert.deepEqual(await violations(pack), []);
  const pdf = await pack.pdf({ format: 'A4' });
  assert.ok(pdf.length > 1000);
  assert.deepEqual(unexpectedProblems(problems), []);
  await context.close();
});
