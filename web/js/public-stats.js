// The public statistics page (issue 13, item 1): one fiscal year (B.E.) of
// GET /api/v1/public/stats, as tables, and a bar chart of the months drawn
// here as inline SVG (no third-party script). The table is the chart's text
// alternative: the chart is aria-hidden, with a one-line summary above it.
import { register, initI18n, setText, setLiteral, lang, onLangChange } from './i18n.js';
import { getJson, formatThaiDate } from './api.js';
import { agencySlug, withAgency, keepAgencyInLinks } from './agency.js';
import { showAgency, showError, bilingual } from './public-page.js';
import common from './strings/common.js';
import errors from './strings/errors.js';
import pub from './strings/public.js';

register(common);
register(errors);
register(pub);
initI18n();
keepAgencyInLinks();
for (const a of document.querySelectorAll('a[href^="/embed/measures.html"], a[href^="/embed/stats.html"]')) {
  a.setAttribute('href', withAgency(a.getAttribute('href').split('?')[0]));
}

const $ = (id) => document.getElementById(id);
const SVG = 'http://www.w3.org/2000/svg';
const TH_MONTHS = ['ม.ค.', 'ก.พ.', 'มี.ค.', 'เม.ย.', 'พ.ค.', 'มิ.ย.', 'ก.ค.', 'ส.ค.', 'ก.ย.', 'ต.ค.', 'พ.ย.', 'ธ.ค.'];
const TH_MONTHS_LONG = ['มกราคม', 'กุมภาพันธ์', 'มีนาคม', 'เมษายน', 'พฤษภาคม', 'มิถุนายน', 'กรกฎาคม', 'สิงหาคม', 'กันยายน', 'ตุลาคม', 'พฤศจิกายน', 'ธันวาคม'];
const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const EN_MONTHS_LONG = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
let shown = null;
let seq = 0;

function fiscalYearNow() {
  const p = {};
  for (const x of new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Bangkok', year: 'numeric', month: 'numeric' })
    .formatToParts(new Date())) p[x.type] = x.value;
  return Number(p.year) + 543 + (Number(p.month) >= 10 ? 1 : 0);
}

function cell(tag, attrs, text) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (text !== undefined) el.textContent = text;
  return el;
}

// A withheld count (fewer than the minimum, or withheld so that one cannot
// be worked out from the others: issue 21) is null: shown as a dash.
function shownCount(value) {
  return value === null ? '—' : String(value ?? 0);
}

function row(body, labelTh, labelEn, value) {
  const tr = document.createElement('tr');
  const th = cell('th', { scope: 'row' });
  bilingual(th, labelTh, labelEn);
  const td = cell('td', { class: 'num' });
  if (typeof value === 'function') value(td);
  else setLiteral(td, shownCount(value));
  tr.append(th, td);
  body.append(tr);
}

function monthName(m, long) {
  const th = (long ? TH_MONTHS_LONG : TH_MONTHS)[m.month - 1];
  const en = (long ? EN_MONTHS_LONG : EN_MONTHS)[m.month - 1];
  return lang() === 'en' ? `${en} ${m.year}` : `${th} ${m.year}`;
}

// Bars of the twelve months, October first; drawn again on a language change.
function drawChart(months) {
  const box = $('chart');
  box.textContent = '';
  const max = Math.max(1, ...months.map((m) => m.received || 0));
  const W = 360, H = 180, top = 16, bottom = 28, left = 4, gap = 4;
  const barW = (W - left * 2) / months.length - gap;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.setAttribute('width', '100%');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('class', 'bar-chart-svg');
  months.forEach((m, i) => {
    const n = m.received || 0;
    const h = ((H - top - bottom) * n) / max;
    const x = left + i * (barW + gap) + gap / 2;
    const rect = document.createElementNS(SVG, 'rect');
    rect.setAttribute('x', x.toFixed(1));
    rect.setAttribute('y', (H - bottom - h).toFixed(1));
    rect.setAttribute('width', barW.toFixed(1));
    rect.setAttribute('height', Math.max(h, n > 0 ? 1 : 0).toFixed(1));
    rect.setAttribute('class', 'bar');
    svg.append(rect);
    const value = document.createElementNS(SVG, 'text');
    value.setAttribute('x', (x + barW / 2).toFixed(1));
    value.setAttribute('y', (H - bottom - h - 3).toFixed(1));
    value.setAttribute('text-anchor', 'middle');
    value.setAttribute('class', 'bar-value');
    value.textContent = shownCount(m.received);
    svg.append(value);
    const label = document.createElementNS(SVG, 'text');
    label.setAttribute('x', (x + barW / 2).toFixed(1));
    label.setAttribute('y', String(H - bottom + 14));
    label.setAttribute('text-anchor', 'middle');
    label.setAttribute('class', 'bar-label');
    label.textContent = lang() === 'en' ? EN_MONTHS[m.month - 1] : TH_MONTHS[m.month - 1];
    svg.append(label);
  });
  box.append(svg);
  const total = months.reduce((a, m) => a + (m.received || 0), 0);
  if (total === 0) {
    setText($('chart-summary'), 'pub.chart_empty');
  } else {
    const peak = months.reduce((a, m) => ((m.received || 0) > (a.received || 0) ? m : a), months[0]);
    setText($('chart-summary'), 'pub.chart_summary', { total, peak: monthName(peak, true), n: peak.received });
  }
}

function figure(td, value, key, vars) {
  if (value === null || value === undefined) setText(td, 'pub.suppressed');
  else setText(td, key, { ...vars, n: value });
}

function render(s) {
  shown = s;
  const period = `${formatThaiDate(s.period_start.slice(0, 10), lang())} – ${formatThaiDate(s.period_end.slice(0, 10), lang())}`;
  setLiteral($('period'), period);
  setLiteral($('received'), shownCount(s.received));
  setLiteral($('in-progress'), shownCount(s.in_progress));
  setLiteral($('completed'), shownCount(s.completed));
  // A daily publication of completed periods (issue 21): what it covers.
  const published = s.published_on ? formatThaiDate(s.published_on, lang()) : '';
  if (s.through) {
    setText($('covers'), s.period === 'week' ? 'pub.covers_week' : 'pub.covers_month',
            { through: formatThaiDate(s.through, lang()), published });
  } else {
    setText($('covers'), 'pub.covers_none', { published });
  }
  const labels = s.labels || {};
  const label = (id) => labels[id] || { th: id, en: id };

  const months = Array.isArray(s.by_month) ? s.by_month : [];
  const monthBody = $('by-month');
  monthBody.textContent = '';
  for (const m of months) {
    row(monthBody, `${TH_MONTHS_LONG[m.month - 1]} ${m.year}`, `${EN_MONTHS_LONG[m.month - 1]} ${m.year} B.E.`, m.received);
  }
  drawChart(months);

  const chBody = $('by-channel');
  chBody.textContent = '';
  for (const c of s.by_channel || []) row(chBody, c.name_th, c.name_en, c.received);

  const catBody = $('by-category');
  catBody.textContent = '';
  for (const [id, n] of Object.entries(s.by_category || {})) row(catBody, label(id).th, label(id).en, n);

  const outBody = $('outcomes');
  outBody.textContent = '';
  for (const [id, n] of Object.entries(s.outcomes || {})) row(outBody, label(id).th, label(id).en, n);

  const sv = s.service || {};
  const svBody = $('service');
  svBody.textContent = '';
  const add = (key, vars, fill) => {
    const tr = document.createElement('tr');
    const th = cell('th', { scope: 'row' });
    setText(th, key, vars);
    const td = cell('td', { class: 'num' });
    fill(td);
    tr.append(th, td);
    svBody.append(tr);
  };
  add('pub.median_ack', undefined, (td) => figure(td, sv.median_days_to_acknowledge, 'pub.days'));
  add('pub.median_outcome', undefined, (td) => figure(td, sv.median_days_to_outcome, 'pub.days'));
  add('pub.ack_within', { days: sv.acknowledge_days }, (td) =>
    figure(td, sv.acknowledged_in_time_percent, 'pub.percent', { base: sv.acknowledge_base }));
  add('pub.reply_within', { days: sv.reply_days }, (td) =>
    figure(td, sv.replied_in_time_percent, 'pub.percent', { base: sv.reply_base }));
  setText($('service-note'), 'pub.service_note', { min: s.withheld_below ?? sv.minimum_base ?? 5 });

  $('csv').setAttribute('href', withAgency(`/api/v1/public/stats?fiscal_year=${s.fiscal_year}&format=csv`));
  $('stats-body').hidden = false;
}

async function load(fy) {
  const mine = ++seq;
  $('stats-error').hidden = true;
  setText($('stats-status'), 'pub.loading');
  try {
    const res = await getJson(withAgency(`/api/v1/public/stats?fiscal_year=${fy}`));
    if (mine !== seq) return;
    if (res.status !== 200 || !res.data) {
      $('stats-body').hidden = true;
      showError($('stats-error'), res);
      return;
    }
    render(res.data);
    setText($('stats-status'), 'pub.loaded', { fy });
  } catch (e) {
    if (mine !== seq) return;
    showError($('stats-error'), e);
  }
}

async function loadAgency() {
  try {
    const res = await getJson(withAgency('/api/v1/public/measures'));
    if (res.status === 200 && res.data) showAgency(res.data.agency);
  } catch { /* the name stays generic */ }
}

const select = $('fy');
const now = fiscalYearNow();
const asked = Number(new URLSearchParams(window.location.search).get('fy'));
for (let y = now; y > now - 5; y -= 1) {
  const o = document.createElement('option');
  o.value = String(y);
  setText(o, 'pub.fy_option', { fy: y });
  select.append(o);
}
if (asked >= now - 4 && asked <= now) select.value = String(asked);
select.addEventListener('change', () => load(Number(select.value)));
$('fy-form').addEventListener('submit', (ev) => { ev.preventDefault(); load(Number(select.value)); });
onLangChange(() => { if (shown) render(shown); });
if (!agencySlug()) { /* the deployment's only agency */ }
loadAgency();
load(Number(select.value));
