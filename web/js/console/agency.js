// The agency's settings (administrators): names, sites that may embed its
// forms, mail server. Each form section is a list of fields (admin-form.js),
// so a setting added later is one entry here and one member in the answer.
import { setText } from '../i18n.js';
import * as api from './api.js';
import { blank, hide, showError, showOk } from './dom.js';
import { buildFields, clearFieldErrors, showApiError } from './admin-form.js';

const $ = (id) => document.getElementById(id);
const IDENTITY = [
  { name: 'name_th', key: 'ag.name_th', max: 200, lang: 'th' },
  { name: 'name_en', key: 'ag.name_en', max: 200, lang: 'en' },
  { name: 'origins', key: 'ag.origins', type: 'textarea', max: 4000 },
];
const MAIL = [
  { name: 'smtp_url', key: 'ag.smtp_url', max: 300 },
  { name: 'from', key: 'ag.from', type: 'email', max: 300 },
  { name: 'user', key: 'ag.user', max: 300 },
  { name: 'password', key: 'ag.mail_password', type: 'password', max: 1024, autocomplete: 'new-password' },
];
let busy = false;

buildFields($('agency-fields'), 'agency', IDENTITY);
buildFields($('mail-fields'), 'mail', MAIL);

function fill(s) {
  $('agency-name_th').value = s.name_th || '';
  $('agency-name_en').value = s.name_en || '';
  $('agency-origins').value = (s.origins || []).join('\n');
  const m = s.mail || {};
  $('mail-smtp_url').value = m.smtp_url || '';
  $('mail-from').value = m.from || '';
  $('mail-user').value = m.user || '';
  $('mail-password').value = '';
  $('mail-clear-password').checked = false;
  $('mail-require-tls').checked = Boolean(m.require_tls);
  setText($('mail-password-state'), m.password_set ? 'ag.password_kept' : 'ag.password_none');
}

async function load() {
  hide($('agency-error'));
  try {
    fill(await api.get('/api/v1/admin/agency'));
  } catch (e) {
    if (e.status === 403) {
      $('agency-error').hidden = false;
      setText($('agency-error'), 'adm.admin_only');
    } else if (e.status !== 401) {
      showError($('agency-error'), e, { detail: true });
    }
  }
}

async function save(form, prefix, result, send) {
  if (busy) return;
  busy = true;
  clearFieldErrors(form);
  blank(result);
  setText(result, 'c.saving');
  try {
    fill(await send());
    showOk(result, 'ag.saved');
    result.focus();
  } catch (e) {
    if (e.status !== 401) showApiError(form, prefix, result, e);
  } finally {
    busy = false;
  }
}

$('agency-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const origins = $('agency-origins').value.split('\n').map((o) => o.trim()).filter(Boolean);
  save(ev.target, 'agency', $('agency-result'), () => api.patch('/api/v1/admin/agency', {
    name_th: $('agency-name_th').value.trim(),
    name_en: $('agency-name_en').value.trim(),
    origins,
  }));
});

$('mail-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  save(ev.target, 'mail', $('mail-result'), () => api.put('/api/v1/admin/agency/mail', {
    smtp_url: $('mail-smtp_url').value.trim(),
    from: $('mail-from').value.trim(),
    user: $('mail-user').value.trim(),
    password: $('mail-password').value,
    clear_password: $('mail-clear-password').checked,
    require_tls: $('mail-require-tls').checked,
  }));
});

export async function enter() {
  await load();
}

export function leave() {
  $('mail-password').value = '';
}
