// Two people where one could expose a reporter or bury a case (issue 10,
// item 5): identity requests in two-person channels (ask with a reason; a
// custodian other than the asker approves or refuses) and an outcome
// waiting for a second recipient (confirm, or decline with a reason; its
// proposer may withdraw). The server checks every rule again; buttons are
// shown only to those it would accept.
import { setText, setLiteral } from '../i18n.js';
import * as api from './api.js';
import { el, clear, blank, labelEl, dateEl, showError, showOk, showProblem, charCount } from './dom.js';

const $ = (id) => document.getElementById(id);
const REASON_MIN = 10;
let number = null;
let reloadFn = null;
let shown = null;

function me() {
  return api.user() ? api.user().username : '';
}

function reasonOf(textarea, result) {
  const why = textarea.value.trim();
  if (charCount(why) < REASON_MIN) {
    showProblem(result, 'tp.reason_short', textarea);
    return null;
  }
  return why;
}

// Runs one action with its button disabled; the result in the section's live region.
async function act(button, work) {
  if (button.disabled) return;
  const result = $('two-person-result');
  button.disabled = true;
  blank(result);
  setText(result, 'c.saving');
  try {
    const done = await work();
    if (reloadFn) await reloadFn();
    if (done) showOk(result, done.key, done.vars);
  } catch (e) {
    if (e.status === 401) return;
    button.disabled = false;
    showError(result, e, { detail: true });
    result.focus();
  }
}

function button(key, testid, extra, onClick) {
  const b = el('button', { type: 'button', class: 'btn btn-secondary', 'data-testid': testid }, [
    el('span', { i18n: key }),
    el('span', { class: 'visually-hidden', text: extra }),
  ]);
  b.addEventListener('click', () => onClick(b));
  return b;
}

function renderRequests(d) {
  const list = $('idreq-list');
  clear(list);
  // Requests for a referral package are shown with the referral.
  const items = (Array.isArray(d.identity_requests) ? d.identity_requests : []).filter((r) => r.purpose !== 'referral');
  if (items.length === 0) list.append(el('li', { i18n: 'tp.no_requests' }));
  let canRefuse = false;
  for (const r of items) {
    const parts = [el('strong', { text: r.requested_by || '' }), ' — ', el('span', { text: r.reason || '' }), ' · ',
      dateEl(r.at), ' · ', el('span', { class: 'tag', 'data-state': r.state, i18n: `tp.state_${r.state}` })];
    if (r.decided_by) parts.push(' · ', el('span', { i18n: 'tp.decided_by', vars: { u: r.decided_by } }));
    if (r.state === 'refused' && r.refusal) parts.push(': ', el('span', { text: r.refusal }));
    if (r.state === 'pending' && d.can_decide_identity_requests && r.requested_by !== me()) {
      canRefuse = true;
      const who = ` (${r.requested_by})`;
      parts.push(' ', button('tp.approve', 'idreq-approve', who, (b) => act(b, async () => {
        await api.post(`${api.caseUrl(number)}/identity-requests/${r.id}/approve`, {});
        return { key: 'tp.approved', vars: { u: r.requested_by } };
      })));
      parts.push(' ', button('tp.refuse', 'idreq-refuse', who, (b) => {
        const why = reasonOf($('idreq-refuse-reason'), $('two-person-result'));
        if (why === null) return;
        act(b, async () => {
          await api.post(`${api.caseUrl(number)}/identity-requests/${r.id}/refuse`, { reason: why });
          $('idreq-refuse-reason').value = '';
          return { key: 'tp.refused', vars: { u: r.requested_by } };
        });
      }));
    }
    list.append(el('li', { 'data-request': String(r.id) }, parts));
  }
  $('idreq-refuse-field').hidden = !canRefuse;
  $('idreq-form').hidden = !d.can_request_identity;
}

function renderOutcome(d) {
  const box = $('outcome-pending');
  const p = d.pending_outcome;
  box.hidden = !p;
  if (!p) return;
  const what = $('outcome-pending-what');
  clear(what);
  what.removeAttribute('data-i18n');
  what.append(el('span', { i18n: 'tp.outcome_what', vars: { u: p.proposed_by } }), ' ',
    labelEl('st', p.status, 'strong', { 'data-status': p.status }), ' · ', dateEl(p.at));
  setLiteral($('outcome-pending-message'), p.outcome_message || '');
  const mine = p.proposed_by === me();
  $('outcome-confirm').hidden = mine;
  $('outcome-decline-field').hidden = mine;
  setText($('outcome-decline'), mine ? 'tp.withdraw' : 'tp.decline');
}

export function render(d, reload) {
  if (d.case_number !== number) wipe();
  number = d.case_number;
  reloadFn = reload;
  shown = d;
  const twoPerson = Boolean(d.identity_two_person) && Boolean(d.identity_provided);
  $('two-person-section').hidden = !twoPerson && !d.pending_outcome;
  $('idreq-box').hidden = !twoPerson;
  if (twoPerson) renderRequests(d);
  renderOutcome(d);
}

export function wipe() {
  for (const id of ['idreq-list', 'outcome-pending-what', 'outcome-pending-message']) clear($(id));
  for (const id of ['idreq-reason', 'idreq-refuse-reason', 'outcome-decline-reason']) $(id).value = '';
  blank($('two-person-result'));
  $('two-person-section').hidden = true;
  shown = null;
}

$('idreq-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const why = reasonOf($('idreq-reason'), $('two-person-result'));
  if (why === null) return;
  act(ev.target.querySelector('button[type=submit]'), async () => {
    await api.post(`${api.caseUrl(number)}/identity-requests`, { reason: why });
    $('idreq-reason').value = '';
    return { key: 'tp.asked' };
  });
});

$('outcome-confirm').addEventListener('click', (ev) => {
  act(ev.currentTarget, async () => {
    await api.post(`${api.caseUrl(number)}/outcome/confirm`, {});
    return { key: 'tp.confirmed' };
  });
});

$('outcome-decline').addEventListener('click', (ev) => {
  const mine = shown && shown.pending_outcome && shown.pending_outcome.proposed_by === me();
  let body = {};
  if (!mine) {
    const why = reasonOf($('outcome-decline-reason'), $('two-person-result'));
    if (why === null) return;
    body = { reason: why };
  }
  act(ev.currentTarget, async () => {
    await api.post(`${api.caseUrl(number)}/outcome/decline`, body);
    $('outcome-decline-reason').value = '';
    return { key: mine ? 'tp.withdrawn' : 'tp.declined' };
  });
});
