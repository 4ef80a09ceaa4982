// "System health" for administrators: storage, disk, last backup, unsent
// mail. Counts and times only.
import { setText } from '../i18n.js';
import * as api from './api.js';
import { clear, dateEl, el, hide, showError } from './dom.js';

const $ = (id) => document.getElementById(id);

function bytes(n) {
  if (typeof n !== 'number') return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i += 1; }
  return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

function row(labelKey, value) {
  const dd = el('dd');
  if (value instanceof Node) dd.append(value);
  else if (value && value.key) setText(dd, value.key, value.vars);
  else dd.textContent = value ?? '—';
  return el('div', {}, [el('dt', { i18n: labelKey }), dd]);
}

async function load() {
  const facts = $('health-facts');
  hide($('health-error'));
  let h;
  try {
    h = await api.get('/api/v1/admin/health');
  } catch (e) {
    if (e.status === 403) {
      $('health-error').hidden = false;
      setText($('health-error'), 'health.admin_only');
    } else if (e.status !== 401) {
      showError($('health-error'), e, { detail: true });
    }
    clear(facts);
    return;
  }
  clear(facts);
  const o = h.outbox || {};
  const iso = (t) => new Date(t * 1000).toISOString();
  facts.append(
    row('health.storage', { key: h.storage_writable ? 'health.storage_ok' : 'health.storage_bad' }),
    row('health.disk', { key: 'health.disk_value', vars: { free: bytes(h.disk_free_bytes), total: bytes(h.disk_total_bytes) } }),
    row('health.backup', h.last_backup_at ? dateEl(iso(h.last_backup_at)) : { key: 'health.never' }),
    row('health.unsent', { key: 'health.unsent_value', vars: { n: o.unsent ?? 0 } }),
    row('health.oldest', typeof o.oldest_unsent_age_seconds === 'number'
      ? { key: 'health.minutes', vars: { n: Math.floor(o.oldest_unsent_age_seconds / 60) } } : '—'),
    row('health.last_error', o.last_error ? el('span', { lang: 'en', text: o.last_error }) : '—'),
  );
}

$('health-refresh').addEventListener('click', () => { load(); });

export async function enter() {
  await load();
}
