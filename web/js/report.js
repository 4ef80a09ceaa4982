// The complaint form (embed/report.html, also reached from /report.html):
// loads the intake data, walks the reporter through the steps, checks each
// step, sends the complaint, then shows the receipt and sends the evidence.
import { register, initI18n, lang, onLangChange, setText, t } from './i18n.js';
import './embed.js';
import common from './strings/common.js';
import errorStrings from './strings/errors.js';
import reportStrings from './strings/report.js';
import uploadStrings from './strings/upload.js';
import { getJson, postJson, errorOf, NetworkError } from './api.js';
import { withAgency, keepAgencyInLinks, showAgencyLogo } from './agency.js';
import { validateReport, buildPayload, charCount } from './validate.js';
import { showFieldError, clearFieldError, clearAllErrors, showAlert, hideAlert, fieldElement } from './form-errors.js';
import { showReceipt, prepareReceipt } from './receipt.js';
import { createSteps } from './steps.js';
import { createEvidence } from './evidence.js';
import { renderReview } from './review.js';
import { showUploads } from './upload-view.js';
import { inLang, renderChannelRadios } from './channel-choice.js';

register(common);
register(errorStrings);
register(reportStrings);
register(uploadStrings);
initI18n();
keepAgencyInLinks();

const $ = (id) => document.getElementById(id);
const form = $('report-form');
const alertBox = $('form-alert');
const nextBtn = $('step-next');
const submitBtn = $('submit-report');
const description = $('description');
const identityFields = $('identity-fields');

// Used until /api/v1/intake answers; replaced by the server's limits.
let limits = { description_max: 5000, subject_field_max: 200, location_max: 200, identity_field_max: 200, max_body_bytes: 65536 };
let categories = [];
// The agency's channels (GET /api/v1/intake): with more than one, the
// reporter chooses; either way the form shows who reads, before sending.
let channels = [];
let busy = false;

const FIELDS = {
  who: ['channel', 'subject'],
  what: ['category', 'description'],
  when: ['incident_date', 'location'],
  evidence: ['evidence'],
  identity: ['identity'],
  review: ['accept_terms'],
};

const steps = createSteps({
  sections: [...form.querySelectorAll('.step')],
  fieldsOf: FIELDS,
  progressText: $('step-progress'),
  progressBar: $('step-bar'),
  backBtn: $('step-back'),
  nextBtn,
  submitBtn,
  onShow: (step) => { if (step === 'review') { updateReview(); prepareReceipt(); } },
});
// Hidden until the server announces uploads (limits.upload_max_bytes).
steps.enable('evidence', false);

const evidence = createEvidence({ input: $('evidence-files'), list: $('evidence-list'), hint: $('evidence-files-hint') });

// ---- intake ---------------------------------------------------------------

// The service's onion address, when it has one: the receipt names it.
const ONION = /^[a-z2-7]{55}d\.onion$/;
let onion = null;

function categoryLabel(c) {
  return (lang() === 'en' ? c.label_en : c.label_th) || c.label_th || c.id;
}

function renderCategories() {
  const select = $('category');
  const chosen = select.value;
  for (const opt of [...select.options].slice(1)) opt.remove();
  for (const c of categories) {
    const opt = document.createElement('option');
    opt.value = c.id;
    opt.textContent = categoryLabel(c);
    select.append(opt);
  }
  select.value = chosen;
}

function selectedChannel() {
  if (channels.length === 1) return channels[0];
  const checked = form.querySelector('input[name="channel"]:checked');
  return checked ? channels.find((c) => c.id === checked.value) || null : null;
}

function updateReaders() {
  const c = selectedChannel();
  $('channel-readers').hidden = !c;
  $('channel-readers-text').textContent = c ? inLang(c, 'readers') : '';
  $('channel-identity-readers-text').textContent = c ? inLang(c, 'identity_readers') : '';
}

function renderChannels() {
  const group = $('channel-group');
  const box = $('channel-options');
  const chosen = selectedChannel();
  group.hidden = channels.length < 2;
  // The first radio carries the field's id, where an error message points.
  renderChannelRadios(box, channels.length >= 2 ? channels : [], {
    name: 'channel', firstId: 'channel', chosenId: chosen ? chosen.id : null,
    labels: { readers: 'report.readers_label' },
  });
  updateReaders();
}

function applyLimits() {
  const set = (id, max) => { if (max > 0) $(id).setAttribute('maxlength', String(max)); };
  set('description', limits.description_max);
  for (const id of ['subject-name', 'subject-position', 'subject-unit']) set(id, limits.subject_field_max);
  set('location', limits.location_max);
  for (const id of ['identity-name', 'identity-phone', 'identity-email', 'identity-address']) set(id, limits.identity_field_max);
  updateCounter();
}

function applyUploads(data) {
  const max = Number(data.limits && data.limits.upload_max_bytes);
  if (!(max > 0)) return;
  const types = data.upload_types || data.limits.upload_types;
  evidence.configure({
    maxBytes: max,
    caseMaxBytes: Number(data.limits.case_upload_max_bytes) || 0,
    types: Array.isArray(types) ? types.filter((x) => typeof x === 'string') : [],
  });
  steps.enable('evidence', true);
}

async function loadIntake() {
  const msg = $('intake-message');
  const retry = $('intake-retry');
  const box = $('intake-status');
  box.hidden = false;
  retry.hidden = true;
  box.classList.remove('notice-error');
  setText(msg, 'report.loading');
  let res = null;
  // The answer intake-early.js asked for while the page arrived, used once.
  const early = window.krasipIntake;
  window.krasipIntake = undefined;
  if (early && early.path === withAgency('/api/v1/intake')) res = await early.answer;
  if (!res) {
    try {
      res = await getJson(withAgency('/api/v1/intake'));
    } catch (e) {
      res = null;
    }
  }
  const data = res && res.status === 200 ? res.data : null;
  if (!data || !Array.isArray(data.categories)) {
    box.classList.add('notice-error');
    setText(msg, 'report.intake_failed');
    retry.hidden = false;
    return;
  }
  categories = data.categories;
  onion = typeof data.onion_address === 'string' && ONION.test(data.onion_address) ? data.onion_address : null;
  channels = Array.isArray(data.channels) ? data.channels.filter((c) => c && typeof c.id === 'string') : [];
  renderChannels();
  if (data.limits) limits = { ...limits, ...data.limits };
  if (data.agency && data.agency.name_th) {
    // Keep it translatable: put the server's names into the dictionary.
    register({ 'common.agency': { th: data.agency.name_th, en: data.agency.name_en || data.agency.name_th } });
    for (const el of document.querySelectorAll('[data-agency-name]')) setText(el, 'common.agency');
  }
  showAgencyLogo(data.agency);
  renderCategories();
  applyLimits();
  applyUploads(data);
  box.hidden = true;
  nextBtn.disabled = false;
  submitBtn.disabled = false;
}

// ---- live behaviour -------------------------------------------------------

let lastAnnounced = null;
function updateCounter() {
  const n = charCount(description.value);
  const max = limits.description_max;
  const counter = $('description-counter');
  setText(counter, 'report.counter', { n, max });
  counter.classList.toggle('over', n > max);
  // Tell screen reader users only when few characters are left.
  const left = max - n;
  const step = left <= 0 ? 0 : left <= 50 ? 50 : left <= 100 ? 100 : null;
  if (step !== lastAnnounced) {
    lastAnnounced = step;
    const live = $('description-live');
    if (step === null) live.textContent = '';
    else setText(live, 'report.counter_left', { left: Math.max(left, 0) });
  }
}

function identityNamed() {
  return $('identity-named').checked;
}

function updateIdentity() {
  identityFields.hidden = !identityNamed();
  if (!identityNamed()) {
    for (const p of ['identity.name', 'identity.national_id', 'identity.phone', 'identity.email', 'identity.address']) clearFieldError(p);
  }
}

function setMaxDate() {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Bangkok' }).format(new Date());
  $('incident-date').setAttribute('max', today);
}

function collect() {
  const v = (id) => $(id).value.trim();
  const channel = channels.length > 1 && selectedChannel() ? selectedChannel().id : '';
  return {
    channel,
    channel_required: channels.length > 1,
    category: $('category').value,
    subject: { name: v('subject-name'), position: v('subject-position'), unit: v('subject-unit') },
    description: v('description'),
    incident_date: $('incident-date').value,
    location: v('location'),
    named: identityNamed(),
    identity: {
      name: v('identity-name'),
      national_id: v('identity-national-id'),
      phone: v('identity-phone'),
      email: v('identity-email'),
      address: v('identity-address'),
    },
    accept_terms: $('accept-terms').checked,
  };
}

function updateReview() {
  const values = collect();
  const chosen = categories.find((c) => c.id === values.category);
  const ch = selectedChannel();
  renderReview($('review-list'), {
    values,
    channel: ch ? { name: inLang(ch, 'name'), readers: inLang(ch, 'readers'), identityReaders: inLang(ch, 'identity_readers') } : null,
    categoryLabel: chosen ? categoryLabel(chosen) : '',
    files: evidence.files(),
    steps: steps.enabledSteps(),
    titleOf: (step) => $(`step-${step}-h`).textContent,
    onEdit: (step) => steps.go(step),
  });
}

// ---- errors ---------------------------------------------------------------

// problems: [{field, key, vars} | {field, text}]. The form goes to the step
// of the first problem; messages go next to the fields, the rest to the alert.
function showProblems(problems, topMsg) {
  const placed = problems.filter((p) => p.field && fieldElement(p.field) && steps.stepOf(p.field));
  if (placed.length) steps.go(steps.stepOf(placed[0].field), { focus: false });
  let first = null;
  let unplaced = null;
  for (const p of problems) {
    const msg = p.key ? { key: p.key, vars: p.vars } : { text: p.text };
    const el = placed.includes(p) ? showFieldError(p.field, msg) : null;
    if (el) { if (!first && !el.closest('[hidden]')) first = el; } else unplaced = unplaced || msg;
  }
  if (unplaced && !first) {
    showAlert(alertBox, unplaced);
    alertBox.focus();
    return;
  }
  showAlert(alertBox, topMsg || { key: 'v.summary', vars: { n: problems.length } });
  if (first) first.focus();
}

const SERVER_FIELD_KEYS = {
  missing_field: 'error.missing_field',
  invalid_field: 'error.invalid_field',
  field_too_long: 'error.field_too_long',
  terms_not_accepted: 'v.terms',
  invalid_utf8: 'error.invalid_utf8',
};

function handleServerError(err) {
  const code = err.code;
  const known = Boolean(errorStrings[`error.${code}`]);
  if (code === 'terms_not_accepted' && !err.field) err = { ...err, field: 'accept_terms' };
  if (err.field && fieldElement(err.field)) {
    if (err.field.startsWith('identity') && !identityNamed()) {
      $('identity-named').checked = true;
      updateIdentity();
    }
    const key = SERVER_FIELD_KEYS[code] || (known ? `error.${code}` : null);
    const problem = key ? { field: err.field, key } : { field: err.field, text: err.message || t('error.internal_error') };
    showProblems([problem], { key: 'error.summary' });
    return;
  }
  if (known) showAlert(alertBox, { key: `error.${code}` });
  else if (err.message) showAlert(alertBox, { text: err.message });
  else showAlert(alertBox, { key: 'error.internal_error' });
  alertBox.focus();
}

// ---- next / submit --------------------------------------------------------

function problemsOnStep(all, step) {
  return all.filter((p) => steps.stepOf(p.field) === step);
}

function setBusy(on) {
  busy = on;
  submitBtn.disabled = on;
  form.setAttribute('aria-busy', String(on));
  setText(submitBtn, on ? 'report.sending' : 'report.submit');
}

async function send() {
  const values = collect();
  const problems = validateReport(values, limits);
  if (problems.length) { showProblems(problems); return; }

  const body = buildPayload(values);
  if (limits.max_body_bytes && new TextEncoder().encode(JSON.stringify(body)).length > limits.max_body_bytes) {
    showAlert(alertBox, { key: 'error.body_too_large' });
    alertBox.focus();
    return;
  }

  setBusy(true);
  let res;
  try {
    res = await postJson(withAgency('/api/v1/complaints'), body);
  } catch (e) {
    setBusy(false);
    showAlert(alertBox, { key: e instanceof NetworkError ? `error.${e.code}` : 'error.network_error' });
    alertBox.focus();
    return;
  }
  setBusy(false);

  if (res.status === 201 && res.data && res.data.tracking_code) {
    const files = evidence.files();
    evidence.clear();
    form.reset();
    $('report-section').remove(); // nothing of the complaint stays in the page
    showReceipt($('receipt'), { ...res.data, onion_address: onion });
    if (files.length) await showUploads($('upload-results'), files, res.data.tracking_code);
    return;
  }
  handleServerError(errorOf(res));
}

async function onSubmit(event) {
  event.preventDefault();
  if (busy) return;
  hideAlert(alertBox);
  if (!steps.isLast()) {
    // Check only this step: later steps have not been seen yet.
    clearAllErrors(steps.currentSection());
    const mine = problemsOnStep(validateReport(collect(), limits), steps.current());
    if (mine.length) { showProblems(mine); return; }
    steps.next();
    return;
  }
  clearAllErrors(form);
  await send();
}

// ---- wiring ---------------------------------------------------------------

form.addEventListener('submit', onSubmit);
$('step-back').addEventListener('click', () => { hideAlert(alertBox); steps.back(); });
description.addEventListener('input', updateCounter);
for (const r of document.querySelectorAll('input[name="identity_mode"]')) r.addEventListener('change', updateIdentity);
// Clear a field's message as soon as it is edited.
form.addEventListener('input', (e) => {
  const path = e.target.name;
  if (path && path !== 'identity_mode' && e.target.getAttribute('aria-invalid') === 'true') clearFieldError(path);
});
form.addEventListener('change', (e) => {
  if (e.target.id === 'category' || e.target.id === 'accept-terms') clearFieldError(e.target.name);
  if (e.target.name === 'channel') { clearFieldError('channel'); updateReaders(); }
  if (e.target.name === 'identity_mode') clearFieldError('identity');
});
$('intake-retry').addEventListener('click', loadIntake);
onLangChange(() => {
  if (categories.length && $('category')) renderCategories();
  if (channels.length && $('channel-group')) renderChannels();
  if (!$('report-section')) return;
  steps.refresh();
  evidence.rerender();
  if (steps.current() === 'review') updateReview();
});

// On a shared phone, Back must not bring back the receipt (the tracking
// code) or the complaint being written: the browser may keep this page in
// its back/forward cache even though it is served no-store. Leaving the
// page empties it; coming back to such an emptied page starts afresh.
let wiped = false;
window.addEventListener('pagehide', () => {
  wiped = true;
  evidence.clear();
  form.reset();
  const receipt = $('receipt');
  receipt.hidden = true;
  for (const id of ['receipt-tracking-code', 'receipt-case-number', 'receipt-qr', 'upload-results']) {
    const node = $(id);
    if (node) node.replaceChildren();
  }
});
window.addEventListener('pageshow', (event) => {
  if (event.persisted && wiped) window.location.reload();
});

updateIdentity();
setMaxDate();
updateCounter();
steps.refresh();
loadIntake();
