// Case list: filters (status, category, assignee, overdue), newest first,
// Previous/Next pages from has_more. Pages are fetched by keyset (after=
// the last case number of the page before), so page 5,000 of a large
// agency's list costs what page 1 does; `after` remembers each page's start.
// Web complaints filed during a flood (issue 22) are not in the list: the
// first page names their batches, one flagged row each, which open to them.
import { setText } from '../i18n.js';
import * as api from './api.js';
import { el, clear, fillSelect, labelEl, dateEl, showError, hide } from './dom.js';
import { STATUSES, CATEGORIES } from './strings.js';

const $ = (id) => document.getElementById(id);
const PER_PAGE = 20;
const state = { status: '', category: '', assignee: '', overdue: false, page: 1, after: [''] };
let nextAfter = null;
let ctxRef = null;
let seq = 0;

function fillFilters(ctx) {
  fillSelect($('f-status'), [{ value: '', key: 'list.any' },
    ...STATUSES.map((s) => ({ value: s, key: `st.${s}` }))], state.status);
  fillSelect($('f-category'), [{ value: '', key: 'list.any' },
    ...CATEGORIES.map((c) => ({ value: c, key: `cat.${c}` }))], state.category);
  fillSelect($('f-assignee'), [{ value: '', key: 'list.any' },
    ...ctx.users.map((u) => ({
      value: u.username,
      text: `${u.display_name} (${u.username})`,
    }))], state.assignee);
  $('f-overdue').checked = state.overdue;
}

// `heading`: h3 inside a flood batch's row, whose own heading is the h2.
function caseItem(c, heading = 'h2') {
  const link = el('a', { href: `#/case/${encodeURIComponent(c.case_number)}`, class: 'case-link', text: c.case_number });
  const head = el(heading, { class: 'case-item-h' }, [link]);
  const badges = el('p', { class: 'badges' }, [
    labelEl('st', c.status, 'span', { class: 'status-badge', 'data-status': c.status }),
    c.overdue ? el('span', { class: 'badge badge-overdue', i18n: 'list.overdue', 'data-testid': 'overdue-badge' }) : null,
    c.priority === 'high' || c.priority === 'urgent'
      ? labelEl('pr', c.priority, 'span', { class: `badge badge-${c.priority}` }) : null,
    c.identity_provided ? el('span', { class: 'badge badge-plain', i18n: 'list.identity' }) : null,
  ]);
  const fact = (key, value) => el('div', {}, [el('dt', { i18n: key }), el('dd', {}, [value])]);
  const facts = el('dl', { class: 'facts compact-facts' }, [
    fact('list.category', labelEl('cat', c.category)),
    fact('list.received', dateEl(c.received_at)),
    fact('list.priority', labelEl('pr', c.priority)),
    fact('list.assignee', c.assignee ? el('span', { text: c.assignee }) : el('span', { i18n: 'c.nobody' })),
  ]);
  return el('li', { class: `case-item${c.overdue ? ' is-overdue' : ''}`, 'data-case': c.case_number }, [head, badges, facts]);
}

// The cases of one flood batch, fetched when the row is opened, a hundred
// at a time.
async function loadBatch(id, list, more, after) {
  const data = await api.get(`/api/v1/cases${api.query({ batch: id, after, per_page: 100 })}`);
  for (const c of Array.isArray(data.cases) ? data.cases : []) list.append(caseItem(c, 'h3'));
  more.hidden = !data.has_more;
  more.onclick = data.has_more ? () => loadBatch(id, list, more, data.next_after).catch(() => {}) : null;
}

function batchItem(b) {
  const listId = `flood-batch-${b.id}`;
  const inner = el('ul', { class: 'case-list flood-batch-cases', id: listId, hidden: true });
  const more = el('button', { type: 'button', class: 'btn btn-secondary', i18n: 'flood.more', hidden: true });
  const error = el('div', { class: 'notice notice-error', role: 'alert', hidden: true });
  const toggle = el('button', {
    type: 'button', class: 'btn btn-secondary', i18n: 'flood.open',
    'aria-expanded': 'false', 'aria-controls': listId, 'data-testid': 'flood-batch-toggle',
  });
  let loaded = false;
  toggle.addEventListener('click', async () => {
    const open = toggle.getAttribute('aria-expanded') !== 'true';
    toggle.setAttribute('aria-expanded', String(open));
    setText(toggle, open ? 'flood.close' : 'flood.open');
    inner.hidden = !open;
    if (!open) { more.hidden = true; return; }
    if (loaded) return;
    loaded = true;
    hide(error);
    try {
      await loadBatch(b.id, inner, more);
    } catch (e) {
      loaded = false;
      showError(error, e);
    }
  });
  return el('li', { class: 'case-item flood-batch', 'data-batch': b.id, 'data-testid': 'flood-batch' }, [
    el('h2', { class: 'case-item-h', i18n: 'flood.h', 'data-testid': 'flood-batch-h' }),
    el('p', { class: 'badges' }, [el('span', { class: 'badge badge-flood', i18n: 'flood.badge' })]),
    el('p', { 'data-testid': 'flood-batch-summary', i18n: 'flood.summary', vars: { n: b.cases, open: b.open, overdue: b.overdue } }),
    el('dl', { class: 'facts compact-facts' }, [
      el('div', {}, [el('dt', { i18n: 'flood.received' }), el('dd', {}, [dateEl(b.received_at)])]),
    ]),
    el('p', { class: 'hint', i18n: 'flood.why' }),
    toggle, error, inner, more,
  ]);
}

async function load() {
  const mine = ++seq;
  const list = $('case-list');
  const result = $('cases-result');
  hide($('cases-error'));
  setText(result, 'c.loading');
  $('cases-prev').disabled = true;
  $('cases-next').disabled = true;
  try {
    const data = await api.get(`/api/v1/cases${api.query({
      status: state.status,
      category: state.category,
      assignee: state.assignee,
      overdue: state.overdue ? '1' : '',
      after: state.after[state.page - 1],
      per_page: PER_PAGE,
    })}`);
    if (mine !== seq) return;
    clear(list);
    for (const b of Array.isArray(data.flood_batches) ? data.flood_batches : []) list.append(batchItem(b));
    const cases = Array.isArray(data.cases) ? data.cases : [];
    for (const c of cases) list.append(caseItem(c));
    if (cases.length === 0) setText(result, 'list.empty');
    else setText(result, 'list.count', { page: state.page, n: cases.length });
    setText($('cases-page'), 'list.page', { page: state.page });
    $('cases-prev').disabled = state.page <= 1;
    nextAfter = data.has_more ? data.next_after : null;
    $('cases-next').disabled = !nextAfter;
  } catch (e) {
    if (mine !== seq || e.status === 401) return;
    result.textContent = '';
    showError($('cases-error'), e);
  }
}

$('filters').addEventListener('submit', (ev) => {
  ev.preventDefault();
  state.status = $('f-status').value;
  state.category = $('f-category').value;
  state.assignee = $('f-assignee').value;
  state.overdue = $('f-overdue').checked;
  Object.assign(state, { page: 1, after: [''] });
  load();
});

$('filters-reset').addEventListener('click', () => {
  Object.assign(state, { status: '', category: '', assignee: '', overdue: false, page: 1, after: [''] });
  fillFilters(ctxRef);
  load();
});

$('cases-prev').addEventListener('click', () => {
  if (state.page > 1) { state.page -= 1; load().then(() => $('cases-h1').focus()); }
});
$('cases-next').addEventListener('click', () => {
  if (!nextAfter) return;
  state.after[state.page] = nextAfter;
  state.page += 1;
  load().then(() => $('cases-h1').focus());
});

export async function enter(ctx) {
  ctxRef = ctx;
  fillFilters(ctx);
  await load();
}

export function leave() {
  seq += 1;
}
