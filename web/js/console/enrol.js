// The enrolment page (issue 20, item 6): the owner of a new or re-enrolled
// account opens the one-time link an administrator gave them, adds the
// account to their authenticator app, chooses a password and proves a code.
// The token comes in the fragment (no server sees or logs it) and leaves the
// address bar at once; it and the TOTP secret live only in this module and
// the page, and are wiped when the page is left or the enrolment is done.
import { register, initI18n, onLangChange, setText, setLiteral } from '../i18n.js';
import { postJson, formatThaiDate, NetworkError } from '../api.js';
import { renderQr } from '../qr-code.js';
import common from '../strings/common.js';
import strings from './strings.js';

register(common);
register(strings);
initI18n();

const $ = (id) => document.getElementById(id);
const TOKEN = /^[0-9a-f]{32,128}$/;
const MIN_PASSWORD = 12;

let token = window.location.hash.replace(/^#/, '').trim().toLowerCase();
history.replaceState(null, '', window.location.pathname + window.location.search);
let busy = false;

const chars = (s) => [...s].length;

function showDate(node, iso) {
  node.setAttribute('datetime', iso || '');
  node.dataset.date = iso || '';
  node.textContent = formatThaiDate(iso, document.documentElement.lang === 'en' ? 'en' : 'th');
}
onLangChange((l) => {
  for (const n of document.querySelectorAll('[data-date]')) n.textContent = formatThaiDate(n.dataset.date, l);
});

function fail(key) {
  $('enrol-loading').hidden = true;
  $('enrol-body').hidden = true;
  const box = $('enrol-error');
  box.hidden = false;
  setText(box, key);
  box.focus();
}

function secretOf(uri) {
  try {
    return new URL(uri).searchParams.get('secret') || '';
  } catch {
    return '';
  }
}

function wipe() {
  token = '';
  $('enrol-secret').textContent = '';
  $('enrol-qr').replaceChildren();
  for (const id of ['enrol-password', 'enrol-password2', 'enrol-totp']) $(id).value = '';
}

// A message under a field, the field marked and focused.
function fieldError(name, key) {
  const input = $(`enrol-${name}`);
  const note = $(`enrol-${name}-error`);
  note.hidden = false;
  note.classList.add('is-error');
  setText(note, key);
  input.setAttribute('aria-invalid', 'true');
  input.focus();
}

function clearErrors() {
  for (const name of ['password', 'password2', 'totp']) {
    const note = $(`enrol-${name}-error`);
    note.hidden = true;
    setLiteral(note, '');
    $(`enrol-${name}`).removeAttribute('aria-invalid');
  }
  setLiteral($('enrol-result'), '');
  $('enrol-result').classList.remove('is-error');
}

function errorKey(res) {
  const code = res && res.data && res.data.error && res.data.error.code;
  if (res && res.status === 429) return 'enrol.rate_limited';
  if (res && res.status === 404) return 'enrol.bad_link';
  if (code === 'server_busy' || (res && res.status === 503)) return 'err.server_busy';
  return 'err.generic';
}

async function open() {
  if (!TOKEN.test(token)) {
    fail('enrol.bad_link');
    return;
  }
  let res;
  try {
    res = await postJson('/api/v1/enrol/open', { token });
  } catch (e) {
    fail(e instanceof NetworkError && e.code === 'timeout' ? 'err.timeout' : 'err.network');
    return;
  }
  if (res.status !== 200 || !res.data) {
    fail(errorKey(res));
    return;
  }
  const d = res.data;
  $('enrol-name').textContent = d.display_name || '';
  $('enrol-username').value = d.username || '';
  showDate($('enrol-expires'), d.expires_at);
  $('enrol-reenrolment').hidden = !d.reenrolment;
  $('enrol-secret').textContent = secretOf(d.totp_uri).replace(/(.{4})(?=.)/g, '$1 ');
  renderQr($('enrol-qr'), d.totp_uri, 'enrol-qr-label');
  $('enrol-loading').hidden = true;
  $('enrol-body').hidden = false;
  $('enrol-h1').focus();
}

$('enrol-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  if (busy) return;
  clearErrors();
  const password = $('enrol-password').value;
  const again = $('enrol-password2').value;
  const totp = $('enrol-totp').value.replace(/\s+/g, '');
  if (chars(password) < MIN_PASSWORD) { fieldError('password', 'enrol.password_short'); return; }
  if (password !== again) { fieldError('password2', 'enrol.password_mismatch'); return; }
  if (!/^[0-9]{6}$/.test(totp)) { fieldError('totp', 'enrol.totp_format'); return; }
  busy = true;
  const button = $('enrol-submit');
  button.disabled = true;
  setText($('enrol-result'), 'enrol.busy');
  let res;
  try {
    res = await postJson('/api/v1/enrol/finish', { token, password, totp });
  } catch (e) {
    setText($('enrol-result'), e instanceof NetworkError && e.code === 'timeout' ? 'err.timeout' : 'err.network');
    $('enrol-result').classList.add('is-error');
    busy = false;
    button.disabled = false;
    return;
  }
  busy = false;
  button.disabled = false;
  if (res.status === 200) {
    const username = (res.data && res.data.username) || $('enrol-username').value;
    wipe();
    $('enrol-body').hidden = true;
    $('enrol-done').hidden = false;
    setText($('enrol-done-text'), 'enrol.done', { u: username });
    $('enrol-done-h2').focus();
    return;
  }
  const err = res.data && res.data.error;
  if (err && err.field === 'totp') { fieldError('totp', 'enrol.totp_wrong'); return; }
  if (err && err.field === 'password') { fieldError('password', 'enrol.password_short'); return; }
  if (res.status === 404) { fail('enrol.bad_link'); wipe(); return; }
  setText($('enrol-result'), errorKey(res));
  $('enrol-result').classList.add('is-error');
});

window.addEventListener('pagehide', wipe);
// Back into a page the browser kept: its link is gone from memory.
window.addEventListener('pageshow', (e) => {
  if (e.persisted && !token && $('enrol-done').hidden) fail('enrol.bad_link');
});

open();
