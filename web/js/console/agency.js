// The agency's settings (administrators): names, sites that may embed its
// forms, mail server. Each form section is a list of fields (admin-form.js),
// so a setting added later is one entry here and one member in the answer.
// The mail server decides where alerts go: a step-up each time, and once
// the agency has had a case a proposal (202) a second person decides.
import { setText } from '../i18n.js';
import * as api from './api.js';
import { blank, el, hide, showError, showOk } from './dom.js';
import { buildFields, clearFieldErrors, showApiError } from './admin-form.js';
import { CATEGORIES } from './strings.js';
import { withStepUp } from './step-up.js';
import { showProposal } from './proposal-note.js';

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
  // When alerts go out (issue 21): a reporter's act is dated by the batch,
  // not by the minute. One to four times, an hour apart, checked by the server.
  { name: 'batch_times', key: 'ag.batch_times', max: 40 },
];
// The agency's own service standards and categories (issue 11); blank or
// none ticked: the deployment's.
const SERVICE = [
  { name: 'ack_days', key: 'ag.ack_days', type: 'number', max: 3 },
  { name: 'reply_days', key: 'ag.reply_days', type: 'number', max: 3 },
  { name: 'outcome_days', key: 'ag.outcome_days', type: 'number', max: 3 },
];
let busy = false;

buildFields($('agency-fields'), 'agency', IDENTITY);
buildFields($('mail-fields'), 'mail', MAIL);
buildFields($('service-fields'), 'service', SERVICE);
for (const c of CATEGORIES) {
  const id = `service-cat-${c}`;
  const box = el('input', { id, type: 'checkbox', value: c });
  const label = el('label', { for: id });
  setText(label, `cat.${c}`);
  $('service-categories').append(el('div', { class: 'check-field' }, [box, ' ', label]));
}

function fill(s) {
  $('agency-name_th').value = s.name_th || '';
  $('agency-name_en').value = s.name_en || '';
  $('agency-origins').value = (s.origins || []).join('\n');
  for (const f of SERVICE) $(`service-${f.name}`).value = s[f.name] == null ? '' : String(s[f.name]);
  for (const c of CATEGORIES) $(`service-cat-${c}`).checked = Array.isArray(s.categories) && s.categories.includes(c);
  const preview = $('logo-preview');
  preview.hidden = !s.logo;
  if (s.logo) {
    preview.src = `${s.logo}?v=${Date.now()}`;
    preview.alt = s.name_th || '';
  } else {
    preview.removeAttribute('src');
  }
  setText($('logo-state'), s.logo ? 'ag.logo_set' : 'ag.logo_none');
  $('logo-file').value = '';
  const m = s.mail || {};
  $('mail-smtp_url').value = m.smtp_url || '';
  $('mail-from').value = m.from || '';
  $('mail-user').value = m.user || '';
  $('mail-password').value = '';
  $('mail-clear-password').checked = false;
  $('mail-require-tls').checked = Boolean(m.require_tls);
  $('mail-batch_times').value = (s.mail_batch_times || []).join(' ');
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

async function save(form, prefix, result, send, { stepUp = false } = {}) {
  if (busy) return;
  busy = true;
  clearFieldErrors(form);
  blank(result);
  setText(result, 'c.saving');
  try {
    const answer = stepUp ? await withStepUp(send) : await send();
    if (!answer) {
      setText(result, 'stepup.cancelled');
      return;
    }
    fill(answer);
    if (answer.proposal) showProposal(result, answer.proposal, 'ag.mail_proposed');
    else showOk(result, 'ag.saved');
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

$('service-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const days = (name) => {
    const v = $(`service-${name}`).value.trim();
    return v === '' ? null : Number(v);
  };
  const ticked = CATEGORIES.filter((c) => $(`service-cat-${c}`).checked);
  save(ev.target, 'service', $('service-result'), () => api.patch('/api/v1/admin/agency', {
    ack_days: days('ack_days'),
    reply_days: days('reply_days'),
    outcome_days: days('outcome_days'),
    categories: ticked.length ? ticked : null,
  }));
});

$('logo-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const file = $('logo-file').files[0];
  if (!file) {
    showApiError(ev.target, 'logo', $('logo-result'), { field: 'logo', code: 'invalid_field' });
    setText($('logo-logo-error'), 'ag.logo_choose');
    return;
  }
  save(ev.target, 'logo', $('logo-result'), () => api.putFile('/api/v1/admin/agency/logo', file));
});

$('logo-remove').addEventListener('click', () => {
  save($('logo-form'), 'logo', $('logo-result'), () => api.call('DELETE', '/api/v1/admin/agency/logo'));
});

$('mail-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const body = {
    smtp_url: $('mail-smtp_url').value.trim(),
    from: $('mail-from').value.trim(),
    user: $('mail-user').value.trim(),
    password: $('mail-password').value,
    clear_password: $('mail-clear-password').checked,
    require_tls: $('mail-require-tls').checked,
  };
  const times = $('mail-batch_times').value.split(/[\s,]+/).filter(Boolean);
  if (times.length > 0) body.batch_times = times;
  save(ev.target, 'mail', $('mail-result'), (step_up) => api.put('/api/v1/admin/agency/mail', { ...body, step_up }),
    { stepUp: true });
});

export async function enter() {
  await load();
}

export function leave() {
  $('mail-password').value = '';
}
