// The console's case list pages through a long list with Next and Previous:
// every case appears once, the newest day first, and Previous shows the same page
// again. The pages are fetched by keyset (after=), which the test checks too,
// because offset paging slows to seconds at a million cases.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launch, phonePage } from './lib/browser.mjs';
import { addUser, fileComplaint, consoleLogin, unexpectedProblems } from './lib/console.mjs';

const CASES = 45; // 20 per page: pages of 20, 20 and 5

let server;
let browser;
let account;
const filed = [];

before(async () => {
  // 45 complaints in a few seconds would be a flood (issue 22: batched, out
  // of the list); this test is about paging, so the floor is raised.
  server = await startServer(['--fast-kdf', '--flood-floor', '1000']);
  account = addUser(server, { username: 'pranee', name: 'ปราณี ผู้ตรวจสอบ', password: 'correct horse battery staple 3' });
  for (let i = 0; i < CASES; i += 1) {
    filed.push(await fileComplaint(server.origin, { description: `เรื่องทดสอบการแบ่งหน้า ลำดับที่ ${i + 1}` }));
  }
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.stop(); });

const shown = (page) => page.locator('#case-list > li').evaluateAll((els) => els.map((e) => e.getAttribute('data-case')));

// Filed the same day: the list puts the newest day first and, within a day,
// says nothing of the hour (random ids order them, issue 21), so the walk is
// checked as every case once, each page a new one.
test('Next and Previous walk the whole list once, newest day first, by keyset', async () => {
  const { context, page } = await phonePage(browser);
  const listRequests = [];
  page.on('request', (r) => { if (r.url().includes('/api/v1/cases?') || r.url().endsWith('/api/v1/cases')) listRequests.push(r.url()); });
  await page.goto(`${server.origin}/console/`);
  await consoleLogin(page, account);
  const next = page.locator('#cases-next');
  const prev = page.locator('#cases-prev');
  const pageLabel = page.locator('#cases-page');

  await page.locator('#case-list > li').first().waitFor();
  const first = await shown(page);
  assert.equal(first.length, 20);
  assert.equal(await pageLabel.innerText(), 'หน้า 1');
  assert.ok(await prev.isDisabled());

  // A page has arrived when its label says so and its first row is another.
  const arrived = async (n, firstRow) => {
    await page.locator('#cases-page', { hasText: `หน้า ${n}` }).waitFor();
    await page.waitForFunction((f) => {
      const li = document.querySelector('#case-list > li');
      return li && li.getAttribute('data-case') === f;
    }, firstRow);
  };
  const firstRowNot = async (n, notRow) => {
    await page.locator('#cases-page', { hasText: `หน้า ${n}` }).waitFor();
    await page.waitForFunction((f) => {
      const li = document.querySelector('#case-list > li');
      return li && li.getAttribute('data-case') !== f;
    }, notRow);
  };
  await next.click();
  await firstRowNot(2, first[0]);
  const second = await shown(page);
  await next.click();
  await firstRowNot(3, second[0]);
  const third = await shown(page);
  assert.equal(third.length, 5);
  assert.ok(await next.isDisabled(), 'no page after the last');

  const walked = [...first, ...second, ...third];
  assert.equal(new Set(walked).size, CASES, 'no case twice');
  assert.deepEqual([...walked].sort(), filed.map((c) => c.case_number).sort(), 'every case once');

  await prev.click();
  await arrived(2, second[0]);
  assert.deepEqual(await shown(page), second, 'Previous shows the same page again');

  // Pages after the first were asked for by the last case number before them.
  const later = listRequests.slice(1).map((u) => new URL(u).searchParams);
  assert.ok(later.length >= 3);
  for (const q of later) {
    assert.ok(q.get('after'), `a later page is fetched with after=: ${q}`);
    assert.equal(q.get('page'), null);
  }
  assert.equal(later[0].get('after'), first[first.length - 1]);
  assert.deepEqual(unexpectedProblems(page.problems), []);
  await context.close();
});
