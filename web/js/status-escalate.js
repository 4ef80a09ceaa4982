// "Move to another channel" on the status page (issue 10, item 4): the
// reporter moves their case to another channel of the agency, with a reason,
// and chooses whether the new channel's identity custodians may see who they
// are (unticked by default). POST /api/v1/status/escalate takes the tracking
// code held in memory; nothing is kept after the page is cleared.
import { setText, setLiteral, t } from './i18n.js';
import { postJson, errorOf, NetworkError } from './api.js';
import { charCount } from './validate.js';
import { showFieldError, clearFieldError } from './form-errors.js';
import { inLang, renderChannelRadios } from './channel-choice.js';
import errorStrings from './strings/errors.js';

const REASON_MAX = 500;  // as the server (cases/.../escalation_service.hpp)

// getCode(): the tracking code of the answer on screen; onMoved({pending}):
// after a 200, to show the new status (the timeline then shows the move),
// or a 202 (issue 20, item 7: out of an oversight channel the move waits
// for that channel's confirmation, and the page shows the request).
export function createEscalation({ section, getCode, onMoved }) {
  const $ = (id) => section.querySelector(`#${id}`);
  const form = $('escalate-form');
  const reason = $('escalate-reason');
  const identityField = $('escalate-identity-field');
  const identity = $('escalate-identity');
  const confirmBox = $('escalate-confirm');
  const errorBox = $('escalate-error');
  let shown = null;
  let pending = null;  // {channel, reason, move_identity} awaiting confirmation
  let busy = false;

  const chosen = () => {
    const checked = form.querySelector('input[name="escalate-channel"]:checked');
    return checked && shown ? shown.can_move_to.find((c) => c.id === checked.value) || null : null;
  };

  function clearErrors() {
    clearFieldError('escalate.channel');
    clearFieldError('escalate.reason');
    errorBox.hidden = true;
    setLiteral(errorBox, '');
  }

  function hideConfirm() {
    pending = null;
    confirmBox.hidden = true;
  }

  function renderConfirm() {
    if (!pending) return;
    setText($('escalate-confirm-text'), 'escalate.confirm_text', {
      name: inLang(pending.channel, 'name'), readers: inLang(pending.channel, 'readers'),
    });
    setText($('escalate-confirm-identity'), !shown.submission?.identity_provided ? 'escalate.confirm_anonymous'
      : pending.move_identity ? 'escalate.confirm_identity_moved' : 'escalate.confirm_identity_kept',
    { identity_readers: inLang(pending.channel, 'identity_readers') });
  }

  function render(d) {
    shown = d;
    const others = Array.isArray(d.can_move_to) ? d.can_move_to.filter((c) => c && typeof c.id === 'string') : [];
    // While a request waits for confirmation, another is refused: the
    // request's own card says what happens next.
    const waiting = Boolean(d.escalation_request) && d.escalation_request.state === 'pending';
    section.hidden = !d.channel || others.length === 0 || waiting;
    if (section.hidden) return;
    $('escalate-current').textContent = inLang(d.channel, 'name');
    $('escalate-current-readers').textContent = inLang(d.channel, 'readers');
    const keep = chosen();
    renderChannelRadios($('escalate-options'), others, {
      name: 'escalate-channel', firstId: 'escalate-channel', chosenId: keep ? keep.id : null,
      labels: { readers: 'escalate.readers_label', identityReaders: 'escalate.identity_readers_label' },
    });
    identityField.hidden = !(d.submission && d.submission.identity_provided);
    renderConfirm();
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (busy) return;
    clearErrors();
    setLiteral($('escalate-done'), '');
    setLiteral($('escalate-identity-note'), '');
    const channel = chosen();
    const text = reason.value.trim();
    // Every problem shown at once; focus on the first.
    const shownErrors = [];
    if (!channel) shownErrors.push(showFieldError('escalate.channel', { key: 'escalate.v_channel' }));
    if (!text) shownErrors.push(showFieldError('escalate.reason', { key: 'escalate.v_reason' }));
    else if (charCount(text) > REASON_MAX) {
      shownErrors.push(showFieldError('escalate.reason', { key: 'v.message_too_long', vars: { max: REASON_MAX, n: charCount(text) } }));
    }
    if (shownErrors.length) { shownErrors[0]?.focus(); return; }
    pending = { channel, reason: text, move_identity: !identityField.hidden && identity.checked };
    renderConfirm();
    confirmBox.hidden = false;
    confirmBox.focus();
  });

  // A field's message goes once it is dealt with; a change asks to confirm again.
  form.addEventListener('change', (event) => {
    if (event.target.name === 'escalate-channel') clearFieldError('escalate.channel');
    hideConfirm();
  });
  reason.addEventListener('input', () => {
    if (reason.getAttribute('aria-invalid') === 'true') clearFieldError('escalate.reason');
    hideConfirm();
  });

  $('escalate-confirm-no').addEventListener('click', () => {
    hideConfirm();
    $('escalate-submit').focus();
  });

  $('escalate-confirm-yes').addEventListener('click', async () => {
    if (busy || !pending) return;
    busy = true;
    const yes = $('escalate-confirm-yes');
    yes.disabled = true;
    let res = null;
    let failure = null;
    try {
      res = await postJson('/api/v1/status/escalate', {
        tracking_code: getCode(), channel: pending.channel.id, reason: pending.reason, move_identity: pending.move_identity,
      });
    } catch (e) {
      failure = e instanceof NetworkError ? e.code : 'network_error';
    }
    busy = false;
    yes.disabled = false;
    if (res && res.status === 202 && res.data && res.data.pending) {
      hideConfirm();
      reason.value = '';
      identity.checked = false;
      await onMoved({ pending: true });
      return;
    }
    if (res && res.status === 200 && res.data && res.data.ok) {
      hideConfirm();
      reason.value = '';
      identity.checked = false;
      await onMoved({ pending: false });
      // Said once the page shows the case in its new channel.
      setText($('escalate-done'), 'escalate.done');
      const note = `escalate.identity_${res.data.identity}`;
      if (res.data.identity !== 'none' && t(note) !== note) setText($('escalate-identity-note'), note);
      else setLiteral($('escalate-identity-note'), '');
      return;
    }
    hideConfirm();
    const err = failure ? { code: failure } : errorOf(res);
    const key = errorStrings[`error.${err.code}`] ? `error.${err.code}` : null;
    const msg = key ? { key } : err.message ? { text: err.message } : { key: 'error.internal_error' };
    const target = err.field === 'reason' ? 'escalate.reason' : err.field === 'channel' ? 'escalate.channel' : null;
    if (target) {
      showFieldError(target, err.message ? { text: err.message } : msg)?.focus();
      return;
    }
    if (msg.key) setText(errorBox, msg.key); else setLiteral(errorBox, msg.text);
    errorBox.hidden = false;
  });

  return {
    render,
    reset() {
      shown = null;
      hideConfirm();
      clearErrors();
      reason.value = '';
      identity.checked = false;
      $('escalate-options').replaceChildren();
      setLiteral($('escalate-done'), '');
      setLiteral($('escalate-identity-note'), '');
      section.hidden = true;
    },
  };
}
