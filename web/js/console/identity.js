// The reporter's identity, for custodians only and only on demand: a reason
// (at least 10 characters, recorded in the audit log) in a modal dialog,
// then a panel that says it was recorded. The panel is emptied when the
// investigator hides it or leaves the case; nothing is kept anywhere else.
import { setText } from '../i18n.js';
import * as api from './api.js';
import { el, clear, blank, showError, charCount } from './dom.js';

const $ = (id) => document.getElementById(id);
const section = $('identity-section');
const openBtn = $('identity-open');
const result = $('identity-result');
const dialog = $('identity-dialog');
const form = $('identity-form');
const reason = $('identity-reason');
const reasonError = $('identity-reason-error');
const confirmBtn = $('identity-confirm');
const FIELDS = ['name', 'national_id', 'phone', 'email', 'address'];
const REASON_MIN = 10;
let caseNumber = null;
let busy = false;

function resetDialog() {
  reason.value = '';
  reason.removeAttribute('aria-invalid');
  reasonError.hidden = true;
  blank(reasonError);
}

function dialogError(key, err) {
  reasonError.hidden = false;
  if (err) showError(reasonError, err, { detail: true });
  else {
    blank(reasonError);
    setText(reasonError, key);
  }
  reason.setAttribute('aria-invalid', 'true');
  reason.focus();
}

export function setCase(number, canReveal) {
  if (number !== caseNumber) wipe();
  caseNumber = number;
  // Absent, not merely disabled, for those who may not reveal.
  section.hidden = !canReveal;
}

export function wipe() {
  clear(result);
  result.removeAttribute('data-i18n');
  resetDialog();
  if (dialog.open) dialog.close();
  openBtn.hidden = false;
}

function show(identity) {
  clear(result);
  const panel = el('div', { class: 'identity-panel', 'data-testid': 'identity-panel', tabindex: '-1' });
  panel.append(el('p', { class: 'notice notice-warning', i18n: 'id.shown_warn' }));
  const dl = el('dl', { class: 'facts' });
  for (const f of FIELDS) {
    const v = identity && typeof identity[f] === 'string' ? identity[f] : '';
    if (!v) continue;
    dl.append(el('div', {}, [el('dt', { i18n: `id.${f}` }), el('dd', { class: f === 'address' ? 'prewrap' : null, 'data-field': f, text: v })]));
  }
  panel.append(dl);
  const hideBtn = el('button', { type: 'button', class: 'btn btn-secondary', i18n: 'id.hide', 'data-testid': 'identity-hide' });
  hideBtn.addEventListener('click', () => {
    wipe();
    openBtn.focus();
  });
  panel.append(hideBtn);
  result.append(panel);
  openBtn.hidden = true;
  panel.focus();
}

openBtn.addEventListener('click', () => {
  resetDialog();
  dialog.showModal();
  reason.focus();
});

$('identity-cancel').addEventListener('click', () => {
  dialog.close();
});

dialog.addEventListener('close', () => {
  resetDialog();
  if (!openBtn.hidden && !section.hidden) openBtn.focus();
});

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  if (busy || !caseNumber) return;
  const why = reason.value.trim();
  if (charCount(why) < REASON_MIN) {
    dialogError('id.reason_short');
    return;
  }
  busy = true;
  confirmBtn.disabled = true;
  try {
    const data = await api.post(`${api.caseUrl(caseNumber)}/identity`, { reason: why });
    dialog.close();
    show(data && data.identity);
  } catch (e) {
    if (e.status === 401) return;
    if (e.code === 'not_found') dialogError('id.anonymous');
    else if (e.code === 'invalid_field' && e.field === 'reason') dialogError('id.reason_short');
    else if (e.code === 'forbidden') dialogError('id.no_key');
    else dialogError(null, e);
  } finally {
    busy = false;
    confirmBtn.disabled = false;
  }
});
