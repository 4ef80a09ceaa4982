#!/usr/bin/env node
// What a reporter's phone pays for the pages (issue 22): Debian's Chromium
// at 360x740, cache off, on an emulated slow 3G link (400 ms, 400 kbit/s each
// way) with the CPU slowed 4 times, through the DevTools protocol. For the
// report form, the status page and the agency page with the widget button:
//   requests      every request the page makes until it is idle (data: URIs
//                 are not requests)
//   on the wire   bytes received, headers included (encodedDataLength)
//   first paint   first-contentful-paint
//   usable        the form can be used: the report form's "Next" and the
//                 status page's "Check" are enabled (the intake answer is
//                 in), the widget's button is on the agency page
//   idle          the last byte of the last request, or the load event if later
// "before" serves web/ of a git revision (default: main) as it is, unbuilt;
// "after" serves build/web (web-build/). Both from the same krasipd, so the
// server's code is the same and only the files differ.
//
//   node bench/pages.mjs [--runs 5] [--before-rev main | --before DIR] [--after DIR] [--krasipd PATH]
//                        [--no-throttle] [--only report,status,agency]
import { spawn, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const ROOT = new URL('..', import.meta.url).pathname;
const require = createRequire(join(ROOT, 'tests/browser/package.json'));
const { chromium } = require('playwright-core');

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const RUNS = Number(arg('--runs', '5'));
const BEFORE_REV = arg('--before-rev', 'main');
// A built folder to serve as "before" instead (say, an earlier build/web).
const BEFORE_DIR = arg('--before', null);
const AFTER = arg('--after', join(ROOT, 'build/web'));
const KRASIPD = arg('--krasipd', join(ROOT, 'build/server/krasipd'));
const THROTTLE = !process.argv.includes('--no-throttle');
const ONLY = arg('--only', 'report,status,agency').split(',');

const PAGES = {
  report: {
    label: 'report form (/embed/report.html)',
    path: '/embed/report.html',
    usable: { sel: '#step-next', enabled: true },
  },
  status: {
    label: 'status page (/embed/status.html)',
    path: '/embed/status.html',
    usable: { sel: '#submit-status', enabled: true },
  },
  agency: {
    label: 'agency page with the widget button (/)',
    path: '/',
    usable: { sel: '[data-krasip-widget="button"]', enabled: false },
  },
};

async function startServer(webRoot) {
  const dir = mkdtempSync(join(tmpdir(), 'krasip-pages-'));
  const data = join(dir, 'data');
  execFileSync(KRASIPD, ['init', '--fast-kdf', '--data-dir', data], { stdio: 'pipe' });
  const portFile = join(dir, 'port');
  const child = spawn(KRASIPD, ['serve', '--data-dir', data, '--listen', '127.0.0.1:0', '--port-file', portFile,
    '--web-root', webRoot, '--log-file', join(dir, 'log'), '--threads', '1'], { stdio: 'inherit' });
  const deadline = Date.now() + 20000;
  while (!existsSync(portFile)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error('krasipd did not start');
    await sleep(25);
  }
  const port = Number(readFileSync(portFile, 'utf8').trim());
  return {
    origin: `http://127.0.0.1:${port}`,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function measure(browser, origin, page) {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true,
    locale: 'th-TH' });
  const tab = await context.newPage();
  const cdp = await context.newCDPSession(tab);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  if (THROTTLE) {
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false, latency: 400, downloadThroughput: 400 * 1000 / 8, uploadThroughput: 400 * 1000 / 8,
    });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  }
  const inflight = new Map();
  let requests = 0;
  let bytes = 0;
  let start = null;
  let lastEnd = 0;
  let lastActivity = Date.now();
  cdp.on('Network.requestWillBeSent', (e) => {
    if (e.request.url.startsWith('data:')) return;
    if (start === null) start = e.timestamp;
    if (!inflight.has(e.requestId)) requests += 1;
    inflight.set(e.requestId, e.request.url);
    lastActivity = Date.now();
  });
  const done = (e, ok) => {
    if (!inflight.has(e.requestId)) return;
    inflight.delete(e.requestId);
    if (ok) bytes += e.encodedDataLength;
    lastEnd = Math.max(lastEnd, e.timestamp);
    lastActivity = Date.now();
  };
  cdp.on('Network.loadingFinished', (e) => done(e, true));
  cdp.on('Network.loadingFailed', (e) => done(e, false));

  await tab.goto(origin + PAGES[page].path, { waitUntil: 'commit' });
  // A function, not a string: the pages' CSP forbids eval.
  const usable = await tab.waitForFunction(({ sel, enabled }) => {
    const b = document.querySelector(sel);
    return b && (enabled ? !b.disabled : b.offsetWidth > 0) ? performance.now() : false;
  }, PAGES[page].usable, { polling: 'raf', timeout: 60000 }).then((h) => h.jsonValue());
  // Idle: nothing in flight for a second after the load event.
  await tab.waitForLoadState('load');
  while (inflight.size > 0 || Date.now() - lastActivity < 1000) await sleep(100);
  const nav = await tab.evaluate(() => {
    const n = performance.getEntriesByType('navigation')[0];
    const fcp = performance.getEntriesByName('first-contentful-paint')[0];
    return { load: n.loadEventEnd, fcp: fcp ? fcp.startTime : null };
  });
  await context.close();
  return {
    requests,
    kib: bytes / 1024,
    fcp: nav.fcp,
    usable,
    idle: Math.max((lastEnd - start) * 1000, nav.load),
  };
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

async function main() {
  const work = mkdtempSync(join(tmpdir(), 'krasip-pages-before-'));
  const before = join(work, 'web');
  mkdirSync(before);
  if (!BEFORE_DIR) execFileSync('sh', ['-c', `git -C "${ROOT}" archive "${BEFORE_REV}" web | tar -x -C "${work}"`]);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const servers = { before: await startServer(BEFORE_DIR ?? before), after: await startServer(AFTER) };
  const results = {};
  try {
    for (const page of ONLY) {
      for (let i = 0; i < RUNS; i += 1) {
        // Alternate which goes first, so the machine's load falls on both.
        const order = i % 2 === 0 ? ['before', 'after'] : ['after', 'before'];
        for (const which of order) {
          const r = await measure(browser, servers[which].origin, page);
          ((results[page] ??= {})[which] ??= []).push(r);
        }
      }
    }
  } finally {
    await browser.close();
    for (const s of Object.values(servers)) await s.stop();
    rmSync(work, { recursive: true, force: true });
  }
  const cond = THROTTLE ? 'slow 3G (400 ms, 400 kbit/s), CPU ÷ 4' : 'no throttling';
  console.log(`\nChromium 360x740, cache off, ${cond}; median of ${RUNS} (min–max); before = ${BEFORE_DIR ?? BEFORE_REV + ':web'}, after = ${AFTER}\n`);
  console.log('| page | | requests | on the wire, KiB | first paint, s | usable, s | idle, s |');
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: |');
  for (const page of ONLY) {
    for (const which of ['before', 'after']) {
      const rs = results[page][which];
      const scale = (k) => (k === 'kib' || k === 'requests' ? 1 : 1000);
      // Times with their spread over the runs (min–max): the machine's load moves them.
      const f = (k, d = 2) => {
        const xs = rs.map((r) => r[k] / scale(k));
        const m = median(xs).toFixed(d);
        return scale(k) === 1 || xs.length < 2 ? m : `${m} (${Math.min(...xs).toFixed(d)}–${Math.max(...xs).toFixed(d)})`;
      };
      console.log(`| ${which === 'before' ? PAGES[page].label : ''} | ${which} | ${f('requests', 0)} | ${f('kib', 1)} | ` +
        `${f('fcp')} | ${f('usable')} | ${f('idle')} |`);
    }
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
