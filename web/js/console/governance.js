// Protection changes (issue 20), for every signed-in account: the proposals
// that concern it (GET /api/v1/governance), what each changes, who must act
// and by when, with the decisions this account may take (approve, refuse,
// veto: each with a step-up; withdraw its own), the recently decided ones,
// and removed readers it may restore within the grace period.
import * as api from './api.js';
import { blank, clear, dateEl, el, hide, showError, showOk } from './dom.js';
import { withStepUp } from './step-up.js';
import { changeList, words } from '../change-words.js';
import { mustAct } from './proposal-note.js';

const $ = (id) => document.getElementById(id);
let ctx = null;
let busy = false;

// The server names the rule in English; the console says it in Thai too.
const RULES = [
  [/you proposed this change/, 'gov.rule.own'],
  [/this change is about you/, 'gov.rule.about_you'],
  [/last 30 days/, 'gov.rule.new_account'],
  [/overseen by a supervising agency/, 'gov.rule.parent'],
  [/custodian of the channel or another administrator approves/, 'gov.rule.agency'],
  [/no longer pending/, 'gov.rule.not_pending'],
  [/too late to veto/, 'gov.rule.too_late'],
  [/not a public wait/, 'gov.rule.not_wait'],
  [/vetoes$/, 'gov.rule.veto_who'],
  [/only whoever proposed/, 'gov.rule.withdraw_own'],
  [/grace period is over/, 'gov.rule.grace_over'],
];

function showRuleError(node, err) {
  const rule = err && err.serverMessage && RULES.find(([re]) => re.test(err.serverMessage));
  if (!rule) {
    showError(node, err, { detail: true });
    return;
  }
  blank(node);
  node.hidden = false;
  node.classList.add('is-error');
  node.append(el('span', { i18n: rule[1] }), ' ', el('span', { lang: 'en', class: 'server-detail', text: `(${err.serverMessage})` }));
}

function nameOf(username) {
  const u = ctx && ctx.users.find((x) => x.username === username);
  return u ? `${u.display_name} (${username})` : null;
}

const person = (username) => (username ? nameOf(username) || username : null);

function channelText(c) {
  return c ? `${c.name_th} / ${c.name_en} (${c.id})` : null;
}

function fact(labelKey, ...value) {
  return el('div', {}, [el('dt', { i18n: labelKey }), el('dd', {}, value)]);
}

function button(key, testid, describedBy, onClick, cls = 'btn-secondary') {
  const b = el('button', { type: 'button', class: `btn btn-small ${cls}`, i18n: key, 'data-testid': testid, 'aria-describedby': describedBy });
  b.addEventListener('click', onClick);
  return b;
}

function heading(p, id) {
  const h = el('h3', { id, class: 'gov-item-h' }, [words(`kind.${p.kind}`, undefined, p.kind)]);
  const about = channelText(p.channel) || person(p.subject);
  if (about) h.append(': ', about);
  return h;
}

function renderProposal(p) {
  const hid = `gov-h-${p.id}`;
  const pending = p.state === 'pending';
  const item = el('li', { class: `gov-item${pending ? ' is-pending' : ''}`, 'data-proposal': p.id, 'data-testid': `proposal-${p.id}`, 'data-state': p.state });
  item.append(heading(p, hid));
  item.append(el('p', { class: 'badges' }, [el('span', { class: `badge ${pending ? 'badge-high' : 'badge-plain'}`, i18n: `ev.${p.state}` })]));
  const facts = el('dl', { class: 'facts facts-stacked' });
  facts.append(fact('gov.agency', p.agency || ''));
  if (p.channel) facts.append(fact('gov.channel', channelText(p.channel)));
  if (p.subject) facts.append(fact('gov.subject', person(p.subject)));
  const changes = (p.changes || []).map((c) => (p.subject && c.what && c.what.startsWith('account_') ? { ...c, username: p.subject } : c));
  facts.append(fact('gov.changes', changeList(changes, { nameOf })));
  const by = p.proposed_by ? person(p.proposed_by) : el('span', { i18n: 'role.operator' });
  facts.append(fact('gov.proposed_by', by, ', ', dateEl(p.proposed_at)));
  if (pending) {
    facts.append(fact('gov.who_acts', ...mustAct(p)));
  } else {
    const outcome = [el('span', { i18n: `ev.${p.state}` })];
    if (p.decided_by) outcome.push(' — ', person(p.decided_by));
    else if (p.state === 'applied') outcome.push(' — ', el('span', { i18n: 'how.after_wait' }));
    if (p.decided_at) outcome.push(', ', dateEl(p.decided_at));
    if (p.outcome) outcome.push(' ', el('span', { lang: 'en', class: 'server-detail', text: `(${p.outcome})` }));
    facts.append(fact('gov.outcome', ...outcome));
  }
  item.append(facts);

  if (pending) {
    const msg = el('p', { id: `gov-msg-${p.id}`, class: 'form-result', role: 'status', 'aria-live': 'polite', tabindex: '-1', 'data-testid': `proposal-msg-${p.id}` });
    const row = el('div', { class: 'button-row' });
    if (p.may_approve) {
      row.append(button('gov.approve', `approve-${p.id}`, hid, () => decide(p, 'approve', msg), 'btn-primary'));
      row.append(button('gov.refuse', `refuse-${p.id}`, hid, () => decide(p, 'refuse', msg)));
    }
    if (p.may_veto) row.append(button('gov.veto', `veto-${p.id}`, hid, () => decide(p, 'veto', msg)));
    if (p.may_withdraw) row.append(button('gov.withdraw', `withdraw-${p.id}`, hid, () => decide(p, 'withdraw', msg)));
    if (!row.childElementCount) row.append(el('p', { class: 'hint', i18n: 'gov.not_yours' }));
    item.append(row, msg);
  }
  return item;
}

function renderRestorable(d) {
  const hid = `gov-r-${d.id}`;
  const msg = el('p', { class: 'form-result', role: 'status', 'aria-live': 'polite', tabindex: '-1' });
  const item = el('li', { class: 'gov-item', 'data-testid': `restorable-${d.id}` }, [
    el('h3', { id: hid, class: 'gov-item-h' }, [person(d.username), ' — ', words(`chg.member.${d.role}`, undefined, d.role)]),
    el('dl', { class: 'facts facts-stacked' }, [
      fact('gov.agency', d.agency || ''),
      fact('gov.channel', d.channel || ''),
      fact('gov.left_at', dateEl(d.left_at)),
      fact('gov.restorable_until', dateEl(d.restorable_until)),
      fact('gov.keys', String(d.keys ?? 0)),
    ]),
  ]);
  const row = el('div', { class: 'button-row' }, [button('gov.restore', `restore-${d.id}`, hid, () => restore(d, msg), 'btn-primary')]);
  item.append(row, msg);
  return item;
}

function fill(list, empty, items, render) {
  clear(list);
  for (const x of items) list.append(render(x));
  empty.hidden = items.length > 0;
}

async function load() {
  hide($('gov-error'));
  let data = { proposals: [], restorable: [] };
  try {
    data = await api.get('/api/v1/governance');
  } catch (e) {
    if (e.status !== 401) showError($('gov-error'), e, { detail: true });
  }
  const proposals = Array.isArray(data && data.proposals) ? data.proposals : [];
  const newest = (a, b) => String(b.decided_at || b.proposed_at).localeCompare(String(a.decided_at || a.proposed_at));
  const pending = proposals.filter((p) => p.state === 'pending').sort((a, b) => String(a.deadline).localeCompare(String(b.deadline)));
  const decided = proposals.filter((p) => p.state !== 'pending').sort(newest);
  fill($('gov-pending'), $('gov-pending-empty'), pending, renderProposal);
  fill($('gov-decided'), $('gov-decided-empty'), decided, renderProposal);
  const restorable = Array.isArray(data && data.restorable) ? data.restorable : [];
  fill($('gov-restorable'), $('gov-restorable-empty'), restorable, renderRestorable);
  $('gov-restorable-section').hidden = restorable.length === 0;
}

async function decide(p, action, msg) {
  if (busy) return;
  busy = true;
  blank(msg);
  const url = `/api/v1/governance/proposals/${encodeURIComponent(p.id)}/${action}`;
  try {
    const answer = action === 'withdraw'
      ? await api.post(url, {})
      : await withStepUp((step_up) => api.post(url, { step_up }));
    if (!answer) {
      msg.hidden = false;
      msg.append(el('span', { i18n: 'stepup.cancelled' }));
      return;
    }
    await load();
    // An approved change that no longer fits the channel fails, in public.
    const failed = answer.proposal && answer.proposal.state === 'failed';
    showOk($('gov-result'), failed ? 'gov.done.failed' : `gov.done.${action}`);
    $('gov-result').focus();
  } catch (e) {
    if (e.status !== 401) {
      showRuleError(msg, e);
      msg.focus();
    }
  } finally {
    busy = false;
  }
}

async function restore(d, msg) {
  if (busy) return;
  busy = true;
  blank(msg);
  try {
    const answer = await withStepUp((step_up) => api.post(`/api/v1/governance/restorations/${encodeURIComponent(d.id)}`, { step_up }));
    if (!answer) {
      msg.append(el('span', { i18n: 'stepup.cancelled' }));
      return;
    }
    await load();
    showOk($('gov-result'), 'gov.restored', { u: d.username, keys: answer.restored_keys ?? 0 });
    $('gov-result').focus();
  } catch (e) {
    if (e.status !== 401) {
      showRuleError(msg, e);
      msg.focus();
    }
  } finally {
    busy = false;
  }
}

export async function enter(context) {
  ctx = context;
  blank($('gov-result'));
  if (!ctx.users.length) await ctx.loadUsers();
  await load();
}
