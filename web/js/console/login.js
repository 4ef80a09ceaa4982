// Login screen: username, password, 6-digit TOTP. One generic message for
// any wrong part, as the server gives no hint either.
import { setText } from '../i18n.js';
import * as api from './api.js';
import { hide, showError } from './dom.js';

const $ = (id) => document.getElementById(id);
const form = $('login-form');
const errorBox = $('login-error');
const notice = $('login-notice');
const submit = $('login-submit');
const totp = $('login-totp');
let signedIn = () => {};
let pendingNotice = null;
let busy = false;

export function onSignedIn(fn) { signedIn = fn; }

// The message to show the next time the login form appears.
export function expect(key) { pendingNotice = key; }

function fail(key) {
  errorBox.hidden = false;
  setText(errorBox, key);
  errorBox.focus();
}

totp.addEventListener('input', () => {
  const digits = totp.value.replace(/\D/g, '').slice(0, 6);
  if (digits !== totp.value) totp.value = digits;
});

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  if (busy) return;
  hide(errorBox);
  const username = $('login-username').value.trim();
  const password = $('login-password').value;
  const code = totp.value.replace(/\D/g, '');
  if (!username || !password || code.length !== 6) {
    fail('login.missing');
    return;
  }
  busy = true;
  submit.disabled = true;
  setText(submit, 'login.busy');
  try {
    const user = await api.login(username, password, code);
    form.reset();
    hide(notice);
    await signedIn(user);
  } catch (e) {
    // A used code cannot be used again: the next attempt needs a fresh one.
    totp.value = '';
    if (e.code === 'invalid_credentials') fail('login.failed');
    else if (e.code === 'rate_limited') fail('login.rate_limited');
    else {
      showError(errorBox, e);
      errorBox.focus();
    }
  } finally {
    busy = false;
    submit.disabled = false;
    setText(submit, 'login.submit');
  }
});

export async function enter() {
  $('login-password').value = '';
  totp.value = '';
  if (pendingNotice) {
    notice.hidden = false;
    setText(notice, pendingNotice);
    pendingNotice = null;
  } else {
    hide(notice);
  }
}

export function leave() {
  $('login-password').value = '';
  totp.value = '';
  hide(errorBox);
}
