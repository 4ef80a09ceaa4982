// The public protection-measures page (issue 13, item 1): the sentences of
// GET /api/v1/public/measures, which the server makes from the
// configuration it enforces, in Thai and English.
import { register, initI18n, setText } from './i18n.js';
import { getJson } from './api.js';
import { withAgency, keepAgencyInLinks } from './agency.js';
import { showAgency, showError, bilingual } from './public-page.js';
import common from './strings/common.js';
import errors from './strings/errors.js';
import pub from './strings/public.js';
import { loadChanges } from './public-changes.js';

register(common);
register(errors);
register(pub);
initI18n();
keepAgencyInLinks();
for (const a of document.querySelectorAll('a[href^="/embed/measures.html"], a[href^="/embed/stats.html"]')) {
  a.setAttribute('href', withAgency(a.getAttribute('href').split('?')[0]));
}

const $ = (id) => document.getElementById(id);

function render(m) {
  showAgency(m.agency);
  const box = $('measures');
  box.textContent = '';
  for (const s of m.sections || []) {
    const section = document.createElement('section');
    section.className = 'card';
    section.dataset.section = s.id;
    const h = document.createElement('h2');
    h.id = `measures-${s.id}`;
    section.setAttribute('aria-labelledby', h.id);
    bilingual(h, s.heading_th, s.heading_en);
    const ul = document.createElement('ul');
    ul.className = 'protect-list';
    for (const p of s.points || []) ul.append(bilingual(document.createElement('li'), p.th, p.en));
    section.append(h, ul);
    box.append(section);
  }
  setText($('measures-status'), 'pub.measures_loaded');
}

async function load() {
  setText($('measures-status'), 'pub.loading');
  try {
    const res = await getJson(withAgency('/api/v1/public/measures'));
    if (res.status !== 200 || !res.data) {
      showError($('measures-error'), res);
      return;
    }
    render(res.data);
  } catch (e) {
    showError($('measures-error'), e);
  }
}

load();
loadChanges();
