// Helpers for the investigator console tests: accounts made with
// `krasipd user add`, their TOTP codes (RFC 6238), complaints filed over HTTP.
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { join } from 'node:path';

const KRASIPD = process.env.KRASIPD ?? new URL('../../../build/server/krasipd', import.meta.url).pathname;

export function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const clean = text.toUpperCase().replace(/[=\s]/g, '');
  let bits = 0;
  let value = 0;
  const out = [];
  for (const ch of clean) {
    const i = alphabet.indexOf(ch);
    if (i < 0) throw new Error(`not base32: ${ch}`);
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

// RFC 6238: HMAC-SHA1, 30-second steps, 6 digits.
export function totpAt(secret, step) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', secret).update(msg).digest();
  const off = mac[mac.length - 1] & 0x0f;
  const n = ((mac[off] & 0x7f) << 24) | (mac[off + 1] << 16) | (mac[off + 2] << 8) | mac[off + 3];
  return String(n % 1_000_000).padStart(6, '0');
}

export const currentStep = () => Math.floor(Date.now() / 1000 / 30);

// Adds an account to a running server's data folder; returns an account
// whose nextCode() never repeats a step (the server refuses a replayed code
// and accepts the steps next to the current one).
// `agency`: its slug, once the deployment has several.
export function addUser(server, { username, name, password, custodian = false, admin = false, agency = null }) {
  const args = ['user', 'add', '--data-dir', join(server.dir, 'data'), '--username', username,
    '--name', name, '--password-stdin', '--fast-kdf'];
  if (agency) args.push('--agency', agency);
  if (custodian) args.push('--custodian');
  if (admin) args.push('--admin');
  const out = execFileSync(KRASIPD, args, { input: `${password}\n`, encoding: 'utf8' });
  const m = /otpauth:\/\/\S*[?&]secret=([A-Z2-7=]+)/i.exec(out);
  if (!m) throw new Error(`no TOTP URI in: ${out}`);
  const secret = base32Decode(m[1]);
  let lastStep = 0;
  return {
    username,
    name,
    password,
    nextCode() {
      const step = Math.max(currentStep(), lastStep + 1);
      if (step > currentStep() + 1) throw new Error('no fresh TOTP step left; wait 30 s');
      lastStep = step;
      return totpAt(secret, step);
    },
  };
}

export async function postJson(origin, path, body) {
  const res = await fetch(`${origin}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, data: text ? JSON.parse(text) : null };
}

export async function fileComplaint(origin, { description, identity = null, category = 'bribery', subject }) {
  const res = await postJson(origin, '/api/v1/complaints', {
    category,
    subject: subject ?? { name: 'นายสมศักดิ์ ทดสอบ', position: 'นายช่างโยธา', unit: 'กองช่าง' },
    description,
    location: 'ที่ทำการ อบต.หนองไฮ',
    identity,
    accept_terms: true,
  });
  if (res.status !== 201) throw new Error(`complaint refused: ${res.status} ${JSON.stringify(res.data)}`);
  return res.data; // {case_number, tracking_code, received_at}
}

// Signs in through the console's form.
export async function consoleLogin(page, account) {
  await page.locator('#login-form').waitFor();
  await page.fill('#login-username', account.username);
  await page.fill('#login-password', account.password);
  await page.fill('#login-totp', account.nextCode());
  await page.click('#login-submit');
  await page.locator('#screen-cases:not([hidden])').waitFor();
}

// Chromium reports every 4xx answer to fetch() on the console; the tests
// expect some (the 401 of /auth/me before signing in, a wrong login, a 403).
export const unexpectedProblems = (problems) =>
  problems.filter((p) => !/Failed to load resource: the server responded with a status of 40[13]/.test(p));
