// Starts GET /api/v1/intake while the report form's page is still arriving
// (issue 22): on a 400 ms link the form's own script would ask for it only
// after it has downloaded and run, a second or more later. A classic script
// in <head> (the build puts it in the page, its hash in the CSP); report.js
// takes the answer from window.krasipIntake, or asks again if it is not there.
(function () {
  'use strict';
  if (typeof fetch !== 'function' || typeof AbortController !== 'function') return;
  var slug = new URLSearchParams(window.location.search).get('agency');
  var path = '/api/v1/intake' + (slug && /^[a-z0-9-]{2,40}$/.test(slug) ? '?agency=' + encodeURIComponent(slug) : '');
  var ctrl = new AbortController();
  var timer = setTimeout(function () { ctrl.abort(); }, 30000);
  // The same request as api.js's getJson; any failure leaves it to report.js.
  window.krasipIntake = {
    path: path,
    answer: fetch(path, {
      signal: ctrl.signal, credentials: 'same-origin', cache: 'no-store', referrerPolicy: 'no-referrer',
      headers: { Accept: 'application/json' },
    }).then(function (res) {
      return res.text().then(function (text) { return { status: res.status, data: text ? JSON.parse(text) : null }; });
    }).catch(function () { return null; }).finally(function () { clearTimeout(timer); }),
  };
})();
