// "Published changes" on the protection-measures page (issue 20, item 5):
// the agency's change log (GET /api/v1/public/changes), newest first, by
// role and never by name: what changed in which channel, who proposed and
// who approved, the proposals still awaiting a decision with their
// deadline, and the chain's head with how anyone can recompute it.
import { register, lang, onLangChange, setText } from './i18n.js';
import { getJson, formatThaiDate } from './api.js';
import { withAgency } from './agency.js';
import { bilingual } from './public-page.js';
import { changeList, words } from './change-words.js';
import changes from './strings/changes.js';

register(changes);

const $ = (id) => document.getElementById(id);
const CLOSING = new Set(['applied', 'refused', 'vetoed', 'withdrawn', 'lapsed', 'failed']);

function node(tag, cls, children = []) {
  const n = document.createElement(tag);
  if (cls) n.className = cls;
  n.append(...children.filter((c) => c !== null && c !== undefined));
  return n;
}

function dateNode(iso) {
  const n = document.createElement('time');
  n.setAttribute('datetime', iso || '');
  n.dataset.date = iso || '';
  n.textContent = formatThaiDate(iso, lang());
  return n;
}

function fact(key, ...value) {
  const dt = document.createElement('dt');
  setText(dt, key);
  return node('div', null, [dt, node('dd', null, value)]);
}

function channelOf(e) {
  if (!e.channel) return words('pub.chg_whole_agency');
  const span = bilingual(document.createElement('span'), e.channel.name_th || e.channel.id, e.channel.name_en);
  return node('span', null, [span, ` (${e.channel.id})`]);
}

function waitsFor(e) {
  if (e.wait) return [words('who.wait'), ' ', dateNode(e.deadline), ' ', words('who.wait_veto')];
  return [words(e.approvers === 'parent' ? 'who.parent' : 'who.agency'), ' ', dateNode(e.deadline)];
}

function entryItem(row, { pending = false } = {}) {
  const e = row.parsed || {};
  const kind = e.kind || (e.event === 'restored' ? 'restored' : '');
  const head = node('p', 'change-head', [dateNode(e.date), ' · ',
    node('strong', null, [words(pending ? 'ev.pending' : `ev.${e.event}`, undefined, e.event)]),
    kind ? ' · ' : null, kind ? words(`kind.${kind}`, undefined, kind) : null]);
  const facts = node('dl', 'facts');
  facts.append(fact('pub.chg_channel', channelOf(e)));
  if (Array.isArray(e.changes) && e.changes.length) facts.append(fact('pub.chg_what', changeList(e.changes)));
  if (e.by) facts.append(fact(e.event === 'proposed' ? 'pub.chg_proposed_by' : 'pub.chg_by', words(`role.${e.by}`, undefined, e.by)));
  if (e.approved_by) facts.append(fact('pub.chg_approved_by', words(`role.${e.approved_by}`, undefined, e.approved_by)));
  if (e.how) facts.append(fact('pub.chg_how', words(`how.${e.how}`, undefined, e.how)));
  if (e.event === 'proposed' && e.deadline) {
    facts.append(fact(pending ? 'pub.chg_waits' : 'pub.chg_waited', ...waitsFor(e)));
  }
  if (e.reason) {
    const reason = node('span', null, [String(e.reason)]);
    reason.lang = 'en';
    facts.append(fact('pub.chg_reason', reason));
  }
  const item = node('li', 'change-entry', [head, facts]);
  item.dataset.seq = String(row.seq);
  item.dataset.event = e.event || '';
  if (!pending) {
    // The exact text that was hashed, for whoever recomputes the chain.
    const summary = document.createElement('summary');
    setText(summary, 'pub.chg_entry_text', { seq: row.seq });
    const hash = node('code', 'hash-text', [row.hash || '']);
    item.append(node('details', 'change-raw', [summary, node('pre', 'entry-text', [node('code', null, [row.entry || ''])]),
      node('p', null, [words('pub.chg_hash'), ' ', hash])]));
  }
  return item;
}

function render(data) {
  const rows = Array.isArray(data.entries) ? [...data.entries].sort((a, b) => b.seq - a.seq) : [];
  const closed = new Set(rows.filter((r) => r.parsed && CLOSING.has(r.parsed.event)).map((r) => r.parsed.proposal));
  const pending = rows.filter((r) => r.parsed && r.parsed.event === 'proposed' && r.parsed.proposal && !closed.has(r.parsed.proposal));
  $('changes-pending').replaceChildren(...pending.map((r) => entryItem(r, { pending: true })));
  $('changes-pending-empty').hidden = pending.length > 0;
  $('changes-log').replaceChildren(...rows.map((r) => entryItem(r)));
  $('changes-empty').hidden = rows.length > 0;
  $('changes-head').textContent = data.head || '';
  const intact = $('changes-intact');
  intact.className = data.intact ? 'hint' : 'notice notice-error';
  setText(intact, data.intact ? 'pub.chain_intact' : 'pub.chain_broken');
  $('changes').hidden = false;
}

export async function loadChanges() {
  try {
    const res = await getJson(withAgency('/api/v1/public/changes'));
    if (res.status === 200 && res.data) render(res.data);
  } catch { /* the measures stand without the log; its section stays hidden */ }
}

onLangChange((l) => {
  for (const n of $('changes').querySelectorAll('time[data-date]')) n.textContent = formatThaiDate(n.dataset.date, l);
});
