// A complaint an investigator records for a citizen who came to the
// counter, phoned, wrote or e-mailed (issue 13, item 3), and the slip the
// citizen takes home: the agency, the case number, the tracking code in
// large print and a QR code of the status page. The code is in this
// module's memory and on the slip only while it is on screen: never in the
// URL (the QR holds the page's address, not the code: a code in an address
// stays in the history of whatever phone scans it), never stored.
import { setText, setLiteral, register } from '../i18n.js';
import * as api from './api.js';
import { el, clear, blank, fillSelect, setDate, setLabel, showError, showOk, showProblem, hide } from './dom.js';
import { renderQr } from '../qr-code.js';

const $ = (id) => document.getElementById(id);
let form = null; // GET /api/v1/counter-complaints
let busy = false;

function val(id) {
  return $(id).value.trim();
}

function statusUrl(slug) {
  const url = new URL('/embed/status.html', window.location.origin);
  if (slug) url.searchParams.set('agency', slug);
  return url.href;
}

function fillForm(f) {
  const sources = Array.isArray(f.sources) ? f.sources : [];
  const add = {};
  for (const s of sources) add[`src.${s.id}`] = { th: s.label_th, en: s.label_en };
  register(add);
  fillSelect($('counter-source'), sources.map((s) => ({ value: s.id, key: `src.${s.id}` })), $('counter-source').value || 'counter');
  const channels = Array.isArray(f.channels) ? f.channels : [];
  fillSelect($('counter-channel'), channels.map((c) => ({ value: c.id, text: c.name_th || c.id })), $('counter-channel').value);
  $('counter-channel').closest('.field').hidden = channels.length < 2;
  const cats = Array.isArray(f.categories) ? f.categories : [];
  fillSelect($('counter-category'), cats.map((c) => ({ value: c.id, key: `cat.${c.id}` })), $('counter-category').value);
}

function body() {
  const b = {
    source: $('counter-source').value,
    category: $('counter-category').value,
    subject: { name: val('counter-subject-name'), position: val('counter-subject-position'), unit: val('counter-subject-unit') },
    description: $('counter-description').value,
    identity: null,
  };
  if ($('counter-channel').value) b.channel = $('counter-channel').value;
  if (val('counter-registry')) b.registry_number = val('counter-registry');
  if (val('counter-incident-date')) b.incident_date = val('counter-incident-date');
  if (val('counter-location')) b.location = val('counter-location');
  if ($('counter-identity-given').checked) {
    b.identity = {};
    for (const [key, id] of [['name', 'counter-id-name'], ['national_id', 'counter-id-national'], ['phone', 'counter-id-phone'],
      ['email', 'counter-id-email'], ['address', 'counter-id-address']]) {
      if (val(id)) b.identity[key] = val(id);
    }
  }
  return b;
}

// The form's fields by the API's field names, to put the cursor on the one to mend.
const FIELDS = {
  source: 'counter-source', registry_number: 'counter-registry', channel: 'counter-channel', category: 'counter-category',
  'subject.name': 'counter-subject-name', 'subject.position': 'counter-subject-position', 'subject.unit': 'counter-subject-unit',
  description: 'counter-description', incident_date: 'counter-incident-date', location: 'counter-location',
  identity: 'counter-id-name', 'identity.name': 'counter-id-name', 'identity.national_id': 'counter-id-national',
  'identity.phone': 'counter-id-phone', 'identity.email': 'counter-id-email', 'identity.address': 'counter-id-address',
};

function clearForm() {
  for (const id of ['counter-registry', 'counter-subject-name', 'counter-subject-position', 'counter-subject-unit',
    'counter-description', 'counter-incident-date', 'counter-location', 'counter-id-name', 'counter-id-national',
    'counter-id-phone', 'counter-id-email', 'counter-id-address']) $(id).value = '';
  $('counter-identity-given').checked = false;
  $('counter-identity-fields').hidden = true;
}

function showSlip(answer) {
  const agency = (form && form.agency) || {};
  register({ 'slip.agency': { th: agency.name_th || '', en: agency.name_en || agency.name_th || '' } });
  setText($('slip-agency'), 'slip.agency');
  setLiteral($('slip-case'), answer.case_number || '');
  setDate($('slip-date'), answer.received_at);
  setLabel($('slip-source'), 'src', answer.source);
  const code = $('slip-code');
  // One span per group, so that a narrow screen wraps between groups only.
  code.replaceChildren(...String(answer.tracking_code).split(/(?<=-)/).map((part) => el('span', { class: 'code-group', text: part })));
  const url = statusUrl(agency.slug);
  setLiteral($('slip-url'), url);
  renderQr($('slip-qr'), url, 'slip-qr-caption');
  $('counter-form').hidden = true;
  $('counter-slip').hidden = false;
  document.body.classList.add('print-slip');
  $('slip-h2').focus();
}

function wipeSlip() {
  clear($('slip-code'));
  clear($('slip-qr'));
  for (const id of ['slip-case', 'slip-url', 'slip-agency']) setLiteral($(id), '');
  $('counter-slip').hidden = true;
  document.body.classList.remove('print-slip');
}

$('counter-identity-given').addEventListener('change', (ev) => {
  $('counter-identity-fields').hidden = !ev.target.checked;
});

$('counter-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  if (busy) return;
  const result = $('counter-result');
  blank(result);
  if (!val('counter-subject-name')) return showProblem(result, 'counter.need_subject', $('counter-subject-name'));
  if (!val('counter-description')) return showProblem(result, 'counter.need_description', $('counter-description'));
  if ($('counter-source').value === 'letter' && !val('counter-registry')) {
    return showProblem(result, 'counter.need_registry', $('counter-registry'));
  }
  busy = true;
  const button = ev.target.querySelector('button[type=submit]');
  button.disabled = true;
  setText(result, 'c.saving');
  try {
    const answer = await api.post('/api/v1/counter-complaints', body());
    blank(result);
    clearForm();
    showSlip(answer);
  } catch (e) {
    if (e.status === 401) return;
    showError(result, e, { detail: true });
    const field = e.field && FIELDS[e.field] ? $(FIELDS[e.field]) : null;
    if (field && !field.closest('[hidden]')) field.focus();
    else result.focus();
  } finally {
    busy = false;
    button.disabled = false;
  }
});

$('slip-print').addEventListener('click', () => window.print());
$('slip-next').addEventListener('click', () => {
  wipeSlip();
  $('counter-form').hidden = false;
  $('counter-source').focus();
});

// A shared counter PC: the code does not outlive the page.
window.addEventListener('pagehide', wipeSlip);

export async function enter() {
  hide($('counter-error'));
  wipeSlip();
  $('counter-form').hidden = false;
  blank($('counter-result'));
  try {
    form = await api.get('/api/v1/counter-complaints');
    fillForm(form);
  } catch (e) {
    if (e.status === 401) return;
    showError($('counter-error'), e);
  }
}

export function leave() {
  wipeSlip();
}
