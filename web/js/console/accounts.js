// Accounts (administrators): list, create, disable, enable, re-enrol, roles.
// A new or re-enrolled account's owner sets their own password and TOTP from
// a one-time enrolment link (issue 20, item 6): the link is shown here once,
// from the server's answer, with a copy button and a QR code, and wiped from
// the page when hidden or left; it is never stored in the browser. The
// administrator never sees the password or the TOTP secret.
// Every change here asks for a step-up; disabling or re-enrolling an account
// that reads open cases may become a proposal (202) a second person decides.
import { setText, t } from '../i18n.js';
import { renderQr } from '../qr-code.js';
import { copyText, selectContents } from '../clipboard.js';
import * as api from './api.js';
import { blank, clear, el, hide, setDate, showError, showOk, showProblem } from './dom.js';
import { clearFieldErrors, showApiError } from './admin-form.js';
import { withStepUp } from './step-up.js';
import { showProposal } from './proposal-note.js';

const $ = (id) => document.getElementById(id);
const userUrl = (u) => `/api/v1/admin/users/${encodeURIComponent(u)}`;
let accounts = [];
let editing = null;
let busy = false;

function wipeEnrolment() {
  $('accounts-enrolment').hidden = true;
  $('enrolment-link').textContent = '';
  $('enrolment-expires').textContent = '';
  $('enrolment-expires').removeAttribute('data-date');
  blank($('enrolment-copy-status'));
  clear($('enrolment-qr'));
  $('accounts-grant-link').hidden = true;
  $('accounts-reset-cases').hidden = true;
}

// The link as the owner opens it: the server gives it with its public URL,
// or as a path when it has none configured (then this page's origin).
function absolute(link) {
  try {
    return new URL(link, window.location.origin).href;
  } catch {
    return String(link || '');
  }
}

function showEnrolment(enrolment, { reset = false } = {}) {
  const u = enrolment.username;
  const link = absolute(enrolment.link);
  setText($('enrolment-h2'), reset ? 'acc.link_h2_reset' : 'acc.link_h2', { u });
  $('enrolment-link').textContent = link;
  setDate($('enrolment-expires'), enrolment.expires_at);
  renderQr($('enrolment-qr'), link, 'enrolment-qr-caption');
  $('accounts-reset-cases').hidden = !reset;
  const grant = $('accounts-grant-link');
  grant.hidden = !reset;
  grant.setAttribute('href', `#/grant?user=${encodeURIComponent(u)}`);
  setText(grant, 'acc.grant_link', { u });
  $('accounts-enrolment').hidden = false;
  $('enrolment-h2').focus();
}

function rolesCell(a) {
  const keys = [];
  if (a.admin) keys.push('c.role_admin');
  if (a.custodian) keys.push('c.role_custodian');
  if (!keys.length) keys.push('acc.role_investigator');
  return el('td', {}, keys.map((k) => el('span', { i18n: k })).flatMap((s, i) => (i ? [', ', s] : [s])));
}

function stateKey(a) {
  if (a.disabled) return 'acc.disabled';
  if (a.awaiting_enrolment) return 'acc.awaiting';
  return 'acc.active';
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
    const cell = actions.firstChild;
    if (!me || a.username !== me.username) {
      if (a.disabled) {
        cell.append(button('acc.enable', a.username, enable, `enable-${a.username}`));
      } else {
        cell.append(
          button('acc.roles', a.username, openRoles, `roles-${a.username}`),
          button(a.awaiting_enrolment ? 'acc.new_link' : 'acc.reset', a.username, reenrol, `reset-${a.username}`),
          button('acc.disable', a.username, disable, `disable-${a.username}`),
        );
      }
    }
    body.append(el('tr', { 'data-username': a.username }, [
      el('th', { scope: 'row', text: a.username }),
      el('td', { text: a.display_name }),
      rolesCell(a),
      el('td', { i18n: stateKey(a) }),
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

// One account action with a step-up: `done(answer)` says what came of it.
async function act(u, path, done) {
  if (busy) return;
  busy = true;
  const result = $('accounts-result');
  blank(result);
  try {
    const answer = await withStepUp((step_up) => api.post(`${userUrl(u)}/${path}`, { step_up }));
    if (!answer) {
      setText(result, 'stepup.cancelled');
      return;
    }
    await load();
    done(answer, result);
    if ($('accounts-enrolment').hidden) result.focus();
  } catch (e) {
    if (e.status !== 401) {
      showError(result, e, { detail: true });
      result.focus();
    }
  } finally {
    busy = false;
  }
}

function disable(u) {
  // The browser's own confirmation: keyboard and screen readers know it.
  // eslint-disable-next-line no-alert
  if (!window.confirm(t('acc.disable_confirm', { u }))) return;
  act(u, 'disable', (answer, result) => {
    if (answer.proposal) showProposal(result, answer.proposal, 'acc.disable_proposed', { u });
    else showOk(result, 'acc.disabled_done', { u });
  });
}

function enable(u) {
  act(u, 'enable', (answer, result) => showOk(result, 'acc.enabled_done', { u }));
}

function reenrol(u) {
  wipeEnrolment();
  act(u, 'reset', (answer, result) => {
    if (answer.proposal) {
      showProposal(result, answer.proposal, 'acc.reset_proposed', { u });
      return;
    }
    showOk(result, 'acc.reset_done', { u });
    if (answer.enrolment) showEnrolment(answer.enrolment, { reset: true });
  });
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

// A new account always asks for a step-up: it counts as a second person
// and may become a reader (issue 20).
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
  wipeEnrolment();
  const body = { username, display_name, custodian: $('account-custodian').checked, admin: $('account-admin').checked };
  try {
    const answer = await withStepUp((step_up) => api.post('/api/v1/admin/users', { ...body, step_up }));
    if (!answer) {
      setText(result, 'stepup.cancelled');
      return;
    }
    form.reset();
    showOk(result, 'acc.created', { u: username });
    await load();
    showEnrolment(answer.enrolment);
  } catch (e) {
    if (e.status !== 401) showApiError(form, 'account', result, e);
  } finally {
    busy = false;
  }
});

$('enrolment-copy').addEventListener('click', async () => {
  const status = $('enrolment-copy-status');
  blank(status);
  const link = $('enrolment-link');
  if (await copyText(link.textContent)) {
    setText(status, 'acc.link_copied');
  } else {
    selectContents(link);
    setText(status, 'acc.link_copy_failed');
  }
});

$('enrolment-done').addEventListener('click', () => {
  wipeEnrolment();
  $('accounts-h1').focus();
});

// On a shared computer, Back must not bring a link back from the cache.
window.addEventListener('pagehide', wipeEnrolment);

export async function enter() {
  wipeEnrolment();
  $('roles-form').hidden = true;
  blank($('accounts-result'));
  await load();
}

export function leave() {
  wipeEnrolment();
}
