// Statistics for one Thai fiscal year (1 October – 30 September, B.E.),
// with the CSV the agency attaches to its ITA report.
import { setText, setLiteral } from '../i18n.js';
import * as api from './api.js';
import { el, clear, fillSelect, labelEl, setDate, showError, hide } from './dom.js';
import { STATUSES, CATEGORIES } from './strings.js';

const $ = (id) => document.getElementById(id);
const YEARS_BACK = 5;
let seq = 0;
let chosen = null;

const TH_MONTHS = ['มกราคม', 'กุมภาพันธ์', 'มีนาคม', 'เมษายน', 'พฤษภาคม', 'มิถุนายน', 'กรกฎาคม',
  'สิงหาคม', 'กันยายน', 'ตุลาคม', 'พฤศจิกายน', 'ธันวาคม'];
const EN_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
  'September', 'October', 'November', 'December'];

// The fiscal year (B.E.) that a moment falls in, on Bangkok's calendar:
// 1 October 2025 opens fiscal year 2569.
export function fiscalYearOf(date = new Date()) {
  const parts = {};
  for (const p of new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Bangkok', year: 'numeric', month: 'numeric' })
    .formatToParts(date)) parts[p.type] = p.value;
  const year = Number(parts.year);
  const month = Number(parts.month);
  return year + 543 + (month >= 10 ? 1 : 0);
}

function row(labelNode, n) {
  return el('tr', {}, [el('th', { scope: 'row' }, [labelNode]), el('td', { class: 'num', text: String(n ?? 0) })]);
}

export function monthLabel(m) {
  // The month in both languages; the krasip:lang listener below switches it.
  const span = el('span', { 'data-month': `${m.year}-${m.month}` });
  span.dataset.th = `${TH_MONTHS[m.month - 1] || m.month} ${m.year}`;
  span.dataset.en = `${EN_MONTHS[m.month - 1] || m.month} ${m.year} B.E.`;
  span.textContent = document.documentElement.lang === 'en' ? span.dataset.en : span.dataset.th;
  return span;
}

document.addEventListener('krasip:lang', (ev) => {
  for (const s of document.querySelectorAll('[data-month]')) {
    s.textContent = ev.detail.lang === 'en' ? s.dataset.en : s.dataset.th;
  }
});

function render(s) {
  setDate($('stats-start'), s.period_start);
  setDate($('stats-end'), s.period_end);
  setLiteral($('stats-received'), String(s.received ?? 0));
  setLiteral($('stats-in-progress'), String(s.in_progress ?? 0));
  setLiteral($('stats-completed'), String(s.completed ?? 0));
  const csv = $('stats-csv');
  csv.setAttribute('href', `/api/v1/stats${api.query({ fiscal_year: s.fiscal_year, format: 'csv' })}`);
  csv.setAttribute('download', `krasip-stats-${s.fiscal_year}.csv`);
  setText(csv, 'stats.csv', { fy: s.fiscal_year });

  renderPack(s.fiscal_year);

  const byCat = s.by_category || {};
  const cats = [...CATEGORIES, ...Object.keys(byCat).filter((k) => !CATEGORIES.includes(k))];
  const catBody = $('stats-by-category');
  clear(catBody);
  for (const c of cats) catBody.append(row(labelEl('cat', c), byCat[c]));

  const byStatus = s.by_status || {};
  const sts = [...STATUSES, ...Object.keys(byStatus).filter((k) => !STATUSES.includes(k))];
  const stBody = $('stats-by-status');
  clear(stBody);
  for (const st of sts) stBody.append(row(labelEl('st', st), byStatus[st]));

  const monthBody = $('stats-by-month');
  clear(monthBody);
  for (const m of Array.isArray(s.by_month) ? s.by_month : []) monthBody.append(row(monthLabel(m), m.received));
  $('stats-body').hidden = false;
}

// The ITA evidence pack (issue 13, item 2): administrators only.
function renderPack(fy) {
  const user = api.user();
  $('pack-section').hidden = !(user && user.admin);
  const q = api.query({ fiscal_year: fy });
  $('pack-html').setAttribute('href', `/api/v1/admin/evidence-pack${q}`);
  setText($('pack-html'), 'pack.html', { fy });
  $('pack-pdf').setAttribute('href', `/api/v1/admin/evidence-pack${api.query({ fiscal_year: fy, format: 'pdf' })}`);
  setText($('pack-pdf'), 'pack.pdf', { fy });
}

$('picture-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  hide($('picture-error'));
  const file = $('picture-file').files[0];
  if (!file) {
    setText($('picture-result'), 'pack.picture_none');
    return;
  }
  try {
    await api.putFile(`/api/v1/admin/site-picture${api.query({ page_url: $('picture-url').value.trim() || undefined })}`, file);
    setText($('picture-result'), 'pack.picture_done');
  } catch (e) {
    $('picture-result').textContent = '';
    if (e.status !== 401) showError($('picture-error'), e);
  }
});

async function load(fy) {
  const mine = ++seq;
  hide($('stats-error'));
  setText($('stats-result'), 'c.loading');
  try {
    const s = await api.get(`/api/v1/stats${api.query({ fiscal_year: fy })}`);
    if (mine !== seq) return;
    render(s);
    setText($('stats-result'), 'stats.loaded', { fy: s.fiscal_year });
  } catch (e) {
    if (mine !== seq || e.status === 401) return;
    $('stats-result').textContent = '';
    $('stats-body').hidden = true;
    showError($('stats-error'), e);
  }
}

$('stats-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  chosen = Number($('stats-fy').value);
  load(chosen);
});

export async function enter() {
  const now = fiscalYearOf();
  if (!chosen) chosen = now;
  const years = [];
  for (let y = now; y > now - YEARS_BACK; y -= 1) years.push(y);
  if (!years.includes(chosen)) years.push(chosen);
  fillSelect($('stats-fy'), years.map((y) => ({ value: String(y), key: 'stats.fy_option', vars: { fy: y } })), String(chosen));
  await load(chosen);
}

export function leave() {
  seq += 1;
}
