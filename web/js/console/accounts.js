// Accounts (administrators): list, create, disable, re-enrol, roles. The
// first password and TOTP secret of a new or re-enrolled account are shown
// here once, from the server's answer, and wiped from the page when hidden
// or left; they are never stored in the browser.
import { setText, t } from '../i18n.js';
import { renderQr } from '../qr-code.js';
import * as api from './api.js';
import { blank, clear, el, hide, showError, showOk, showProblem } from './dom.js';
import { clearFieldErrors, showApiError } from './admin-form.js';
import { withStepUp } from './step-up.js';

const $ = (id) => document.getElementById(id);
const userUrl = (u) => `/api/v1/admin/users/${encodeURIComponent(u)}`;
let accounts = [];
let editing = null;
let busy = false;

function secretOf(uri) {
  try {
    return new URL(uri).searchParams.get('secret') || '';
  } catch {
    return '';
  }
}

function wipeSecrets() {
  const box = $('accounts-secrets');
  box.hidden = true;
  $('accounts-password').textContent = '';
  $('accounts-totp-secret').textContent = '';
  clear($('accounts-qr'));
  $('accounts-grant-mine').hidden = true;
  $('accounts-reset-cases').hidden = true;
}

function showSecrets(answer, { reset = false } = {}) {
  const u = answer.user.username;
  setText($('accounts-secrets-h2'), 'acc.secrets_h2', { u });
  $('accounts-password-row').hidden = !answer.password;
  $('accounts-password').textContent = answer.password || '';
  $('accounts-totp-secret').textContent = secretOf(answer.totp_uri);
  setText($('accounts-qr-label'), 'acc.qr_label', { u });
  renderQr($('accounts-qr'), answer.totp_uri, 'accounts-qr-label');
  $('accounts-reset-cases').hidden = !reset;
  const grant = $('accounts-grant-mine');
  grant.hidden = !reset;
  grant.dataset.username = u;
  setText(grant, 'acc.grant_mine', { u });
  $('accounts-secrets').hidden = false;
  $('accounts-secrets-h2').focus();
}

function rolesCell(a) {
  const keys = [];
  if (a.admin) keys.push('c.role_admin');
  if (a.custodian) keys.push('c.role_custodian');
  if (!keys.length) keys.push('acc.role_investigator');
  return el('td', {}, keys.map((k) => el('span', { i18n: k })).flatMap((s, i) => (i ? [', ', s] : [s])));
}

function button(key, u, action, testid) {
  const b = el('button', { type: 'button', class: 'btn btn-small btn-secondary', i18n: key, vars: { u }, 'data-testid': testid });
  b.addEventListener('click', () => action(u));
  return b;
}

function render() {
  const body = $('accounts-rows');
  clear(body);
  const me = api.user();
  for (const a of accounts) {
    const actions = el('td', {}, [el('div', { class: 'actions-cell' })]);
    if (!a.disabled && (!me || a.username !== me.username)) {
      actions.firstChild.append(
        button('acc.roles', a.username, openRoles, `roles-${a.username}`),
        button('acc.reset', a.username, reenrol, `reset-${a.username}`),
        button('acc.disable', a.username, disable, `disable-${a.username}`),
      );
    }
    body.append(el('tr', { 'data-username': a.username }, [
      el('th', { scope: 'row', text: a.username }),
      el('td', { text: a.display_name }),
      rolesCell(a),
      el('td', { i18n: a.disabled ? 'acc.disabled' : 'acc.active' }),
      actions,
    ]));
  }
}

async function load() {
  hide($('accounts-error'));
  try {
    const data = await api.get('/api/v1/admin/users');
    accounts = Array.isArray(data && data.users) ? data.users : [];
  } catch (e) {
    accounts = [];
    if (e.status === 403) {
      $('accounts-error').hidden = false;
      setText($('accounts-error'), 'adm.admin_only');
    } else if (e.status !== 401) {
      showError($('accounts-error'), e, { detail: true });
    }
  }
  render();
}

async function disable(u) {
  if (busy) return;
  // The browser's own confirmation: keyboard and screen readers know it.
  // eslint-disable-next-line no-alert
  if (!window.confirm(t('acc.disable_confirm', { u }))) return;
  busy = true;
  const result = $('accounts-result');
  blank(result);
  try {
    await api.post(`${userUrl(u)}/disable`);
    showOk(result, 'acc.disabled_done', { u });
    await load();
    result.focus();
  } catch (e) {
    if (e.status !== 401) showError(result, e, { detail: true });
  } finally {
    busy = false;
  }
}

async function reenrol(u) {
  if (busy) return;
  busy = true;
  const result = $('accounts-result');
  blank(result);
  try {
    const answer = await withStepUp((step_up) => api.post(`${userUrl(u)}/reset`, { step_up }));
    if (!answer) {
      setText(result, 'stepup.cancelled');
      return;
    }
    showOk(result, 'acc.reset_done', { u });
    await load();
    showSecrets(answer, { reset: true });
  } catch (e) {
    if (e.status !== 401) showError(result, e, { detail: true });
  } finally {
    busy = false;
  }
}

function openRoles(u) {
  const a = accounts.find((x) => x.username === u);
  if (!a) return;
  editing = u;
  const form = $('roles-form');
  form.hidden = false;
  setText($('roles-h2'), 'acc.roles', { u });
  $('roles-custodian').checked = a.custodian;
  $('roles-admin').checked = a.admin;
  blank($('roles-result'));
  $('roles-h2').focus();
}

$('roles-cancel').addEventListener('click', () => {
  const u = editing;
  editing = null;
  $('roles-form').hidden = true;
  const back = u && document.querySelector(`[data-testid="roles-${CSS.escape(u)}"]`);
  if (back) back.focus();
});

$('roles-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const u = editing;
  const a = accounts.find((x) => x.username === u);
  if (!a || busy) return;
  const body = { custodian: $('roles-custodian').checked, admin: $('roles-admin').checked };
  const gives = (body.custodian && !a.custodian) || (body.admin && !a.admin);
  const result = $('roles-result');
  busy = true;
  blank(result);
  try {
    const answer = gives
      ? await withStepUp((step_up) => api.patch(userUrl(u), { ...body, step_up }))
      : await api.patch(userUrl(u), body);
    if (!answer) {
      setText(result, 'stepup.cancelled');
      return;
    }
    await load();
    showOk(result, 'acc.roles_done', { u });
    result.focus();
  } catch (e) {
    if (e.status !== 401) showError(result, e, { detail: true });
  } finally {
    busy = false;
  }
});

$('account-add-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const form = ev.target;
  const result = $('account-add-result');
  clearFieldErrors(form);
  blank(result);
  const username = $('account-username').value.trim();
  const display_name = $('account-name').value.trim();
  if (!/^[a-z0-9._-]{3,32}$/.test(username)) {
    showProblem(result, 'acc.need_username', $('account-username'));
    return;
  }
  if (!display_name) {
    showProblem(result, 'acc.need_name', $('account-name'));
    return;
  }
  if (busy) return;
  busy = true;
  const body = { username, display_name, custodian: $('account-custodian').checked, admin: $('account-admin').checked };
  try {
    const answer = body.custodian || body.admin
      ? await withStepUp((step_up) => api.post('/api/v1/admin/users', { ...body, step_up }))
      : await api.post('/api/v1/admin/users', body);
    if (!answer) {
      setText(result, 'stepup.cancelled');
      return;
    }
    form.reset();
    showOk(result, 'acc.created', { u: username });
    await load();
    showSecrets(answer);
  } catch (e) {
    if (e.status !== 401) showApiError(form, 'account', result, e);
  } finally {
    busy = false;
  }
});

$('accounts-secrets-done').addEventListener('click', () => {
  wipeSecrets();
  $('accounts-h1').focus();
});

$('accounts-grant-mine').addEventListener('click', async (ev) => {
  const u = ev.currentTarget.dataset.username;
  const result = $('accounts-result');
  blank(result);
  try {
    const r = await api.post(`/api/v1/users/${encodeURIComponent(u)}/grant`);
    showOk(result, 'grant.done', { u, cases: r.cases ?? 0, keys: r.keys ?? 0 });
    result.focus();
  } catch (e) {
    if (e.status !== 401) showError(result, e, { detail: true });
  }
});

export async function enter() {
  wipeSecrets();
  $('roles-form').hidden = true;
  blank($('accounts-result'));
  await load();
}

export function leave() {
  wipeSecrets();
}
