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
  for (const a of root.querySelectorAll('a[href^="/embed/"], a[href^="/report.html"], a[href^="/status.html"]')) {
    const url = new URL(a.getAttribute('href'), window.location.origin);
    url.searchParams.set('agency', slug);
    a.setAttribute('href', url.pathname + url.search + url.hash);
  }
}
