// Reading a tracking code as typed: digits (Thai digits too), with or without
// dashes and spaces. Codes are issued as three groups of 7 digits
// ("1234567-8901234-5678901"); a 21-digit input is sent in that form,
// anything else is sent as bare digits for the server to judge.
import { asciiDigits } from './validate.js';

const GROUP = 7;
const LENGTH = 21;

// -> {ok: true, code} | {ok: false, key}
export function normaliseTrackingCode(raw) {
  const s = asciiDigits(raw).trim();
  if (!s) return { ok: false, key: 'v.code_required' };
  if (!/^[0-9\s\-\u2010-\u2015]+$/.test(s)) return { ok: false, key: 'v.code_chars' };
  const digits = s.replace(/\D/g, '');
  if (digits.length !== LENGTH) return { ok: true, code: digits };
  const groups = [];
  for (let i = 0; i < LENGTH; i += GROUP) groups.push(digits.slice(i, i + GROUP));
  return { ok: true, code: groups.join('-') };
}
