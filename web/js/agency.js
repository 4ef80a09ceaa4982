// The agency a page is for (issue 11): `?agency=SLUG`, as the widget puts it
// in the iframe's address. One deployment serves many agencies; the pages
// pass the slug on to the API and keep it in their own links. No slug: the
// deployment's only agency (the server answers which).

const SLUG = /^[a-z0-9-]{2,40}$/;

export function agencySlug() {
  const v = new URLSearchParams(window.location.search).get('agency');
  return v && SLUG.test(v) ? v : null;
}

// `path` with the page's agency (or `slug`) added to its query.
export function withAgency(path, slug = agencySlug()) {
  if (!slug) return path;
  return path + (path.includes('?') ? '&' : '?') + 'agency=' + encodeURIComponent(slug);
}

// The report and status pages link to each other: stay with the agency.
export function keepAgencyInLinks(root = document) {
  const slug = agencySlug();
  if (!slug) return;
  for (const a of root.querySelectorAll('a[href^="/embed/"], a[href^="/plain/"], a[href^="/report.html"], a[href^="/status.html"]')) {
    const url = new URL(a.getAttribute('href'), window.location.origin);
    url.searchParams.set('agency', slug);
    a.setAttribute('href', url.pathname + url.search + url.hash);
  }
}

const LOGO = /^\/api\/v1\/agencies\/[a-z0-9-]{2,40}\/logo$/;

// The agency's own logo in place of the service's emblem, when it has one
// (`agency.logo` from the API), with the agency's name as its text; without
// one the emblem stays, a decoration with no text.
export function showAgencyLogo(agency, root = document) {
  const src = agency && typeof agency.logo === 'string' && LOGO.test(agency.logo) ? agency.logo : null;
  const english = (document.documentElement.lang || 'th').startsWith('en');
  const name = agency ? (english && agency.name_en) || agency.name_th || '' : '';
  for (const img of root.querySelectorAll('img.brand-logo')) {
    if (!img.dataset.emblem) img.dataset.emblem = img.getAttribute('src') || '';
    if (src) {
      img.setAttribute('src', src);
      img.setAttribute('alt', name);
      img.dataset.agencyLogo = '';
    } else {
      img.setAttribute('src', img.dataset.emblem);
      img.setAttribute('alt', '');
      delete img.dataset.agencyLogo;
    }
  }
}
