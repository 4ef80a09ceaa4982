// The status page's notice (issue 20, item 5): when the readers of the
// case's channel changed since the case was received (`readers_changed` of
// POST /api/v1/status, days), say when, and link to the agency's published
// changes on the measures page, where what changed is listed by role.
import { register, lang, onLangChange } from './i18n.js';
import { formatThaiDate } from './api.js';
import strings from './strings/status-readers.js';

register(strings);

const SLUG = /^[a-z0-9-]{2,40}$/;
const $ = (id) => document.getElementById(id);
let days = [];

function renderDates() {
  $('status-readers-changed-dates').textContent = days.map((d) => formatThaiDate(d, lang())).join(', ');
}

// `data`: the status answer on screen, or null to hide the notice.
export function renderReadersChanged(data) {
  const box = $('status-readers-changed');
  days = data && Array.isArray(data.readers_changed) ? data.readers_changed.filter((d) => typeof d === 'string') : [];
  box.hidden = days.length === 0 || (data && data.purged === true);
  renderDates();
  const slug = data && data.agency && SLUG.test(data.agency.slug || '') ? data.agency.slug : null;
  $('status-readers-changed-link').setAttribute('href', `/embed/measures.html${slug ? `?agency=${slug}` : ''}#changes`);
}

onLangChange(() => { if (days.length) renderDates(); });
