// One case: the decrypted complaint, deadlines, triage (status, priority,
// category, assignee), the account the complaint is about, exclusions,
// replies to the reporter, internal notes, history, and (for custodians)
// the identity panel. Every plaintext is removed from the DOM on leaving.
import { setText, setLiteral } from '../i18n.js';
import * as api from './api.js';
import {
  el, clear, blank, fillSelect, labelEl, setLabel, dateEl, setDate, showError, showOk, showProblem, hide, charCount,
} from './dom.js';
import { PRIORITIES, CATEGORIES, TRANSITIONS, NEEDS_OUTCOME_MESSAGE } from './strings.js';
import * as identity from './identity.js';
import * as twoPerson from './two-person.js';
import * as escalation from './escalation.js';
import * as referral from './referral.js';

const $ = (id) => document.getElementById(id);
const TEXT_MAX = 5000;
let ctxRef = null;
let current = null; // the case detail shown
let number = null;
let seq = 0;

function users() {
  return ctxRef ? ctxRef.users : [];
}

function userText(username) {
  const u = users().find((x) => x.username === username);
  return u ? `${u.display_name} (${u.username})` : username;
}

function setOptional(node, value) {
  if (typeof value === 'string' && value.trim() !== '') setLiteral(node, value);
  else setText(node, 'c.none');
}

function renderFacts(d) {
  setText($('case-h1'), 'case.h1', { n: d.case_number });
  const badge = $('case-status');
  setLabel(badge, 'st', d.status);
  badge.setAttribute('data-status', d.status);
  $('case-overdue').hidden = !d.overdue;
  setLabel($('case-category'), 'cat', d.category);
  setLabel($('case-priority'), 'pr', d.priority);
  if (d.assignee) setLiteral($('case-assignee'), userText(d.assignee));
  else setText($('case-assignee'), 'c.nobody');
  setDate($('case-received'), d.received_at);
  setDate($('case-updated'), d.updated_at);
  setLiteral($('case-fy'), String(d.fiscal_year ?? ''));
  setText($('case-identity-provided'), d.identity_provided ? 'case.identity_yes' : 'case.identity_no');
  setLabel($('case-source'), 'src', d.source || 'web');
  $('case-registry-row').hidden = !d.registry_number;
  setLiteral($('case-registry'), d.registry_number || '');
}

function renderDeadlines(d) {
  const box = $('case-deadlines');
  clear(box);
  const dl = d.deadlines || {};
  const rows = [
    ['case.ack_due', dl.acknowledge_due, dl.acknowledge_overdue, d.acknowledged_at, 'acknowledge'],
    ['case.reply_due', dl.reply_due, dl.reply_overdue, d.first_reply_at, 'reply'],
    ['case.outcome_due', dl.outcome_due, dl.outcome_overdue, d.outcome_at, 'outcome'],
  ];
  for (const [key, due, overdue, doneAt, id] of rows) {
    const dd = el('dd', {}, [dateEl(due)]);
    if (overdue) dd.append(' ', el('span', { class: 'badge badge-overdue', i18n: 'case.overdue' }));
    if (doneAt) dd.append(el('span', { class: 'done-at' }, [el('span', { i18n: 'case.done_at' }), ' ', dateEl(doneAt)]));
    box.append(el('div', { class: overdue ? 'is-overdue' : null, 'data-deadline': id }, [el('dt', { i18n: key }), dd]));
  }
}

function renderComplaint(d) {
  const c = d.complaint || {};
  const s = c.subject || {};
  setOptional($('case-subject-name'), s.name);
  setOptional($('case-subject-position'), s.position);
  setOptional($('case-subject-unit'), s.unit);
  setOptional($('case-description'), c.description);
  if (c.incident_date) setDate($('case-incident-date'), c.incident_date);
  else setText($('case-incident-date'), 'c.none');
  setOptional($('case-location'), c.location);
  const files = $('case-attachments');
  clear(files);
  const list = Array.isArray(d.attachments) ? d.attachments : [];
  if (list.length === 0) {
    setText(files, 'case.no_attachments');
  } else {
    files.removeAttribute('data-i18n');
    const ul = el('ul', { class: 'plain-list' });
    for (const a of list) ul.append(el('li', { text: (a && (a.filename || a.name)) || String(a && a.id) }));
    files.append(ul);
  }
}

function renderManage(d) {
  const next = TRANSITIONS[d.status] || [];
  fillSelect($('m-status'), [{ value: d.status, key: `st.${d.status}` },
    ...next.map((s) => ({ value: s, key: `st.${s}` }))], d.status);
  fillSelect($('m-priority'), PRIORITIES.map((p) => ({ value: p, key: `pr.${p}` })), d.priority);
  // The case's agency's own categories (issue 11), and the current one even if no longer taken.
  const offered = Array.isArray(d.categories) && d.categories.length ? d.categories.map((c) => c.id) : CATEGORIES;
  const cats = offered.includes(d.category) ? offered : [...offered, d.category];
  fillSelect($('m-category'), cats.map((c) => ({ value: c, key: `cat.${c}` })), d.category);
  const excluded = new Set((d.exclusions || []).map((x) => x.username));
  const assignable = users().filter((u) => !excluded.has(u.username));
  if (d.assignee && !assignable.some((u) => u.username === d.assignee)) {
    assignable.push({ username: d.assignee, display_name: d.assignee });
  }
  fillSelect($('m-assignee'), [{ value: '', key: 'c.nobody' },
    ...assignable.map((u) => ({ value: u.username, text: `${u.display_name} (${u.username})` }))], d.assignee || '');

  const others = users().filter((u) => !excluded.has(u.username));
  const people = others.map((u) => ({ value: u.username, text: `${u.display_name} (${u.username})` }));
  fillSelect($('subject-user'), [{ value: '', key: 'case.subject_choose' }, ...people], '');
  fillSelect($('exclude-user'), [{ value: '', key: 'case.subject_choose' }, ...people], '');
  const lift = $('lift-form');
  lift.hidden = !d.can_approve_exclusions || excluded.size === 0;
  fillSelect($('lift-user'), [{ value: '', key: 'case.subject_choose' },
    ...[...excluded].map((u) => ({ value: u, text: userText(u) }))], '');
  showOutcomeField();
}

// The outcome message is asked for only with the statuses that need it.
function showOutcomeField() {
  const needed = NEEDS_OUTCOME_MESSAGE.includes($('m-status').value)
    && (!current || $('m-status').value !== current.status);
  $('m-outcome-field').hidden = !needed;
  $('m-outcome').required = needed;
}

function renderThread(listId, emptyId, items, kind) {
  const list = $(listId);
  clear(list);
  $(emptyId).hidden = items.length > 0;
  for (const m of items) {
    const fromReporter = kind === 'message' && m.from === 'reporter';
    const who = kind === 'note'
      ? el('strong', { text: userText(m.author || '') })
      : el('strong', { i18n: fromReporter ? 'case.from_reporter' : 'case.from_investigator' });
    const cls = kind === 'note' ? 'msg msg-note' : `msg ${fromReporter ? 'msg-reporter' : 'msg-investigator'}`;
    list.append(el('li', { class: cls }, [
      el('p', { class: 'msg-head' }, [who, ' · ', dateEl(m.at)]),
      el('p', { class: 'msg-body', text: m.body || '' }),
    ]));
  }
}

function historyDetail(h) {
  if (h.kind === 'category' && h.detail) return labelEl('cat', h.detail);
  if (h.kind === 'priority' && h.detail) return labelEl('pr', h.detail);
  if (h.kind === 'assignee' && h.detail) {
    return h.detail === '-' ? el('span', { i18n: 'c.nobody' }) : el('span', { text: userText(h.detail) });
  }
  if (h.kind === 'referral' && h.detail) {
    // {"body", "body_name"?, "reference"} as sealed by the server.
    try {
      const r = JSON.parse(h.detail);
      const body = r.body === 'other' ? el('span', { text: r.body_name || '' }) : el('span', { i18n: `ref.body_${r.body}` });
      return el('span', {}, [body, ` · ${r.reference || ''}`]);
    } catch {
      return el('span', { text: h.detail });
    }
  }
  if (h.detail) return el('span', { text: h.detail });
  return null;
}

function renderHistory(d) {
  const list = $('case-history');
  clear(list);
  const items = Array.isArray(d.history) ? d.history : [];
  if (items.length === 0) list.append(el('li', { i18n: 'case.history_empty' }));
  for (const h of items) {
    const parts = [dateEl(h.at), ' — ', labelEl('kind', h.kind, 'strong')];
    if (h.status) parts.push(': ', labelEl('st', h.status, 'span', { 'data-status': h.status }));
    const detail = historyDetail(h);
    if (detail) parts.push(': ', detail);
    if (h.actor) parts.push(' · ', el('span', { class: 'actor', text: userText(h.actor) }));
    parts.push(' ', el('span', {
      class: h.visible_to_reporter ? 'tag tag-public' : 'tag tag-internal',
      i18n: h.visible_to_reporter ? 'case.visible_to_reporter' : 'case.internal',
    }));
    list.append(el('li', { 'data-kind': h.kind }, parts));
  }
}

function renderExclusions(d) {
  const list = $('case-exclusions');
  clear(list);
  const items = Array.isArray(d.exclusions) ? d.exclusions : [];
  if (items.length === 0) list.append(el('li', { i18n: 'case.no_exclusions' }));
  for (const x of items) {
    const parts = [el('strong', { text: userText(x.username) }), ' — ', el('span', { text: x.reason || '' })];
    if (x.recused) parts.push(' · ', el('span', { i18n: 'case.recused' }));
    else if (x.excluded_by) parts.push(' · ', el('span', { i18n: 'case.excluded_by', vars: { u: userText(x.excluded_by) } }));
    if (x.approved_by) parts.push(' · ', el('span', { i18n: 'case.approved_by', vars: { u: userText(x.approved_by) } }));
    parts.push(' · ', dateEl(x.at));
    list.append(el('li', {}, parts));
  }
  renderPending(d);
}

// Exclusions of custodians and administrators waiting for a second
// custodian: an Approve button for custodians other than the requester
// and the person named (the server checks the same).
function renderPending(d) {
  const list = $('case-pending-exclusions');
  clear(list);
  const items = Array.isArray(d.pending_exclusions) ? d.pending_exclusions : [];
  if (items.length === 0) list.append(el('li', { i18n: 'case.no_pending' }));
  const me = api.user() ? api.user().username : '';
  for (const x of items) {
    const parts = [el('strong', { text: userText(x.username) }), ' — ', el('span', { text: x.reason || '' }),
      ' · ', el('span', { i18n: 'case.requested_by', vars: { u: userText(x.requested_by) } }), ' · ', dateEl(x.at)];
    if (d.can_approve_exclusions && x.requested_by !== me && x.username !== me) {
      // The name is in the button's accessible name too: several may be listed.
      const button = el('button', { type: 'button', class: 'btn btn-secondary', 'data-approve': x.username }, [
        el('span', { i18n: 'case.approve' }),
        el('span', { class: 'visually-hidden', text: ` (${userText(x.username)})` }),
      ]);
      button.addEventListener('click', () => approve(button, x.username));
      parts.push(' ', button);
    }
    list.append(el('li', {}, parts));
  }
}

async function approve(button, username) {
  if (button.disabled) return;
  const result = $('pending-result');
  button.disabled = true;
  blank(result);
  setText(result, 'c.saving');
  try {
    await api.post(`${api.caseUrl(number)}/exclusions/${encodeURIComponent(username)}/approve`, {});
    await reload();
    showOk(result, 'case.approve_done', { u: username });
  } catch (e) {
    if (e.status === 401) return;
    button.disabled = false;
    showError(result, e, { detail: true });
    result.focus();
  }
}

function render(d) {
  current = d;
  renderFacts(d);
  renderDeadlines(d);
  renderComplaint(d);
  renderManage(d);
  renderThread('case-messages', 'case-messages-empty', Array.isArray(d.messages) ? d.messages : [], 'message');
  renderThread('case-notes', 'case-notes-empty', Array.isArray(d.notes) ? d.notes : [], 'note');
  renderHistory(d);
  renderExclusions(d);
  $('case-audit-link').setAttribute('href', `#/audit?case=${encodeURIComponent(d.case_number)}`);
  identity.setCase(d.case_number, Boolean(d.can_reveal_identity));
  twoPerson.render(d, reload);
  escalation.render(d, {
    reload,
    moved: (n) => {
      leave();
      ctxRef.flash('esc.moved_away', { n });
      ctxRef.go('#/cases');
    },
  });
  referral.render(d, reload);
  $('case-body').hidden = false;
}

async function reload() {
  const mine = ++seq;
  const d = await api.get(api.caseUrl(number));
  if (mine === seq) render(d);
}

// Runs a form's action with its button disabled; result into resultEl.
async function act(form, resultEl, work) {
  const button = form.querySelector('button[type=submit]');
  if (button.disabled) return;
  button.disabled = true;
  blank(resultEl);
  setText(resultEl, 'c.saving');
  try {
    await work();
  } catch (e) {
    if (e.status === 401) return;
    showError(resultEl, e, { detail: true });
    resultEl.focus();
  } finally {
    button.disabled = false;
  }
}

function checkBody(textarea, resultEl) {
  const body = textarea.value;
  if (body.trim() === '') {
    showProblem(resultEl, 'case.body_required', textarea);
    return null;
  }
  if (charCount(body) > TEXT_MAX) {
    showProblem(resultEl, 'case.text_too_long', textarea, { max: TEXT_MAX });
    return null;
  }
  return body;
}

$('manage-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  if (!current) return;
  const changes = {};
  const status = $('m-status').value;
  const priority = $('m-priority').value;
  const category = $('m-category').value;
  const assignee = $('m-assignee').value;
  if (status !== current.status) changes.status = status;
  if (changes.status && NEEDS_OUTCOME_MESSAGE.includes(status)) {
    const outcome = checkBody($('m-outcome'), $('manage-result'));
    if (outcome === null) return;
    changes.outcome_message = outcome;
  }
  if (priority !== current.priority) changes.priority = priority;
  if (category !== current.category) changes.category = category;
  if ((assignee || null) !== (current.assignee || null)) changes.assignee = assignee || null;
  const result = $('manage-result');
  if (Object.keys(changes).length === 0) {
    showOk(result, 'case.nothing_changed');
    return;
  }
  act(ev.target, result, async () => {
    const d = await api.patch(api.caseUrl(number), changes);
    $('m-outcome').value = '';
    seq += 1;
    render(d);
    // 202: the channel asks a second recipient to confirm the outcome.
    const held = changes.status && d.status !== changes.status && d.pending_outcome;
    showOk(result, held ? 'case.outcome_pending' : 'case.saved');
  });
});

$('m-status').addEventListener('change', showOutcomeField);

$('reply-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const result = $('reply-result');
  const body = checkBody($('reply-body'), result);
  if (body === null) return;
  act(ev.target, result, async () => {
    await api.post(`${api.caseUrl(number)}/messages`, { body });
    $('reply-body').value = '';
    await reload();
    showOk(result, 'case.reply_done');
  });
});

// Issue 13, item 5: a file for the reporter, under the reporter's rules.
$('send-file-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const result = $('send-file-result');
  const input = $('send-file');
  const file = input.files && input.files[0];
  if (!file) {
    showProblem(result, 'case.send_file_missing', input);
    return;
  }
  act(ev.target, result, async () => {
    const form = new FormData();
    form.append('file', file, file.name);
    await api.upload(`${api.caseUrl(number)}/attachments`, form);
    input.value = '';
    await reload();
    showOk(result, 'case.send_file_done');
  });
});

$('note-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const result = $('note-result');
  const body = checkBody($('note-body'), result);
  if (body === null) return;
  act(ev.target, result, async () => {
    await api.post(`${api.caseUrl(number)}/notes`, { body });
    $('note-body').value = '';
    await reload();
    showOk(result, 'case.note_done');
  });
});

$('subject-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const result = $('subject-result');
  const username = $('subject-user').value;
  if (!username) {
    showProblem(result, 'case.exclude_need_user', $('subject-user'));
    return;
  }
  act(ev.target, result, async () => {
    const d = await api.patch(api.caseUrl(number), { subject_user: username });
    if (d && d.excluded_self) {
      const n = number;
      leave();
      ctxRef.flash('case.excluded_self', { n });
      ctxRef.go('#/cases');
      return;
    }
    seq += 1;
    render(d);
    const pending = (d.pending_exclusions || []).some((x) => x.username === username);
    showOk(result, pending ? 'case.exclude_pending' : 'case.subject_done', { u: username });
  });
});

$('exclude-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const result = $('exclude-result');
  const username = $('exclude-user').value;
  const reason = $('exclude-reason').value.trim();
  const self = api.user() && username === api.user().username;
  const problem = !username ? ['case.exclude_need_user', 'exclude-user']
    : !reason && !self ? ['case.exclude_need_reason', 'exclude-reason'] : null;
  if (problem) {
    showProblem(result, problem[0], $(problem[1]));
    return;
  }
  act(ev.target, result, async () => {
    const r = await api.post(`${api.caseUrl(number)}/exclusions`, reason ? { username, reason } : { username });
    $('exclude-reason').value = '';
    if (self) {
      const n = number;
      leave();
      ctxRef.flash('case.excluded_self', { n });
      ctxRef.go('#/cases');
      return;
    }
    await reload();
    showOk(result, r && r.pending ? 'case.exclude_pending' : 'case.exclude_done', { u: username });
  });
});

$('lift-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const result = $('lift-result');
  const username = $('lift-user').value;
  const reason = $('lift-reason').value.trim();
  const problem = !username ? ['case.exclude_need_user', 'lift-user']
    : !reason ? ['case.exclude_need_reason', 'lift-reason'] : null;
  if (problem) {
    showProblem(result, problem[0], $(problem[1]));
    return;
  }
  act(ev.target, result, async () => {
    await api.post(`${api.caseUrl(number)}/exclusions/${encodeURIComponent(username)}/lift`, { reason });
    $('lift-reason').value = '';
    await reload();
    showOk(result, 'case.lift_done', { u: username });
  });
});

function wipe() {
  for (const node of document.querySelectorAll('#screen-case [data-secret]')) {
    clear(node);
    node.removeAttribute('data-i18n');
  }
  for (const id of ['case-messages', 'case-notes', 'case-history', 'case-exclusions', 'case-pending-exclusions',
    'case-deadlines']) clear($(id));
  for (const id of ['reply-body', 'note-body', 'exclude-reason', 'lift-reason', 'm-outcome']) $(id).value = '';
  for (const id of ['manage-result', 'reply-result', 'note-result', 'subject-result', 'exclude-result',
    'pending-result', 'lift-result']) blank($(id));
  identity.wipe();
  twoPerson.wipe();
  escalation.wipe();
  referral.wipe();
  current = null;
}

export async function enter(ctx, caseNumber) {
  ctxRef = ctx;
  wipe();
  number = caseNumber || '';
  $('case-body').hidden = true;
  hide($('case-error'));
  setLiteral($('case-h1'), number);
  if (!number) {
    ctx.go('#/cases');
    return;
  }
  const mine = ++seq;
  try {
    const d = await api.get(api.caseUrl(number));
    if (mine !== seq) return;
    render(d);
  } catch (e) {
    if (mine !== seq || e.status === 401) return;
    showError($('case-error'), e);
  }
}

export function leave() {
  seq += 1;
  wipe();
  $('case-body').hidden = true;
}
