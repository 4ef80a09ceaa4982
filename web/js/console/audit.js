// Audit log: one case's entries (anyone who may open the case) or the whole
// log (administrators). Detail text is shown as the server wrote it.
import { setText } from '../i18n.js';
import * as api from './api.js';
import { el, clear, labelEl, dateEl, showError, hide } from './dom.js';
import { monthLabel } from './stats.js';

const $ = (id) => document.getElementById(id);
const PER_PAGE = 50;
const state = { caseNumber: '', page: 1 };
let seq = 0;

function entryRow(e) {
  const caseCell = e.case_number
    ? el('a', { href: `#/case/${encodeURIComponent(e.case_number)}`, text: e.case_number })
    : el('span', { i18n: 'c.none' });
  return el('tr', { 'data-action': e.action }, [
    el('td', {}, [dateEl(e.at)]),
    el('td', {}, [e.actor ? el('span', { text: e.actor }) : el('span', { i18n: 'c.none' })]),
    el('td', {}, [labelEl('act', e.action), el('span', { class: 'action-id', text: ` ${e.action}` })]),
    el('td', {}, [caseCell]),
    el('td', { class: 'detail-cell', text: e.detail || '' }),
  ]);
}

async function load({ focus = false } = {}) {
  const mine = ++seq;
  const result = $('audit-result');
  hide($('audit-error'));
  setText(result, 'c.loading');
  $('audit-prev').disabled = true;
  $('audit-next').disabled = true;
  try {
    const data = await api.get(`/api/v1/audit${api.query({ case_number: state.caseNumber, page: state.page, per_page: PER_PAGE })}`);
    if (mine !== seq) return;
    const rows = $('audit-rows');
    clear(rows);
    const entries = Array.isArray(data.entries) ? data.entries : [];
    for (const e of entries) rows.append(entryRow(e));
    $('audit-wrap').hidden = entries.length === 0;
    if (entries.length === 0) setText(result, 'audit.empty');
    else setText(result, 'audit.count', { page: state.page, n: entries.length });
    setText($('audit-page'), 'list.page', { page: state.page });
    $('audit-prev').disabled = state.page <= 1;
    // The API gives no has_more: a full page may have a next one.
    $('audit-next').disabled = entries.length < PER_PAGE;
    if (focus) $('audit-h1').focus();
  } catch (e) {
    if (mine !== seq || e.status === 401) return;
    result.textContent = '';
    clear($('audit-rows'));
    $('audit-wrap').hidden = true;
    const box = $('audit-error');
    if (e.code === 'forbidden' && !state.caseNumber) {
      box.hidden = false;
      setText(box, 'audit.admin_only');
    } else {
      showError(box, e);
    }
  }
}

$('audit-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const n = $('audit-case').value.trim();
  const hash = n ? `#/audit?case=${encodeURIComponent(n)}` : '#/audit';
  state.page = 1;
  if (window.location.hash !== hash) window.location.hash = hash;
  else { state.caseNumber = n; load(); }
});

$('audit-prev').addEventListener('click', () => {
  if (state.page > 1) { state.page -= 1; load({ focus: true }); }
});
$('audit-next').addEventListener('click', () => {
  state.page += 1;
  load({ focus: true });
});

// The value of the last entry of each month, newest first: what the
// agency publishes so that a later rewrite of the log can be proven.
async function loadHeads() {
  const status = $('audit-heads-status');
  const rows = $('audit-heads-rows');
  try {
    const data = await api.get('/api/v1/audit/heads');
    clear(rows);
    const months = Array.isArray(data.month_ends) ? [...data.month_ends].reverse() : [];
    for (const h of months) {
      rows.append(el('tr', {}, [
        el('th', { scope: 'row' }, [monthLabel({ year: h.year_be, month: h.month })]),
        el('td', {}, [el('code', { class: 'audit-head', text: h.published_form })]),
      ]));
    }
    $('audit-heads-wrap').hidden = months.length === 0 || !data.intact;
    status.classList.toggle('notice-error', !data.intact);
    if (!data.intact) setText(status, 'audit.heads_broken', { id: data.first_broken_id });
    else if (months.length === 0) setText(status, 'audit.heads_empty');
    else setText(status, 'audit.heads_ok', { n: data.entries });
  } catch (e) {
    if (e.status === 401) return;
    clear(rows);
    $('audit-heads-wrap').hidden = true;
    showError(status, e);
  }
}

export async function enter(ctx, arg, params) {
  loadHeads();
  const n = (params && params.get('case')) || '';
  if (n !== state.caseNumber) state.page = 1;
  state.caseNumber = n;
  $('audit-case').value = n;
  const u = api.user();
  if (!n && !(u && u.admin)) {
    // Only administrators may list everything: ask for a case number first.
    clear($('audit-rows'));
    $('audit-wrap').hidden = true;
    $('audit-result').textContent = '';
    hide($('audit-error'));
    const box = $('audit-error');
    box.hidden = false;
    setText(box, 'audit.admin_only');
    return;
  }
  await load();
}

export function leave() {
  seq += 1;
}
