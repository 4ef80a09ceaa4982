// Channels (administrators): who receives a channel's complaints and who may
// open identities, its texts for reporters, its two-person rules and how
// long closed cases are kept. Every save that changes something asks for a
// step-up (issue 20); what weakens protection becomes a proposal (202) that
// a second person decides, and the page says what applied at once and what
// waits. `#/channels?agency=SLUG`: an administrator of a supervising agency
// works on a channel of an agency below it (their own staff added to watch
// it apply at once).
import { setText } from '../i18n.js';
import * as api from './api.js';
import { blank, el, fillSelect, hide, showError, showOk } from './dom.js';
import { buildFields, clearFieldErrors, showApiError } from './admin-form.js';
import { withStepUp } from './step-up.js';
import { changeList } from '../change-words.js';
import { mustAct, showProposal } from './proposal-note.js';

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
const SLUG = /^[a-z0-9-]{2,40}$/;
let channels = [];
let users = [];
let agency = null; // slug of an agency below this one, null for one's own
let current = null; // the channel being edited, null for a new one
let busy = false;

buildFields($('channel-texts'), 'channel', TEXTS);

const minus = (a, b) => a.filter((x) => !b.includes(x));
const sameSet = (a, b) => a.length === b.length && minus(a, b).length === 0;
const withAgency = (path) => (agency ? `${path}?agency=${encodeURIComponent(agency)}` : path);

function nameOf(username) {
  const u = users.find((x) => x.username === username);
  return u ? `${u.display_name} (${username})` : null;
}

// What differs between two states of a channel, as the governance API
// words changes (change-words.js), with the names this page knows.
function diff(before, after) {
  const out = [];
  for (const role of ['recipient', 'custodian']) {
    const a = before[`${role}s`] || [];
    const b = after[`${role}s`] || [];
    for (const u of minus(b, a)) out.push({ what: `${role}_added`, username: u });
    for (const u of minus(a, b)) out.push({ what: `${role}_removed`, username: u });
  }
  for (const flag of ['identity_two_person', 'outcome_needs_confirmation']) {
    if (Boolean(before[flag]) !== Boolean(after[flag])) out.push({ what: flag, to: Boolean(after[flag]) });
  }
  if (after.retention_days != null && before.retention_days !== after.retention_days) {
    out.push({ what: 'retention_days', from: before.retention_days, to: after.retention_days });
  }
  const fields = TEXTS.map((f) => f.name).filter((n) => (before[n] || '') !== (after[n] || ''));
  if (fields.length) out.push({ what: 'texts', fields });
  return out;
}

// One checkbox per account that may hold the role, and per member the list
// does not know (an account of an agency above or below this one).
function fillChecks(box, role, chosen) {
  box.replaceChildren();
  const names = users.filter((u) => !u.disabled && (role !== 'custodian' || u.custodian)).map((u) => u.username);
  for (const n of chosen) if (!names.includes(n)) names.push(n);
  for (const n of names) {
    const id = `channel-${role}-${n}`;
    const input = el('input', { id, type: 'checkbox', value: n });
    input.checked = chosen.includes(n);
    box.append(el('div', { class: 'check-field' }, [input, ' ', el('label', { for: id, text: nameOf(n) || n })]));
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
  $('channel-retention').value = ch && ch.retention_days != null ? String(ch.retention_days) : '';
}

// Agencies this administrator is known to supervise, as suggestions: those
// the server names (when it does) and those its proposals came from.
async function suggestAgencies() {
  const list = $('channels-agency-list');
  const slugs = new Set();
  try {
    const [settings, gov] = await Promise.all([api.get('/api/v1/admin/agency'), api.get('/api/v1/governance')]);
    const own = settings && settings.slug;
    for (const a of (settings && settings.agencies_below) || []) if (a && a.slug) slugs.add(a.slug);
    for (const p of (gov && gov.proposals) || []) if (p.agency && p.agency !== own) slugs.add(p.agency);
  } catch { /* suggestions only */ }
  list.replaceChildren(...[...slugs].sort().map((s) => el('option', { value: s })));
}

async function load(selected) {
  hide($('channels-error'));
  try {
    const [c, u] = await Promise.all([api.get(withAgency('/api/v1/channels')), api.get('/api/v1/admin/users')]);
    channels = Array.isArray(c && c.channels) ? c.channels : [];
    users = Array.isArray(u && u.users) ? u.users : [];
  } catch (e) {
    channels = [];
    if (e.status === 403) {
      $('channels-error').hidden = false;
      setText($('channels-error'), 'adm.admin_only');
    } else if (e.status === 404 && agency) {
      $('channels-error').hidden = false;
      setText($('channels-error'), 'ch.agency_unknown', { slug: agency });
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

$('channels-agency-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const slug = $('channels-agency').value.trim().toLowerCase();
  if (slug && !SLUG.test(slug)) {
    $('channels-error').hidden = false;
    setText($('channels-error'), 'ch.agency_unknown', { slug });
    $('channels-agency').focus();
    return;
  }
  window.location.hash = slug ? `#/channels?agency=${encodeURIComponent(slug)}` : '#/channels';
});

function requested() {
  const body = {};
  for (const f of TEXTS) body[f.name] = $(`channel-${f.name}`).value.trim();
  body.identity_two_person = $('channel-two-person').checked;
  body.outcome_needs_confirmation = $('channel-confirmation').checked;
  const days = $('channel-retention').value.trim();
  if (days !== '') body.retention_days = Number(days);
  body.recipients = checked($('channel-recipients'));
  body.custodians = checked($('channel-custodians'));
  return body;
}

// A 202: the channel as it now stands, and the proposal for the rest.
function showPartly(result, before, after, wanted, proposal) {
  blank(result);
  result.hidden = false;
  result.classList.add('is-ok');
  const now = diff(before, after);
  const later = diff(after, { ...after, ...wanted });
  result.append(el('p', { i18n: now.length ? 'ch.proposed' : 'ch.proposed_all', vars: { id: after.id } }));
  if (now.length) result.append(el('p', { i18n: 'ch.applied_now' }), changeList(now, { nameOf }));
  result.append(el('p', { i18n: 'ch.waits' }), changeList(later, { nameOf }));
  result.append(el('p', {}, [...mustAct(proposal), '. ',
    el('a', { href: '#/governance', i18n: 'prop.see', 'data-testid': 'proposal-link' })]));
}

$('channel-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  if (busy) return;
  const form = ev.target;
  const result = $('channel-result');
  clearFieldErrors(form);
  blank(result);
  const wanted = requested();
  const before = current;
  let body = wanted;
  if (before) {
    if (!diff(before, wanted).length) {
      showOk(result, 'ch.unchanged');
      return;
    }
    // Members go only when they change: a list sent back as it is would
    // still name every member, and a member of another agency who left
    // meanwhile would be refused.
    body = { ...wanted };
    if (sameSet(wanted.recipients, before.recipients)) delete body.recipients;
    if (sameSet(wanted.custodians, before.custodians)) delete body.custodians;
  } else {
    body = { ...wanted, id: $('channel-id').value.trim() };
  }
  const send = (step_up) => (before
    ? api.patch(withAgency(`/api/v1/channels/${encodeURIComponent(before.id)}`), { ...body, step_up })
    : api.post(withAgency('/api/v1/channels'), { ...body, step_up }));
  busy = true;
  setText(result, 'c.saving');
  try {
    const saved = await withStepUp(send);
    if (!saved) {
      setText(result, 'stepup.cancelled');
      return;
    }
    if (!before && saved.proposal && !saved.id) {
      await load('');
      showProposal($('channel-result'), saved.proposal, 'ch.add_proposed', { id: body.id });
    } else if (saved.proposal) {
      await load(saved.id);
      showPartly($('channel-result'), before, saved, wanted, saved.proposal);
    } else {
      await load(saved.id);
      showOk($('channel-result'), 'ch.saved', { id: saved.id });
    }
    $('channel-result').focus();
  } catch (e) {
    if (e.status !== 401) showApiError(form, 'channel', result, e);
  } finally {
    busy = false;
  }
});

export async function enter(ctx, arg, params) {
  const asked = params && params.get('agency');
  agency = asked && SLUG.test(asked) ? asked : null;
  $('channels-agency').value = agency || '';
  const other = $('channels-other');
  other.hidden = !agency;
  if (agency) {
    $('channels-below').open = true;
    setText(other, 'ch.other_agency', { slug: agency });
  }
  suggestAgencies();
  await load();
}
