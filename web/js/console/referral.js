// Referral of a case to another body (issue 13, item 4): the body and its
// reference (the reporter sees both), then the printable package for the
// body. The identity goes into the package only once another custodian
// approved a request made for the referral; the server checks it again.
import { setText, setLiteral, register } from '../i18n.js';
import * as api from './api.js';
import { el, clear, blank, fillSelect, dateEl, showError, showOk, showProblem, charCount } from './dom.js';

const $ = (id) => document.getElementById(id);
const BODIES = ['nacc', 'pacc', 'oag', 'damrongdham', 'other'];
const REASON_MIN = 10;
let number = null;
let reloadFn = null;
let shown = null;

function me() {
  return api.user() ? api.user().username : '';
}

async function act(button, work) {
  if (button.disabled) return;
  const result = $('referral-result');
  button.disabled = true;
  blank(result);
  setText(result, 'c.saving');
  try {
    const done = await work();
    if (reloadFn) await reloadFn();
    if (done) showOk(result, done.key, done.vars);
  } catch (e) {
    if (e.status === 401) return;
    showError(result, e, { detail: true });
    result.focus();
  } finally {
    button.disabled = false;
  }
}

function renderCurrent(r) {
  const p = $('referral-current');
  clear(p);
  p.removeAttribute('data-i18n');
  p.hidden = !r;
  if (!r) return;
  register({ 'ref.current_body': { th: r.body_name_th || r.body, en: r.body_name_en || r.body } });
  p.append(el('span', { i18n: 'ref.current' }), ' ', el('strong', { i18n: 'ref.current_body' }), ' · ',
    el('span', { i18n: 'ref.reference_is' }), ' ', el('strong', { text: r.reference || '' }), ' · ', dateEl(r.at));
}

function renderFiles(d) {
  const list = $('referral-files');
  const keep = new Set([...list.querySelectorAll('input:checked')].map((i) => i.value));
  clear(list);
  const files = Array.isArray(d.attachments) ? d.attachments : [];
  if (files.length === 0) list.append(el('li', { i18n: 'ref.no_files' }));
  for (const f of files) {
    const id = `referral-file-${f.id}`;
    const box = el('input', { type: 'checkbox', id, value: f.id });
    if (keep.has(f.id)) box.checked = true;
    list.append(el('li', { class: 'check' }, [box, el('label', { for: id, text: f.filename || f.id })]));
  }
}

function renderRequests(d) {
  const list = $('referral-idreq-list');
  clear(list);
  const items = (Array.isArray(d.identity_requests) ? d.identity_requests : []).filter((r) => r.purpose === 'referral');
  for (const r of items) {
    const parts = [el('strong', { text: r.requested_by || '' }), ' — ', el('span', { text: r.reason || '' }), ' · ',
      dateEl(r.at), ' · ', el('span', { class: 'tag', 'data-state': r.state, i18n: `tp.state_${r.state}` })];
    if (r.decided_by) parts.push(' · ', el('span', { i18n: 'tp.decided_by', vars: { u: r.decided_by } }));
    if (r.state === 'pending' && d.can_decide_identity_requests && r.requested_by !== me()) {
      const b = el('button', { type: 'button', class: 'btn btn-secondary', 'data-testid': 'referral-idreq-approve' }, [
        el('span', { i18n: 'tp.approve' }), el('span', { class: 'visually-hidden', text: ` (${r.requested_by})` })]);
      b.addEventListener('click', () => act(b, async () => {
        await api.post(`${api.caseUrl(number)}/identity-requests/${r.id}/approve`, {});
        return { key: 'tp.approved', vars: { u: r.requested_by } };
      }));
      parts.push(' ', b);
    }
    list.append(el('li', { 'data-request': String(r.id) }, parts));
  }
  $('referral-idreq-form').hidden = !d.can_request_referral_identity;
  const box = $('referral-with-identity');
  box.disabled = !d.referral_identity_approved;
  if (box.disabled) box.checked = false;
}

export function render(d, reload) {
  if (d.case_number !== number) wipe();
  number = d.case_number;
  reloadFn = reload;
  shown = d;
  if (!$('referral-body').options.length) {
    fillSelect($('referral-body'), BODIES.map((b) => ({ value: b, key: `ref.body_${b}` })), 'nacc');
  }
  renderCurrent(d.referral);
  $('referral-package-box').hidden = !d.referral;
  $('referral-identity-box').hidden = !d.identity_provided;
  renderFiles(d);
  renderRequests(d);
}

export function wipe() {
  for (const id of ['referral-files', 'referral-idreq-list', 'referral-current']) clear($(id));
  for (const id of ['referral-name', 'referral-reference', 'referral-idreq-reason']) $(id).value = '';
  $('referral-with-identity').checked = false;
  blank($('referral-result'));
  shown = null;
}

$('referral-body').addEventListener('change', (ev) => {
  $('referral-name-field').hidden = ev.target.value !== 'other';
});

$('referral-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const result = $('referral-result');
  const body = $('referral-body').value;
  const name = $('referral-name').value.trim();
  const reference = $('referral-reference').value.trim();
  if (body === 'other' && !name) return showProblem(result, 'ref.need_name', $('referral-name'));
  if (!reference) return showProblem(result, 'ref.need_reference', $('referral-reference'));
  act(ev.target.querySelector('button[type=submit]'), async () => {
    await api.post(`${api.caseUrl(number)}/referral`, body === 'other' ? { body, body_name: name, reference } : { body, reference });
    $('referral-reference').value = '';
    return { key: 'ref.saved' };
  });
});

$('referral-idreq-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const why = $('referral-idreq-reason').value.trim();
  if (charCount(why) < REASON_MIN) return showProblem($('referral-result'), 'tp.reason_short', $('referral-idreq-reason'));
  act(ev.target.querySelector('button[type=submit]'), async () => {
    await api.post(`${api.caseUrl(number)}/identity-requests`, { reason: why, purpose: 'referral' });
    $('referral-idreq-reason').value = '';
    return { key: 'tp.asked' };
  });
});

// The package opens as its own page (the session cookie goes with it): the
// investigator prints it there. With the identity it can be opened once.
$('referral-open-package').addEventListener('click', () => {
  const files = [...$('referral-files').querySelectorAll('input:checked')].map((i) => i.value);
  const q = api.query({ files: files.join(',') || undefined, identity: $('referral-with-identity').checked ? '1' : undefined });
  window.open(`${api.caseUrl(number)}/referral-package${q}`, '_blank', 'noopener');
  if ($('referral-with-identity').checked && reloadFn) setTimeout(() => reloadFn(), 1000);
});
