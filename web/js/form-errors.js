// Showing and clearing messages next to form fields and in an alert region.
// A field is named by its API path ("subject.name", "identity.email",
// "accept_terms"); its element id is the path with "." and "_" turned into
// "-", and its message element is "<id>-error".
import { setText, setLiteral } from './i18n.js';

// Paths whose message and focus target differ from the rule above.
const SPECIAL = {
  identity: { input: 'identity-named', error: 'identity-error', group: 'identity-group' },
  // The first channel's radio button (report.js gives it this id).
  channel: { input: 'channel', error: 'channel-error', group: 'channel-group' },
  tracking_code: { input: 'tracking-code', error: 'tracking-code-error' },
};

export function fieldIds(path) {
  if (SPECIAL[path]) return SPECIAL[path];
  const id = String(path).replace(/[._]/g, '-');
  return { input: id, error: `${id}-error` };
}

// The element for an API field path if the page has one, else null.
export function fieldElement(path) {
  const { input, error } = fieldIds(path);
  const el = document.getElementById(input);
  return el && document.getElementById(error) ? el : null;
}

function fill(el, msg) {
  if (msg.key) setText(el, msg.key, msg.vars);
  else setLiteral(el, msg.text || '');
}

function describedBy(el, errorId, on) {
  const ids = (el.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean)
    .filter((id) => id !== errorId);
  if (on) ids.push(errorId);
  if (ids.length) el.setAttribute('aria-describedby', ids.join(' '));
  else el.removeAttribute('aria-describedby');
}

// msg: {key, vars} for a translated message or {text} for literal text.
// Returns the element to focus, or null when the page has no such field.
export function showFieldError(path, msg) {
  const ids = fieldIds(path);
  const input = document.getElementById(ids.input);
  const error = document.getElementById(ids.error);
  if (!input || !error) return null;
  fill(error, msg);
  error.hidden = false;
  input.setAttribute('aria-invalid', 'true');
  describedBy(input, ids.error, true);
  if (ids.group) document.getElementById(ids.group)?.classList.add('has-error');
  input.closest('.field, .choice')?.classList.add('has-error');
  return input;
}

export function clearFieldError(path) {
  const ids = fieldIds(path);
  const input = document.getElementById(ids.input);
  const error = document.getElementById(ids.error);
  if (error) { error.hidden = true; setLiteral(error, ''); }
  if (input) {
    input.removeAttribute('aria-invalid');
    describedBy(input, ids.error, false);
    input.closest('.field, .choice')?.classList.remove('has-error');
  }
  if (ids.group) document.getElementById(ids.group)?.classList.remove('has-error');
}

// Clears every "*-error" message inside root.
export function clearAllErrors(root) {
  for (const el of root.querySelectorAll('.field-error')) {
    const id = el.id.replace(/-error$/, '');
    const path = Object.keys(SPECIAL).find((p) => SPECIAL[p].error === el.id) || id;
    clearFieldError(path);
  }
}

export function showAlert(el, msg) {
  fill(el, msg);
  el.hidden = false;
}

export function hideAlert(el) {
  el.hidden = true;
  setLiteral(el, '');
}
