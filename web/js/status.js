// The tracking page (status.html). The tracking code lives only in the input
// and in the request body: never in the URL, history, localStorage or
// sessionStorage. The input is emptied once an answer has been shown.
import { register, initI18n, onLangChange, setText } from './i18n.js';
import common from './strings/common.js';
import errorStrings from './strings/errors.js';
import statusStrings from './strings/status.js';
import { postJson, errorOf, NetworkError } from './api.js';
import { normaliseTrackingCode } from './tracking-code.js';
import { showFieldError, clearFieldError, showAlert, hideAlert } from './form-errors.js';
import { renderStatus } from './status-view.js';

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

let shown = null; // the last answer, in memory only, to re-render on language change
let busy = false;

function setBusy(on) {
  busy = on;
  submitBtn.disabled = on;
  form.setAttribute('aria-busy', String(on));
  setText(submitBtn, on ? 'status.checking' : 'status.submit');
}

// Errors about the code itself go next to the input; the rest to the alert.
const CODE_ERRORS = new Set(['unknown_code', 'malformed_code', 'missing_field', 'invalid_field']);

function showError(err) {
  const code = err.code;
  const key = errorStrings[`error.${code}`] ? `error.${code}` : null;
  if (CODE_ERRORS.has(code)) {
    const k = key && code !== 'invalid_field' && code !== 'missing_field' ? key : 'error.malformed_code';
    showFieldError('tracking_code', { key: k });
    input.focus();
    return;
  }
  showAlert(alertBox, key ? { key } : err.message ? { text: err.message } : { key: 'error.internal_error' });
  alertBox.focus();
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
  let res;
  try {
    res = await postJson('/api/v1/status', { tracking_code: parsed.code });
  } catch (e) {
    setBusy(false);
    showAlert(alertBox, { key: e instanceof NetworkError ? `error.${e.code}` : 'error.network_error' });
    alertBox.focus();
    return;
  }
  setBusy(false);

  if (res.status === 200 && res.data && res.data.case_number) {
    input.value = '';
    shown = res.data;
    renderStatus(shown);
    lookup.hidden = true;
    result.hidden = false;
    $('status-heading').focus();
    return;
  }
  showError(errorOf(res));
}

function clearAll() {
  shown = null;
  result.hidden = true;
  for (const id of ['status-timeline', 'status-messages']) $(id).replaceChildren();
  for (const el of result.querySelectorAll('[data-clear]')) el.textContent = '';
  input.value = '';
  lookup.hidden = false;
  setText($('status-cleared'), 'status.cleared');
  input.focus();
}

form.addEventListener('submit', onSubmit);
input.addEventListener('input', () => {
  if (input.getAttribute('aria-invalid') === 'true') clearFieldError('tracking_code');
});
$('status-clear').addEventListener('click', clearAll);
onLangChange(() => { if (shown) renderStatus(shown); });

submitBtn.disabled = false;
