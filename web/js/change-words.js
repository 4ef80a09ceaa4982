// The structured changes of the governance API (issue 20) in words: one
// line per change, built from translatable parts (strings/changes.js) so a
// language switch re-words them. Roles, never names, unless the caller knows
// a name (the console does for accounts of its own agency).
import { t, setText, setLiteral } from './i18n.js';

// A span that follows the language, or the literal text when no key fits.
export function words(key, vars, fallback) {
  const span = document.createElement('span');
  if (t(key) !== key) setText(span, key, vars);
  else setLiteral(span, fallback ?? key);
  return span;
}

const MEMBER = /^(recipient|custodian)_(added|removed|restored)$/;

// -> Node[] for one change. `nameOf(username)` -> a name to show, or null.
export function changeParts(c, { nameOf = () => null } = {}) {
  if (!c || typeof c.what !== 'string') return [];
  const parts = [];
  const add = (...nodes) => parts.push(...nodes);
  if (MEMBER.test(c.what)) {
    add(words(`chg.${c.what}`));
    if (c.from) add(': ', words(`chg.from.${c.from}`, undefined, c.from));
    const who = c.username ? nameOf(c.username) || c.username : null;
    if (who) add(' — ', who);
    return parts;
  }
  switch (c.what) {
    case 'identity_two_person':
    case 'outcome_needs_confirmation':
      add(words(`chg.${c.what}.${c.to ? 'on' : 'off'}`));
      break;
    case 'retention_days':
      add(words('chg.retention_days', { from: c.from ?? '?', to: c.to ?? '?' }));
      break;
    case 'texts': {
      add(words('chg.texts'));
      const fields = Array.isArray(c.fields) ? c.fields : [];
      fields.forEach((f, i) => add(i ? ', ' : ': ', words(`chg.field.${f}`, undefined, f)));
      break;
    }
    case 'channel_added':
      add(words('chg.channel_added'));
      if (c.id) add(': ', String(c.id));
      break;
    case 'mail_settings':
      add(words('chg.mail_settings'));
      if (c.smtp_url) add(': ', String(c.smtp_url));
      break;
    case 'role_given':
      add(words('chg.role_given'), ': ', words(`chg.role.${c.role}`, undefined, c.role));
      break;
    case 'account_disabled':
    case 'account_reenrolled':
    case 'account_enabled':
      add(words(`chg.${c.what}`));
      if (c.username) add(' — ', nameOf(c.username) || c.username);
      if (Array.isArray(c.reads) && c.reads.length) {
        add(' (', words('chg.reads'), ' ');
        c.reads.forEach((r, i) => add(i ? ', ' : '', words(`chg.member.${r}`, undefined, r)));
        add(')');
      }
      break;
    default:
      add(String(c.what));
  }
  return parts;
}

// A <ul> of the changes, one <li> each.
export function changeList(changes, options) {
  const ul = document.createElement('ul');
  ul.className = 'change-list';
  for (const c of Array.isArray(changes) ? changes : []) {
    const parts = changeParts(c, options);
    if (!parts.length) continue;
    const li = document.createElement('li');
    li.append(...parts);
    ul.append(li);
  }
  return ul;
}
