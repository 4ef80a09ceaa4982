// "System health" for administrators: storage, disk, last backup, unsent
// mail. Counts and days only: the disk in whole GiB, the mail as it stood at
// 00:00 today, so that nothing here moves when a reporter acts.
import { setText } from '../i18n.js';
import * as api from './api.js';
import { clear, dateEl, el, hide, showError } from './dom.js';

const $ = (id) => document.getElementById(id);

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
  const disk = typeof h.disk_free_gib === 'number'
    ? el('span', {}, [
      el('span', { i18n: 'health.disk_value', vars: { free: h.disk_free_gib, total: h.disk_total_gib } }),
      ' · ',
      el('strong', { i18n: h.disk_state === 'low' ? 'health.disk_low' : 'health.disk_enough' }),
    ])
    : '—';
  facts.append(
    row('health.storage', { key: h.storage_writable ? 'health.storage_ok' : 'health.storage_bad' }),
    row('health.disk', disk),
    row('health.backup', h.last_backup_at ? dateEl(iso(h.last_backup_at)) : { key: 'health.never' }),
    row('health.unsent', { key: 'health.unsent_value', vars: { n: o.unsent ?? 0 } }),
    row('health.oldest', o.oldest_unsent_day ? dateEl(o.oldest_unsent_day) : '—'),
    row('health.last_sent', o.last_sent_day ? dateEl(o.last_sent_day) : '—'),
    row('health.last_error', o.last_error ? el('span', { lang: 'en', text: o.last_error }) : '—'),
  );
}

$('health-refresh').addEventListener('click', () => { load(); });

export async function enter() {
  await load();
}
