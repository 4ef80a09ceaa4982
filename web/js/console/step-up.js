// Asks again for the password and a fresh TOTP code before a sensitive
// action (docs/security.md, "Step-up"). The proof goes with that one
// request and is forgotten: the fields are emptied whatever the outcome.
import { setText } from '../i18n.js';

const $ = (id) => document.getElementById(id);
const dialog = $('stepup-dialog');
let pending = null;

function finish(value) {
  const resolve = pending;
  pending = null;
  $('stepup-password').value = '';
  $('stepup-totp').value = '';
  if (dialog.open) dialog.close();
  if (resolve) resolve(value);
}

$('stepup-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const password = $('stepup-password').value;
  const totp = $('stepup-totp').value.trim();
  if (!password || !/^[0-9]{6}$/.test(totp)) {
    const e = $('stepup-error');
    e.hidden = false;
    setText(e, 'stepup.need');
    (password ? $('stepup-totp') : $('stepup-password')).focus();
    return;
  }
  finish({ password, totp });
});
$('stepup-cancel').addEventListener('click', () => finish(null));
dialog.addEventListener('cancel', (ev) => {  // Escape
  ev.preventDefault();
  finish(null);
});

// -> {password, totp}, or null when cancelled. `errorKey`: why it asks again
// (a refused earlier try).
export function askStepUp(errorKey = null) {
  if (pending) finish(null);
  const e = $('stepup-error');
  e.hidden = !errorKey;
  if (errorKey) setText(e, errorKey);
  else e.textContent = '';
  return new Promise((resolve) => {
    pending = resolve;
    dialog.showModal();
    $('stepup-password').focus();
  });
}

// Runs `send(stepUp)` with a proof, asking again while the proof is refused
// (a mistyped or already used code). -> the answer, or null if cancelled.
export async function withStepUp(send) {
  let errorKey = null;
  for (;;) {
    const proof = await askStepUp(errorKey);
    if (!proof) return null;
    try {
      return await send(proof);
    } catch (e) {
      if (e && e.code === 'step_up_failed') {
        errorKey = 'err.step_up_failed';
        continue;
      }
      throw e;
    }
  }
}
