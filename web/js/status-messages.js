// The reporter's "send a message" form on the status page. The endpoint
// (POST /api/v1/status/messages) arrives with issue 4, so the form is offered
// only when GET /api/v1/intake announces it: limits.message_max and
// features.reporter_messages === true.
import { setText, setLiteral } from './i18n.js';
import { postJson, errorOf, NetworkError } from './api.js';
import { charCount } from './validate.js';
import { showFieldError, clearFieldError } from './form-errors.js';
import errorStrings from './strings/errors.js';

export function messagesOffered(intake) {
  return Boolean(intake && intake.features && intake.features.reporter_messages === true
    && intake.limits && Number(intake.limits.message_max) > 0);
}

// getCode(): the tracking code held in memory while an answer is shown.
// onSent(): called after a 201, to show the message in the list.
export function createMessageForm({ form, getCode, onSent }) {
  const textarea = form.querySelector('#message-body');
  const status = form.querySelector('#message-status');
  const button = form.querySelector('#message-send');
  let max = 0;
  let busy = false;

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (busy) return;
    clearFieldError('message.body');
    setLiteral(status, '');
    const body = textarea.value.trim();
    if (!body) { showFieldError('message.body', { key: 'v.message_required' }); textarea.focus(); return; }
    if (charCount(body) > max) {
      showFieldError('message.body', { key: 'v.message_too_long', vars: { max, n: charCount(body) } });
      textarea.focus();
      return;
    }
    busy = true;
    button.disabled = true;
    let res = null;
    let failure = null;
    try {
      res = await postJson('/api/v1/status/messages', { tracking_code: getCode(), body });
    } catch (e) {
      failure = e instanceof NetworkError ? e.code : 'network_error';
    }
    busy = false;
    button.disabled = false;
    if (res && res.status === 201) {
      textarea.value = '';
      setText(status, 'status.message_sent');
      onSent();
      return;
    }
    const code = failure || errorOf(res).code;
    showFieldError('message.body', errorStrings[`error.${code}`] ? { key: `error.${code}` } : { key: 'error.internal_error' });
    textarea.focus();
  });

  return {
    configure(intake) {
      max = Number(intake.limits.message_max);
      textarea.setAttribute('maxlength', String(max));
    },
    reset() {
      textarea.value = '';
      setLiteral(status, '');
      clearFieldError('message.body');
    },
  };
}
