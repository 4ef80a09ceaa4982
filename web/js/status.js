// The tracking page (embed/status.html, also reached from /status.html). The
// tracking code lives only in the input, in request bodies and, while an
// answer is on screen, in one variable of this module (to send messages and
// refresh): never in the URL, history, localStorage or sessionStorage. The
// input is emptied once an answer has been shown.
import { register, initI18n, onLangChange, setText } from './i18n.js';
import './embed.js';
import common from './strings/common.js';
import errorStrings from './strings/errors.js';
import statusStrings from './strings/status.js';
import { getJson, postJson, errorOf, NetworkError } from './api.js';
import { agencySlug, withAgency, keepAgencyInLinks, showAgencyLogo } from './agency.js';
import { normaliseTrackingCode } from './tracking-code.js';
import { showFieldError, clearFieldError, showAlert, hideAlert } from './form-errors.js';
import { renderStatus } from './status-view.js';
import { messagesOffered, createMessageForm } from './status-messages.js';
import { createEscalation } from './status-escalate.js';
import { renderReadersChanged } from './status-readers.js';
import { createCodeReplacement } from './status-code.js';

register(common);
register(errorStrings);
register(statusStrings);
initI18n();

const $ = (id) => document.getElementById(id);
const form = $('status-form');
const input = $('tracking-code');
const submitBtn = $('submit-status');
const alertBox = $('status-alert');
const result = $('status-result');
const lookup = $('lookup-section');
const messageFormEl = $('message-form');

let shown = null; // the last answer, in memory only, to re-render on language change
let code = null; // the code of the answer on screen, in memory only
let busy = false;
let canMessage = false;

function setBusy(on) {
  busy = on;
  submitBtn.disabled = on;
  form.setAttribute('aria-busy', String(on));
  setText(submitBtn, on ? 'status.checking' : 'status.submit');
}

// Errors about the code itself go next to the input; the rest to the alert.
const CODE_ERRORS = new Set(['unknown_code', 'malformed_code', 'missing_field', 'invalid_field']);

function showError(err) {
  const key = errorStrings[`error.${err.code}`] ? `error.${err.code}` : null;
  if (CODE_ERRORS.has(err.code)) {
    const k = key && err.code !== 'invalid_field' && err.code !== 'missing_field' ? key : 'error.malformed_code';
    showFieldError('tracking_code', { key: k });
    input.focus();
    return;
  }
  showAlert(alertBox, key ? { key } : err.message ? { text: err.message } : { key: 'error.internal_error' });
  alertBox.focus();
}

// -> {ok: true, data} | {ok: false, err}
async function fetchStatus(trackingCode) {
  try {
    const res = await postJson('/api/v1/status', { tracking_code: trackingCode });
    if (res.status === 200 && res.data && res.data.case_number) return { ok: true, data: res.data };
    return { ok: false, err: errorOf(res) };
  } catch (e) {
    return { ok: false, err: { code: e instanceof NetworkError ? e.code : 'network_error' } };
  }
}

function show(data) {
  shown = data;
  if (data.agency && data.agency.name_th) {
    register({ 'common.agency': { th: data.agency.name_th, en: data.agency.name_en || data.agency.name_th } });
    for (const el of document.querySelectorAll('[data-agency-name]')) setText(el, 'common.agency');
    if (!agencySlug() && data.agency.slug) loadFeatures(data.agency.slug);
  }
  showAgencyLogo(data.agency);
  renderStatus(shown);
  renderReadersChanged(shown);
  escalation.render(shown);
  messageFormEl.hidden = !canMessage;
}

async function onSubmit(event) {
  event.preventDefault();
  if (busy) return;
  hideAlert(alertBox);
  clearFieldError('tracking_code');

  const parsed = normaliseTrackingCode(input.value);
  if (!parsed.ok) {
    showFieldError('tracking_code', { key: parsed.key });
    input.focus();
    return;
  }

  setBusy(true);
  const answer = await fetchStatus(parsed.code);
  setBusy(false);
  if (!answer.ok) { showError(answer.err); return; }
  input.value = '';
  code = parsed.code;
  show(answer.data);
  lookup.hidden = true;
  result.hidden = false;
  $('status-heading').focus();
}

// Forgets the answer and the code: nothing of the case stays in the page.
function wipe() {
  shown = null;
  code = null;
  messages.reset();
  escalation.reset();
  renderReadersChanged(null);
  codeReplacement.reset();
  result.hidden = true;
  for (const id of ['status-timeline', 'status-messages', 'status-files']) $(id).replaceChildren();
  for (const el of result.querySelectorAll('[data-clear]')) el.textContent = '';
  input.value = '';
  lookup.hidden = false;
}

function clearAll() {
  wipe();
  setText($('status-cleared'), 'status.cleared');
  input.focus();
}

const messages = createMessageForm({
  form: messageFormEl,
  getCode: () => code,
  onSent: async () => {
    const answer = code && await fetchStatus(code);
    if (answer && answer.ok) show(answer.data);
  },
});

const escalation = createEscalation({
  section: $('escalate-section'),
  getCode: () => code,
  onMoved: async ({ pending }) => {
    const answer = code && await fetchStatus(code);
    if (answer && answer.ok) show(answer.data);
    // Asked, not moved: the request's card says so; the focus goes there.
    if (pending && !$('status-escalation-request').hidden) $('status-escalation-request-h').focus();
  },
});

// The old code opens nothing once replaced: the page goes on with the new
// one, held in memory as the old one was (issue 20, item 7).
const codeReplacement = createCodeReplacement({
  section: $('replace-code-section'),
  getCode: () => code,
  onReplaced: (next) => { code = next; },
});

// The features of the page's agency, or (a page opened without one, on a
// deployment of several) of the agency the case turns out to belong to.
let featuresFor;
async function loadFeatures(slug = agencySlug()) {
  if (featuresFor !== undefined && featuresFor === slug) return;
  featuresFor = slug;
  try {
    const res = await getJson(withAgency('/api/v1/intake', slug));
    if (res.status === 200 && res.data && !shown) showAgencyLogo(res.data.agency);
    if (res.status === 200 && messagesOffered(res.data)) {
      messages.configure(res.data);
      canMessage = true;
      if (shown) messageFormEl.hidden = false;
    }
  } catch { /* without the intake answer the page still shows the status */ }
}

// A file of the case (the reporter's own, or one the investigators sent):
// fetched with the code in the body, handed to the browser as a download.
// The code never goes in a URL.
const filesResult = $('status-files-result');
$('status-files').addEventListener('click', async (event) => {
  const btn = event.target.closest('button[data-download]');
  if (!btn || !code || btn.disabled) return;
  btn.disabled = true;
  setText(filesResult, 'status.file_downloading');
  try {
    const res = await fetch(`/api/v1/status/attachments/${encodeURIComponent(btn.dataset.download)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ tracking_code: code }),
      cache: 'no-store',
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
    });
    if (!res.ok) throw new Error(String(res.status));
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = btn.dataset.filename || 'file';
    a.hidden = true;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
    setText(filesResult, 'status.file_downloaded');
  } catch {
    setText(filesResult, 'status.file_download_failed');
  } finally {
    btn.disabled = false;
  }
});

form.addEventListener('submit', onSubmit);
input.addEventListener('input', () => {
  if (input.getAttribute('aria-invalid') === 'true') clearFieldError('tracking_code');
});
$('status-clear').addEventListener('click', clearAll);
// On a shared phone, Back must not bring the case back: the browser may keep
// this page in its back/forward cache even though it is served no-store.
window.addEventListener('pagehide', wipe);
onLangChange(() => { if (shown) { renderStatus(shown); escalation.render(shown); } });

submitBtn.disabled = false;
keepAgencyInLinks();
loadFeatures();
