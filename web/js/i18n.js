// Tiny Thai/English switch. Thai is the default and is what the HTML carries.
// Elements use:
//   data-i18n="key"                  -> textContent
//   data-i18n-vars='{"max":5000}'    -> values for {max} placeholders
//   data-i18n-attr="placeholder:key; aria-label:key2" -> attributes
// Dictionaries are registered per page with register({key: {th, en}}).
// The language choice (not a secret) is remembered under "krasip.lang".

const STORAGE_KEY = 'krasip.lang';
const LANGS = ['th', 'en'];
const dict = Object.create(null);
let current = 'th';

export function register(strings) {
  Object.assign(dict, strings);
}

export function lang() {
  return current;
}

function interpolate(text, vars) {
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (m, name) =>
    Object.prototype.hasOwnProperty.call(vars, name) ? String(vars[name]) : m);
}

// t('key', {max: 10}) -> string in the current language (Thai if missing).
export function t(key, vars) {
  const entry = dict[key];
  if (!entry) return key;
  return interpolate(entry[current] ?? entry.th ?? key, vars);
}

function readVars(el) {
  const raw = el.getAttribute('data-i18n-vars');
  if (!raw) return undefined;
  try { return JSON.parse(raw); } catch { return undefined; }
}

// Re-translate everything under root that carries data-i18n*.
export function translate(root = document) {
  const nodes = [];
  if (root.nodeType === 1 && root.hasAttribute('data-i18n')) nodes.push(root);
  nodes.push(...root.querySelectorAll('[data-i18n]'));
  // What already reads so (the Thai the HTML carries, on every page load)
  // is left alone: replacing it would make a slow phone lay out and shape
  // the whole page's Thai a second time before the form can be used.
  for (const el of nodes) {
    const key = el.getAttribute('data-i18n');
    if (!key || !dict[key]) continue;
    const text = t(key, readVars(el));
    const only = el.childNodes.length === 1 ? el.firstChild : null;
    if (!(only && only.nodeType === 3 && only.data === text)) el.textContent = text;
  }
  for (const el of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of el.getAttribute('data-i18n-attr').split(';')) {
      const [attr, key] = pair.split(':').map((s) => s && s.trim());
      if (attr && key && dict[key] && el.getAttribute(attr) !== t(key)) el.setAttribute(attr, t(key));
    }
  }
}

// Put a translatable message into an element (and keep it translatable).
export function setText(el, key, vars) {
  el.setAttribute('data-i18n', key);
  if (vars) el.setAttribute('data-i18n-vars', JSON.stringify(vars));
  else el.removeAttribute('data-i18n-vars');
  el.textContent = t(key, vars);
}

// Put literal (untranslatable, e.g. server) text into an element.
export function setLiteral(el, text) {
  el.removeAttribute('data-i18n');
  el.removeAttribute('data-i18n-vars');
  el.textContent = text;
}

function updateSwitches() {
  for (const btn of document.querySelectorAll('[data-lang]')) {
    btn.setAttribute('aria-pressed', String(btn.getAttribute('data-lang') === current));
  }
}

export function setLang(next, { remember = true } = {}) {
  if (!LANGS.includes(next)) next = 'th';
  current = next;
  document.documentElement.lang = next;
  if (remember) {
    try { localStorage.setItem(STORAGE_KEY, next); } catch { /* private mode: ignore */ }
  }
  translate(document);
  updateSwitches();
  document.dispatchEvent(new CustomEvent('krasip:lang', { detail: { lang: next } }));
}

function storedLang() {
  try { return localStorage.getItem(STORAGE_KEY); } catch { return null; }
}

// The widget opens the embed pages with ?lang= from the agency's data-lang, so
// the form speaks the host page's language before any choice is remembered.
function requestedLang() {
  try { return new URLSearchParams(window.location.search).get('lang'); } catch { return null; }
}

// Call once per page after register().
export function initI18n() {
  for (const btn of document.querySelectorAll('[data-lang]')) {
    btn.addEventListener('click', () => setLang(btn.getAttribute('data-lang')));
  }
  const asked = requestedLang();
  const saved = storedLang();
  const initial = [asked, saved].find((l) => LANGS.includes(l)) || 'th';
  setLang(initial, { remember: false });
}

// Run fn now and whenever the language changes.
export function onLangChange(fn) {
  document.addEventListener('krasip:lang', () => fn(current));
}
