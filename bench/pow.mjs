#!/usr/bin/env node
// What the proof of work (issue 22) costs a reporter's phone: Debian's
// Chromium running the pages' own Web Worker (/js/pow-worker.js from
// build/web) on random challenges at each difficulty. Prints the seconds per
// solve here (median and 90th percentile over --runs challenges; the work is
// geometric, so the tail matters), the worker's hash rate over all runs, and
// what a phone 4 times slower pays: expected 2^bits / (rate / 4) seconds, 90th
// percentile ln(10) times that. (DevTools' CPU throttling slows a page's
// main thread, not its Web Workers: measured, the "÷ 4" runs hashed as fast
// as the others, so the slowdown is applied to the measured rate instead.)
//
//   node bench/pow.mjs [--runs 20] [--bits 15,16,17,18,20] [--krasipd PATH] [--web DIR]
import { spawn, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

const ROOT = new URL('..', import.meta.url).pathname;
const require = createRequire(join(ROOT, 'tests/browser/package.json'));
const { chromium } = require('playwright-core');

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
};
const RUNS = Number(arg('--runs', '20'));
const BITS = arg('--bits', '15,16,17,18,20').split(',').map(Number);
const KRASIPD = arg('--krasipd', join(ROOT, 'build/server/krasipd'));
const WEB = arg('--web', join(ROOT, 'build/web'));

async function startServer() {
  const dir = mkdtempSync(join(tmpdir(), 'krasip-pow-'));
  execFileSync(KRASIPD, ['init', '--fast-kdf', '--data-dir', join(dir, 'data')], { stdio: 'pipe' });
  const portFile = join(dir, 'port');
  const child = spawn(KRASIPD, ['serve', '--data-dir', join(dir, 'data'), '--listen', '127.0.0.1:0', '--port-file', portFile,
    '--web-root', WEB, '--log-file', join(dir, 'log')], { stdio: 'inherit' });
  while (!existsSync(portFile)) await sleep(25);
  return {
    origin: `http://127.0.0.1:${readFileSync(portFile, 'utf8').trim()}`,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const quantile = (xs, q) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(q * s.length))]; };

async function main() {
  const server = await startServer();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  const rows = [];
  try {
    {
      const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
      const page = await context.newPage();
      await page.goto(`${server.origin}/embed/status.html`);
      for (const bits of BITS) {
        const solves = [];
        let hashes = 0;
        let ms = 0;
        for (let i = 0; i < RUNS; i += 1) {
          const token = randomBytes(42).toString('base64url');
          const r = await page.evaluate(({ token, bits }) => new Promise((resolve) => {
            const w = new Worker('/js/pow-worker.js');
            const t0 = performance.now();
            w.onmessage = (e) => { w.terminate(); resolve({ ...e.data, wall: performance.now() - t0 }); };
            w.postMessage({ token, bits });
          }), { token, bits });
          solves.push(r.wall / 1000);
          hashes += r.hashes;
          ms += r.ms;
        }
        rows.push({ bits, hashes, ms, p50: quantile(solves, 0.5), p90: quantile(solves, 0.9) });
      }
      await context.close();
    }
  } finally {
    await browser.close();
    await server.stop();
  }
  const rate = rows.reduce((a, r) => a + r.hashes, 0) / (rows.reduce((a, r) => a + r.ms, 0) / 1000);
  console.log(`\nChromium, the pages' Web Worker, ${RUNS} random challenges per row; ` +
    `${Math.round(rate).toLocaleString('en')} hashes/s over all runs\n`);
  console.log('| bits | here: median s | here: 90th percentile s | phone (÷ 4): expected s | phone (÷ 4): 90th percentile s |');
  console.log('| ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    const expected = 2 ** r.bits / (rate / 4);
    console.log(`| ${r.bits} | ${r.p50.toFixed(2)} | ${r.p90.toFixed(2)} | ${expected.toFixed(2)} | ${(Math.LN10 * expected).toFixed(2)} |`);
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
