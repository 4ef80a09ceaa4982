// Small DOM helpers. Server data only ever goes in through textContent.
import { t, lang, setText, setLiteral, register } from '../i18n.js';
import { formatThaiDate } from '../api.js';

// el('p', {class: 'x', text: 'literal', i18n: 'key', vars: {...}, attrs...}, children)
export function el(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') node.textContent = String(v);
    else if (k === 'i18n') setText(node, v, props.vars);
    else if (k === 'vars') continue;
    else if (k === 'class') node.className = v;
    else if (k === 'date') setDate(node, v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of [].concat(children)) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

// A <time> (or any element) whose text follows the language: B.E. dates.
export function setDate(node, iso) {
  node.removeAttribute('data-i18n');
  if (!iso) {
    setText(node, 'c.none');
    return;
  }
  node.setAttribute('data-date', iso);
  if (node.tagName === 'TIME') node.setAttribute('datetime', iso);
  node.textContent = formatThaiDate(iso, lang());
}

export function refreshDates(root = document) {
  for (const node of root.querySelectorAll('[data-date]')) {
    node.textContent = formatThaiDate(node.getAttribute('data-date'), lang());
  }
}

export function dateEl(iso, cls) {
  return el('time', { class: cls, date: iso });
}

// Labels of values (status, priority, category) that follow the language.
// Unknown ids from the server are shown as they are.
export function labelEl(prefix, id, tag = 'span', props = {}) {
  const key = `${prefix}.${id}`;
  const node = el(tag, props);
  if (t(key) !== key) setText(node, key);
  else setLiteral(node, String(id ?? ''));
  return node;
}

export function labelKey(prefix, id) {
  const key = `${prefix}.${id}`;
  return t(key) !== key ? key : null;
}

// Options of a <select>: [{value, key} | {value, text}]
export function fillSelect(select, options, selected) {
  clear(select);
  for (const o of options) {
    const opt = el('option', { value: o.value });
    if (o.key) setText(opt, o.key, o.vars);
    else opt.textContent = o.text;
    if (o.value === selected) opt.selected = true;
    select.append(opt);
  }
}

// The text of an API error, translated; the server's English message is
// added in brackets for codes the console has no words for.
export function errorText(err) {
  const code = err && err.code;
  if (code === 'network_error') return { key: 'err.network' };
  if (code === 'timeout') return { key: 'err.timeout' };
  if (code && t(`err.${code}`) !== `err.${code}`) return { key: `err.${code}` };
  return { key: 'err.generic' };
}

// Shows a translated error; with detail, the server's own (English) words
// follow in brackets, as they often say what to do (e.g. "grant access first").
export function showError(node, err, { detail = false } = {}) {
  const { key } = errorText(err);
  clear(node);
  node.removeAttribute('data-i18n');
  node.hidden = false;
  node.classList.add('is-error');
  node.classList.remove('is-ok');
  node.append(el('span', { i18n: key }));
  if (detail && err && err.serverMessage) {
    node.append(' ', el('span', { lang: 'en', class: 'server-detail', text: `(${err.serverMessage})` }));
  }
}

export function showOk(node, key, vars) {
  node.hidden = false;
  node.classList.remove('is-error');
  node.classList.add('is-ok');
  setText(node, key, vars);
}

export function hide(node) {
  node.hidden = true;
  node.classList.remove('is-error', 'is-ok');
  node.textContent = '';
  node.removeAttribute('data-i18n');
}

// Categories named by the server (GET /api/v1/intake) win over the table in
// strings.js, so a new category shows with its own words.
export function registerCategories(list) {
  const add = {};
  for (const c of list || []) {
    if (c && typeof c.id === 'string') add[`cat.${c.id}`] = { th: c.label_th || c.id, en: c.label_en || c.id };
  }
  register(add);
}

export function focusHeading(node) {
  if (!node) return;
  if (!node.hasAttribute('tabindex')) node.setAttribute('tabindex', '-1');
  node.focus();
}

// Empties a live region without hiding it (hidden regions are not announced).
export function blank(node) {
  clear(node);
  node.removeAttribute('data-i18n');
  node.removeAttribute('data-i18n-vars');
  node.classList.remove('is-error', 'is-ok');
}

// A form's own check failed: says why in its live region and puts the
// cursor on the field to mend.
export function showProblem(node, key, field, vars) {
  blank(node);
  node.classList.add('is-error');
  setText(node, key, vars);
  field.focus();
}

// Puts a translatable label (status, priority, category...) into an existing node.
export function setLabel(node, prefix, id) {
  const key = `${prefix}.${id}`;
  if (t(key) !== key) setText(node, key);
  else setLiteral(node, String(id ?? ''));
}

// Length in characters (code points), as the server counts.
export const charCount = (s) => [...s].length;
