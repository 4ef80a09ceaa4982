// "Grant cases to a colleague" (issue 20, item 3): choose the colleague,
// see the cases you can open that they cannot (GET
// /api/v1/users/{u}/grantable), tick the ones to grant, grant them. A case
// received before the colleague joined its channel is marked; only a
// custodian of the channel who did not propose their membership grants it,
// so for anyone else its box is disabled with the reason.
// `#/grant?user=U` opens the list for U (the accounts page links here).
import { setText } from '../i18n.js';
import * as api from './api.js';
import { blank, clear, dateEl, el, fillSelect, showError, showOk, showProblem } from './dom.js';

const $ = (id) => document.getElementById(id);
const MAX_AT_ONCE = 500; // the server's limit per request
let busy = false;
let shownFor = null;
let cases = [];

const boxes = () => [...$('grant-cases').querySelectorAll('input[type=checkbox]:not(:disabled)')];

function syncAll() {
  const all = boxes();
  const ticked = all.filter((b) => b.checked).length;
  const master = $('grant-all');
  master.disabled = all.length === 0;
  master.checked = all.length > 0 && ticked === all.length;
  master.indeterminate = ticked > 0 && ticked < all.length;
}

function render(u) {
  const list = $('grant-cases');
  clear(list);
  cases.forEach((c, i) => {
    const id = `grant-case-${i}`;
    const noteId = `${id}-note`;
    const box = el('input', { id, type: 'checkbox', value: c.case_number, 'aria-describedby': noteId, disabled: !c.may_grant });
    const note = el('span', { id: noteId, class: 'hint grant-note' }, [
      el('span', { i18n: 'grant.received' }), ' ', dateEl(c.received_at),
      c.channel ? ' · ' : null, c.channel ? el('span', { i18n: 'grant.channel', vars: { c: c.channel } }) : null,
      c.before_membership ? ' · ' : null,
      c.before_membership ? el('strong', { i18n: 'grant.before', vars: { u } }) : null,
      !c.may_grant ? ' — ' : null,
      !c.may_grant ? el('span', { i18n: 'grant.not_yours' }) : null,
    ]);
    box.addEventListener('change', syncAll);
    list.append(el('li', { class: `grant-item${c.before_membership ? ' is-before' : ''}`, 'data-case': c.case_number }, [
      el('div', { class: 'check-field' }, [box, ' ', el('label', { for: id, class: 'case-link', text: c.case_number })]),
      note,
    ]));
  });
  const allowed = cases.filter((c) => c.may_grant).length;
  setText($('grant-all-label'), 'grant.all', { n: allowed });
  setText($('grant-legend'), 'grant.legend', { u, n: cases.length });
  $('grant-form').hidden = cases.length === 0;
  $('grant-empty').hidden = cases.length > 0;
  syncAll();
}

async function showFor(u) {
  shownFor = u;
  const result = $('grant-result');
  try {
    const data = await api.get(`/api/v1/users/${encodeURIComponent(u)}/grantable`);
    cases = Array.isArray(data && data.cases) ? data.cases : [];
  } catch (e) {
    cases = [];
    if (e.status !== 401) showError(result, e, { detail: true });
  }
  render(u);
}

// Another colleague chosen: the list shown was someone else's.
$('grant-user').addEventListener('change', () => {
  shownFor = null;
  cases = [];
  $('grant-form').hidden = true;
  $('grant-empty').hidden = true;
  clear($('grant-cases'));
  blank($('grant-result'));
});

$('grant-all').addEventListener('change', (ev) => {
  for (const b of boxes()) b.checked = ev.target.checked;
  syncAll();
});

$('grant-pick').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const result = $('grant-result');
  blank(result);
  const u = $('grant-user').value;
  if (!u) {
    showProblem(result, 'grant.need_user', $('grant-user'));
    return;
  }
  await showFor(u);
  if (!$('grant-form').hidden) $('grant-legend').scrollIntoView({ block: 'nearest' });
});

$('grant-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const result = $('grant-result');
  const u = shownFor;
  const chosen = boxes().filter((b) => b.checked).map((b) => b.value);
  blank(result);
  if (!chosen.length) {
    showProblem(result, 'grant.need_cases', boxes()[0] || $('grant-user'));
    return;
  }
  if (busy || !u) return;
  busy = true;
  const button = ev.target.querySelector('button[type=submit]');
  button.disabled = true;
  setText(result, 'c.saving');
  let granted = 0;
  let keys = 0;
  try {
    for (let i = 0; i < chosen.length; i += MAX_AT_ONCE) {
      const r = await api.post(`/api/v1/users/${encodeURIComponent(u)}/grant`, { cases: chosen.slice(i, i + MAX_AT_ONCE) });
      granted += r.cases ?? 0;
      keys += r.keys ?? 0;
    }
    await showFor(u);
    showOk(result, 'grant.done', { u, cases: granted, keys });
  } catch (e) {
    if (e.status !== 401) {
      await showFor(u);
      showError(result, e, { detail: true });
    }
  } finally {
    busy = false;
    button.disabled = false;
    result.focus();
  }
});

export async function enter(ctx, arg, params) {
  const users = await ctx.loadUsers();
  const me = api.user();
  const others = users.filter((u) => !me || u.username !== me.username);
  const asked = params && params.get('user');
  const preset = others.some((u) => u.username === asked) ? asked : '';
  fillSelect($('grant-user'), [{ value: '', key: 'grant.choose' },
    ...others.map((u) => ({ value: u.username, text: `${u.display_name} (${u.username})` }))], preset);
  blank($('grant-result'));
  shownFor = null;
  cases = [];
  $('grant-form').hidden = true;
  $('grant-empty').hidden = true;
  clear($('grant-cases'));
  if (preset) await showFor(preset);
}
