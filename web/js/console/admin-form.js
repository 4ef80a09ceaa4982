// What the administration pages share: a refusal shown next to the field
// the server named (error.field), and the texts of a form made from a list
// of field descriptions, so a field added later is one line.
import { setText } from '../i18n.js';
import { el, errorText, showError } from './dom.js';

// Hides every field error of a form.
export function clearFieldErrors(form) {
  for (const p of form.querySelectorAll('.field-error')) {
    p.hidden = true;
    p.textContent = '';
    p.removeAttribute('data-i18n');
  }
  for (const i of form.querySelectorAll('[aria-invalid]')) i.removeAttribute('aria-invalid');
}

// Puts the error under its field (`${prefix}-${field}-error`) and the cursor
// in the field; without one, in `result`. The server's English words follow,
// as they say what rule was broken.
export function showApiError(form, prefix, result, err) {
  const field = err && err.field;
  const note = field ? document.getElementById(`${prefix}-${field}-error`) : null;
  if (!note) {
    showError(result, err, { detail: true });
    result.focus();
    return;
  }
  note.hidden = false;
  note.classList.add('is-error');
  note.replaceChildren();
  const { key } = errorText(err);
  note.append(el('span', { i18n: key }));
  if (err.serverMessage) note.append(' ', el('span', { lang: 'en', text: `(${err.serverMessage})` }));
  const input = form.querySelector(`[data-field="${field}"]`);
  if (input) {
    input.setAttribute('aria-invalid', 'true');
    input.focus();
  }
  showError(result, err);
}

// [{name, key, type: 'text'|'textarea', max, field}] -> labelled inputs in
// `container`, ids `${prefix}-${name}`, each with its error line.
export function buildFields(container, prefix, fields) {
  container.replaceChildren();
  for (const f of fields) {
    const id = `${prefix}-${f.name}`;
    const field = f.field || f.name;
    const errId = `${prefix}-${field}-error`;
    const input = f.type === 'textarea'
      ? el('textarea', { id, rows: 3, maxlength: f.max })
      : el('input', { id, type: f.type || 'text', maxlength: f.max, autocomplete: f.autocomplete || 'off' });
    input.setAttribute('data-field', field);
    input.setAttribute('aria-describedby', errId);
    if (f.lang) input.setAttribute('lang', f.lang);
    const label = el('label', { for: id });
    setText(label, f.key);
    container.append(el('div', { class: 'field' }, [label, input, el('p', { id: errId, class: 'field-error', hidden: true })]));
  }
}
