// A reporter's request to move the case out of its oversight channel
// (issue 20, item 7). Whoever holds the tracking code can ask, the clerk who
// recorded the complaint at the counter included; the case moves only when
// a recipient of this channel confirms it with a step-up (it changes who
// reads the case), or stays when one declines. The server checks every
// rule again; buttons are shown only to those it would accept.
import { lang, setText } from '../i18n.js';
import * as api from './api.js';
import { el, clear, blank, dateEl, showError, showOk } from './dom.js';
import { withStepUp } from './step-up.js';

const $ = (id) => document.getElementById(id);
let number = null;
let hooks = null;  // {reload, moved}

const channelName = (c) => (c ? (lang() === 'en' ? c.name_en || c.name_th : c.name_th || c.name_en) || c.id || '' : '');

function renderList(d) {
  const list = $('escalation-list');
  clear(list);
  for (const r of d.escalation_requests) {
    const parts = [
      el('span', { class: 'tag', 'data-state': r.state, i18n: `esc.state_${r.state}` }), ' ',
      el('span', { i18n: 'esc.what', vars: { from: channelName(r.from), to: channelName(r.to) } }), ' · ',
      dateEl(r.requested_at),
    ];
    if (r.reason) parts.push(el('br'), el('span', { i18n: 'esc.reason' }), ' ', el('span', { class: 'prewrap', text: r.reason }));
    parts.push(el('br'), el('span', { i18n: `esc.identity_${r.identity}` }));
    if (r.state === 'pending') parts.push(el('br'), el('span', { i18n: 'esc.expires' }), ' ', dateEl(r.expires_at));
    if (r.decided_at && r.state !== 'pending') {
      parts.push(el('br'), el('span', { i18n: r.decided_by ? 'esc.decided_by' : 'esc.decided', vars: { u: r.decided_by || '' } }),
        ' ', dateEl(r.decided_at));
    }
    list.append(el('li', { 'data-state': r.state }, parts));
  }
}

export function render(d, { reload, moved }) {
  if (d.case_number !== number) wipe();
  number = d.case_number;
  hooks = { reload, moved };
  const requests = Array.isArray(d.escalation_requests) ? d.escalation_requests : [];
  $('escalation-section').hidden = requests.length === 0;
  if (requests.length === 0) return;
  renderList({ escalation_requests: requests });
  const pending = requests[requests.length - 1].state === 'pending';
  $('escalation-actions').hidden = !pending || !(d.can_confirm_escalation || d.can_decline_escalation);
  $('escalation-confirm').hidden = !d.can_confirm_escalation;
  $('escalation-decline').hidden = !d.can_decline_escalation;
  $('escalation-not-you').hidden = !(pending && d.can_decline_escalation && !d.can_confirm_escalation);
}

export function wipe() {
  clear($('escalation-list'));
  blank($('escalation-result'));
  $('escalation-section').hidden = true;
  number = null;
}

async function act(button, work) {
  if (button.disabled) return;
  const result = $('escalation-result');
  button.disabled = true;
  blank(result);
  setText(result, 'c.saving');
  try {
    await work(result);
  } catch (e) {
    if (e.status === 401) return;
    showError(result, e, { detail: true });
    result.focus();
  } finally {
    button.disabled = false;
  }
}

$('escalation-confirm').addEventListener('click', (ev) => {
  act(ev.currentTarget, async (result) => {
    const n = number;
    const answer = await withStepUp((step_up) => api.post(`${api.caseUrl(n)}/escalation/confirm`, { step_up }));
    if (!answer) { blank(result); return; }  // cancelled
    // The confirming reader may not read the case in its new channel.
    try {
      await hooks.reload();
      showOk($('escalation-result'), 'esc.confirmed');
    } catch (e) {
      if (e.status !== 404) throw e;
      hooks.moved(n);
    }
  });
});

$('escalation-decline').addEventListener('click', (ev) => {
  act(ev.currentTarget, async (result) => {
    await api.post(`${api.caseUrl(number)}/escalation/decline`, {});
    await hooks.reload();
    showOk(result, 'esc.declined');
  });
});
