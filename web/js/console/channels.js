// Channels (administrators): who receives a channel's complaints and who may
// open identities, its texts for reporters, two-person settings. Changing
// who reads asks for a step-up (step-up.js); texts and settings do not.
import { setText } from '../i18n.js';
import * as api from './api.js';
import { blank, el, fillSelect, hide, showError, showOk } from './dom.js';
import { buildFields, clearFieldErrors, showApiError } from './admin-form.js';
import { withStepUp } from './step-up.js';

const $ = (id) => document.getElementById(id);
const TEXTS = [
  { name: 'name_th', key: 'ch.name_th', max: 100, lang: 'th' },
  { name: 'name_en', key: 'ch.name_en', max: 100, lang: 'en' },
  { name: 'description_th', key: 'ch.description_th', type: 'textarea', max: 500, lang: 'th' },
  { name: 'description_en', key: 'ch.description_en', type: 'textarea', max: 500, lang: 'en' },
  { name: 'readers_th', key: 'ch.readers_th', max: 300, lang: 'th' },
  { name: 'readers_en', key: 'ch.readers_en', max: 300, lang: 'en' },
  { name: 'identity_readers_th', key: 'ch.identity_readers_th', max: 300, lang: 'th' },
  { name: 'identity_readers_en', key: 'ch.identity_readers_en', max: 300, lang: 'en' },
];
let channels = [];
let users = [];
let current = null; // the channel being edited, null for a new one
let busy = false;

buildFields($('channel-texts'), 'channel', TEXTS);

const sameSet = (a, b) => a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');

// One checkbox per account that may hold the role, and per member the list
// does not know (an account of an agency above this one).
function fillChecks(box, role, chosen) {
  box.replaceChildren();
  const names = users.filter((u) => !u.disabled && (role !== 'custodian' || u.custodian)).map((u) => u.username);
  for (const n of chosen) if (!names.includes(n)) names.push(n);
  for (const n of names) {
    const id = `channel-${role}-${n}`;
    const u = users.find((x) => x.username === n);
    const input = el('input', { id, type: 'checkbox', value: n });
    input.checked = chosen.includes(n);
    box.append(el('div', { class: 'check-field' }, [input, ' ',
      el('label', { for: id, text: u ? `${u.display_name} (${n})` : n })]));
  }
}

const checked = (box) => [...box.querySelectorAll('input:checked')].map((i) => i.value);

function show(ch) {
  current = ch;
  const form = $('channel-form');
  clearFieldErrors(form);
  blank($('channel-result'));
  $('channel-id-field').hidden = Boolean(ch);
  $('channel-id').value = '';
  if (ch) setText($('channel-form-h2'), 'ch.edit_h2', { id: ch.id });
  else setText($('channel-form-h2'), 'ch.add_h2');
  for (const f of TEXTS) $(`channel-${f.name}`).value = ch ? ch[f.name] || '' : '';
  fillChecks($('channel-recipients'), 'recipient', ch ? ch.recipients : []);
  fillChecks($('channel-custodians'), 'custodian', ch ? ch.custodians : []);
  $('channel-two-person').checked = Boolean(ch && ch.identity_two_person);
  $('channel-confirmation').checked = Boolean(ch && ch.outcome_needs_confirmation);
}

async function load(selected) {
  hide($('channels-error'));
  try {
    const [c, u] = await Promise.all([api.get('/api/v1/channels'), api.get('/api/v1/admin/users')]);
    channels = Array.isArray(c && c.channels) ? c.channels : [];
    users = Array.isArray(u && u.users) ? u.users : [];
  } catch (e) {
    channels = [];
    if (e.status === 403) {
      $('channels-error').hidden = false;
      setText($('channels-error'), 'adm.admin_only');
    } else if (e.status !== 401) {
      showError($('channels-error'), e, { detail: true });
    }
  }
  const pick = selected ?? (channels[0] ? channels[0].id : '');
  fillSelect($('channel-pick'), [...channels.map((c) => ({ value: c.id, text: `${c.name_th} / ${c.name_en} (${c.id})` })),
    { value: '', key: 'ch.new' }], pick);
  show(channels.find((c) => c.id === pick) || null);
}

$('channel-pick').addEventListener('change', (ev) => {
  show(channels.find((c) => c.id === ev.target.value) || null);
});

$('channel-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  if (busy) return;
  const form = ev.target;
  const result = $('channel-result');
  clearFieldErrors(form);
  blank(result);
  const body = {};
  for (const f of TEXTS) body[f.name] = $(`channel-${f.name}`).value.trim();
  body.identity_two_person = $('channel-two-person').checked;
  body.outcome_needs_confirmation = $('channel-confirmation').checked;
  const recipients = checked($('channel-recipients'));
  const custodians = checked($('channel-custodians'));
  let readersChange = true;
  if (current) {
    readersChange = false;
    if (!sameSet(recipients, current.recipients)) { body.recipients = recipients; readersChange = true; }
    if (!sameSet(custodians, current.custodians)) { body.custodians = custodians; readersChange = true; }
  } else {
    body.id = $('channel-id').value.trim();
    body.recipients = recipients;
    body.custodians = custodians;
  }
  const send = (extra) => (current
    ? api.patch(`/api/v1/channels/${encodeURIComponent(current.id)}`, { ...body, ...extra })
    : api.post('/api/v1/channels', { ...body, ...extra }));
  busy = true;
  setText(result, 'c.saving');
  try {
    const saved = readersChange ? await withStepUp((step_up) => send({ step_up })) : await send({});
    if (!saved) {
      setText(result, 'stepup.cancelled');
      return;
    }
    await load(saved.id);
    showOk($('channel-result'), 'ch.saved', { id: saved.id });
    $('channel-result').focus();
  } catch (e) {
    if (e.status !== 401) showApiError(form, 'channel', result, e);
  } finally {
    busy = false;
  }
});

export async function enter() {
  await load();
}
