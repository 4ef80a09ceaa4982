#!/usr/bin/env node
// A flood against the complaint route (issue 22, item 5), with and without
// the proof of work, on a real krasipd behind a simulated proxy
// (--trust-proxy, X-Real-IP per client):
//   - a flooder that does not solve, from a new address for every request
//     (a botnet: per-address limits do not hold it), 8 at a time, as fast as
//     it can;
//   - a flooder that solves every challenge at full speed (one core, Node's
//     SHA-256), also from new addresses;
//   - 20 honest reporters, each with their own address, filing a complaint
//     every 3 seconds (under the per-address limit of 20 an hour only for
//     the run's length), solving when asked.
// Solving runs in worker threads (one per honest reporter, one for the
// solving flooder), so the requests keep flowing: 20 phones cannot be
// simulated on 2 cores, so the honest reporters' latency counts the time
// their requests spend at the server (both requests when a proof is asked),
// not their own solving, which bench/pow.mjs measures for a phone.
// Prints that latency's p50 and p99, and how many of each flooder's
// submissions got in. The first 30 a minute get in without a proof while
// the flood is not yet seen (the floor).
//
//   node bench/flood.mjs [--seconds 30] [--krasipd PATH]
import { spawn, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';

const ROOT = new URL('..', import.meta.url).pathname;
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
};
const SECONDS = Number(arg('--seconds', '30'));
const KRASIPD = arg('--krasipd', join(ROOT, 'build/server/krasipd'));
const BODY = JSON.stringify({
  category: 'bribery',
  subject: { name: 'นายสมศักดิ์ ตัวอย่าง', position: 'ปลัด อบต.', unit: 'สำนักปลัด' },
  description: 'เจ้าหน้าที่เรียกรับเงินสองหมื่นบาทแลกกับใบอนุญาตก่อสร้าง ขอให้ตรวจสอบ',
  identity: null,
  accept_terms: true,
});

async function startServer(powBits) {
  const dir = mkdtempSync(join(tmpdir(), 'krasip-flood-'));
  execFileSync(KRASIPD, ['init', '--fast-kdf', '--data-dir', join(dir, 'data')], { stdio: 'pipe' });
  const portFile = join(dir, 'port');
  const child = spawn(KRASIPD, ['serve', '--data-dir', join(dir, 'data'), '--listen', '127.0.0.1:0', '--port-file', portFile,
    '--web-root', join(ROOT, 'build/web'), '--log-file', join(dir, 'log'), '--trust-proxy', '--threads', '2',
    '--pow-bits', String(powBits)], { stdio: 'inherit' });
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

const SOLVER = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
parentPort.on('message', ({ id, token, bits }) => {
  for (let n = 0; ; n += 1) {
    const h = createHash('sha256').update(token + ':' + n).digest();
    let z = 0;
    for (const b of h) { if (b === 0) { z += 8; continue; } z += Math.clz32(b) - 24; break; }
    if (z >= bits) { parentPort.postMessage({ id, proof: token + ':' + n }); return; }
  }
});`;

// A solving thread: one challenge at a time, in order.
function solver() {
  const worker = new Worker(SOLVER, { eval: true });
  const waiting = new Map();
  let next = 0;
  worker.on('message', ({ id, proof }) => { waiting.get(id)(proof); waiting.delete(id); });
  return {
    solve: (challenge) => new Promise((resolve) => { const id = next++; waiting.set(id, resolve); worker.postMessage({ id, ...challenge }); }),
    stop: () => worker.terminate(),
  };
}
void createHash;

let botAddress = 0;
const nextBot = () => { botAddress += 1; return `10.${(botAddress >> 16) & 255}.${(botAddress >> 8) & 255}.${botAddress & 255}`; };

async function post(origin, address, proof) {
  const headers = { 'Content-Type': 'application/json', 'X-Real-IP': address };
  if (proof) headers['X-Krasip-Proof'] = proof;
  const res = await fetch(`${origin}/api/v1/complaints`, { method: 'POST', headers, body: BODY });
  const text = await res.text();
  return { status: res.status, data: text ? JSON.parse(text) : null };
}

// Files once, solving when asked; answers the status and the time spent
// in requests (not solving).
async function fileSolving(origin, address, pool, until) {
  let t0 = performance.now();
  let res = await post(origin, address);
  let ms = performance.now() - t0;
  for (let i = 0; i < 3 && res.status === 428; i += 1) {
    const proof = await pool.solve(res.data.challenge);
    if (Date.now() > until) return { status: 0, ms };  // the run is over
    t0 = performance.now();
    res = await post(origin, address, proof);
    ms += performance.now() - t0;
  }
  return { status: res.status, ms };
}

async function run(powBits) {
  const server = await startServer(powBits);
  const pools = Array.from({ length: 20 }, () => solver());
  const floodPool = solver();
  const until = Date.now() + SECONDS * 1000;
  const counts = { flood: [0, 0], solver: [0, 0] };  // [sent, accepted]
  const honest = [];
  const flooder = async () => {
    while (Date.now() < until) {
      const r = await post(server.origin, nextBot());
      counts.flood[0] += 1;
      if (r.status === 201) counts.flood[1] += 1;
    }
  };
  const solvingFlooder = async () => {
    while (Date.now() < until) {
      const { status } = await fileSolving(server.origin, nextBot(), floodPool, until);
      counts.solver[0] += 1;
      if (status === 201) counts.solver[1] += 1;
    }
  };
  const reporter = async (i) => {
    await sleep(i * 150);
    while (Date.now() < until) {
      const { status, ms } = await fileSolving(server.origin, `203.0.113.${i + 1}`, pools[i], until);
      if (status !== 0) honest.push({ ms, ok: status === 201 });
      await sleep(3000);
    }
  };
  await Promise.all([...Array.from({ length: 8 }, flooder), solvingFlooder(), ...Array.from({ length: 20 }, (_, i) => reporter(i))]);
  for (const p of pools) await p.stop();
  await floodPool.stop();
  await server.stop();
  const ms = honest.filter((h) => h.ok).map((h) => h.ms).sort((a, b) => a - b);
  const q = (p) => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))] ?? NaN;
  return { powBits, counts, honest: honest.length, honestOk: ms.length, p50: q(0.5), p99: q(0.99) };
}

const rows = [await run(0), await run(17)];
console.log(`\n${SECONDS} s each; 8 non-solving flood connections and 1 solving flooder from new addresses, 20 honest reporters\n`);
console.log('| proof of work | honest filed | honest p50 ms | honest p99 ms | flood accepted (not solving) | flood accepted (solving) |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  const share = ([sent, ok]) => `${ok} of ${sent} (${sent ? ((100 * ok) / sent).toFixed(1) : 0} %)`;
  console.log(`| ${r.powBits ? `on (${r.powBits} bits)` : 'off'} | ${r.honestOk} of ${r.honest} | ${r.p50.toFixed(0)} | ${r.p99.toFixed(0)} | ` +
    `${share(r.counts.flood)} | ${share(r.counts.solver)} |`);
}
