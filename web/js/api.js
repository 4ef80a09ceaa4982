// Same-origin JSON calls and Buddhist Era date formatting.
import { solveChallenge } from './pow.js';

const TIMEOUT_MS = 30000;

export class NetworkError extends Error {
  constructor(code) {
    super(code === 'timeout'
      ? 'เซิร์ฟเวอร์ไม่ตอบสนองภายในเวลาที่กำหนด กรุณาลองใหม่อีกครั้ง'
      : 'ไม่สามารถเชื่อมต่อกับระบบได้ กรุณาตรวจสอบอินเทอร์เน็ตแล้วลองใหม่อีกครั้ง');
    this.name = 'NetworkError';
    this.code = code; // 'timeout' | 'network_error'
  }
}

async function request(path, init) {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), TIMEOUT_MS);
  let res;
  try {
    res = await fetch(path, {
      ...init,
      signal: ctrl.signal,
      credentials: 'same-origin',
      cache: 'no-store',
      referrerPolicy: 'no-referrer',
      headers: { Accept: 'application/json', ...(init.headers || {}) },
    });
  } catch (e) {
    clearTimeout(timer);
    throw new NetworkError(e && e.name === 'AbortError' ? 'timeout' : 'network_error');
  }
  let data = null;
  try {
    const text = await res.text();
    data = text ? JSON.parse(text) : null;
  } catch (e) {
    if (e && e.name === 'AbortError') {
      clearTimeout(timer);
      throw new NetworkError('timeout');
    }
    data = null; // not JSON (e.g. a proxy error page)
  }
  clearTimeout(timer);
  return { status: res.status, data };
}

// -> {status, data}; data is the parsed JSON body or null. Throws NetworkError.
// A 428 proof_required (issue 22) is answered by solving its challenge and
// sending the same request again with the proof, at most twice.
export async function postJson(path, body) {
  const init = {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  };
  let res = await request(path, init);
  for (let tries = 0; tries < 2 && res.status === 428 && res.data && res.data.challenge; tries += 1) {
    const proof = await solveChallenge(res.data.challenge);
    if (!proof) break;
    res = await request(path, { ...init, headers: { ...init.headers, 'X-Krasip-Proof': proof } });
  }
  return res;
}

export function getJson(path) {
  return request(path, { method: 'GET' });
}

// The error object of an error answer, always with a code.
export function errorOf(res) {
  const err = res && res.data && res.data.error;
  if (err && typeof err.code === 'string') return err;
  if (res && res.status === 429) return { code: 'rate_limited' };
  if (res && res.status === 413) return { code: 'body_too_large' };
  if (res && res.status === 503) return { code: 'server_busy' };
  return { code: 'internal_error' };
}

const TZ = 'Asia/Bangkok';
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

function parts(fmt, date) {
  const out = {};
  for (const p of fmt.formatToParts(date)) out[p.type] = p.value;
  return out;
}

// formatThaiDate('2026-11-28T09:45:00+07:00', 'th') -> '28 พฤศจิกายน 2569 เวลา 09:45 น.'
// formatThaiDate('2026-11-28T09:45:00+07:00', 'en') -> '28 November 2569 B.E., 09:45'
// A date-only value ('2026-11-28') is shown without a time.
export function formatThaiDate(iso, lang = 'th') {
  if (!iso || typeof iso !== 'string') return '';
  const dateOnly = DATE_ONLY.exec(iso);
  const date = dateOnly
    ? new Date(Date.UTC(+dateOnly[1], +dateOnly[2] - 1, +dateOnly[3], 12))
    : new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const tz = dateOnly ? 'UTC' : TZ;
  const opts = { timeZone: tz, day: 'numeric', month: 'long', year: 'numeric' };
  const timeOpts = { timeZone: tz, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
  if (lang === 'en') {
    const d = parts(new Intl.DateTimeFormat('en-GB', opts), date);
    const day = `${d.day} ${d.month} ${Number(d.year) + 543} B.E.`;
    if (dateOnly) return day;
    const h = parts(new Intl.DateTimeFormat('en-GB', timeOpts), date);
    return `${day}, ${h.hour}:${h.minute}`;
  }
  const d = parts(new Intl.DateTimeFormat('th-TH-u-ca-buddhist', opts), date);
  const day = `${d.day} ${d.month} ${d.year}`;
  if (dateOnly) return day;
  const h = parts(new Intl.DateTimeFormat('th-TH', timeOpts), date);
  return `${day} เวลา ${h.hour}:${h.minute} น.`;
}
