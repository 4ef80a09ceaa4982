// "Replace your tracking code" on the status page (issue 20, item 7): a
// code someone else has seen (a counter clerk, a slip left on a table) is
// replaced by a new one, and the old one then finds nothing. The new code
// comes once, in the answer to POST /api/v1/status/replace-code (the old
// code in the JSON body, never in a URL), and is shown as the filing
// receipt shows one: in groups, with a copy button and the warning. It is
// kept only in this page's memory and on screen, and goes with the rest of
// the page on "Close and clear" and on pagehide (status.js).
import { setText, setLiteral } from './i18n.js';
import { postJson, errorOf, NetworkError } from './api.js';
import { copyText, selectContents } from './clipboard.js';
import errorStrings from './strings/errors.js';

// getCode(): the code of the answer on screen; onReplaced(newCode): the
// page goes on with the new one (messages, files, refresh).
export function createCodeReplacement({ section, getCode, onReplaced }) {
  const $ = (id) => section.querySelector(`#${id}`);
  const start = $('replace-code-start');
  const confirmBox = $('replace-code-confirm');
  const yes = $('replace-code-yes');
  const errorBox = $('replace-code-error');
  const shown = $('new-code');
  const value = $('new-code-value');
  const copyStatus = $('new-code-copy-status');
  let busy = false;

  function hideError() {
    errorBox.hidden = true;
    setLiteral(errorBox, '');
  }

  start.addEventListener('click', () => {
    hideError();
    confirmBox.hidden = false;
    confirmBox.focus();
  });

  $('replace-code-no').addEventListener('click', () => {
    confirmBox.hidden = true;
    start.focus();
  });

  yes.addEventListener('click', async () => {
    if (busy || !getCode()) return;
    busy = true;
    yes.disabled = true;
    let res = null;
    let failure = null;
    try {
      res = await postJson('/api/v1/status/replace-code', { tracking_code: getCode() });
    } catch (e) {
      failure = e instanceof NetworkError ? e.code : 'network_error';
    }
    busy = false;
    yes.disabled = false;
    confirmBox.hidden = true;
    if (res && res.status === 200 && res.data && res.data.tracking_code) {
      const code = String(res.data.tracking_code);
      // One span per group, so that a narrow screen wraps between groups only.
      value.replaceChildren(...code.split(/(?<=-)/).map((part) => {
        const span = document.createElement('span');
        span.className = 'code-group';
        span.textContent = part;
        return span;
      }));
      setLiteral(copyStatus, '');
      shown.hidden = false;
      start.hidden = true;
      onReplaced(code);
      $('new-code-h').focus();
      return;
    }
    const err = failure ? { code: failure } : errorOf(res);
    const key = errorStrings[`error.${err.code}`] ? `error.${err.code}` : 'error.internal_error';
    setText(errorBox, key);
    errorBox.hidden = false;
  });

  $('new-code-copy').addEventListener('click', async () => {
    setLiteral(copyStatus, '');
    if (await copyText(value.textContent)) {
      setText(copyStatus, 'newcode.copied');
    } else {
      selectContents(value);
      setText(copyStatus, 'newcode.copy_failed');
    }
  });

  return {
    reset() {
      value.replaceChildren();
      setLiteral(copyStatus, '');
      hideError();
      shown.hidden = true;
      confirmBox.hidden = true;
      start.hidden = false;
      busy = false;
      yes.disabled = false;
    },
  };
}
