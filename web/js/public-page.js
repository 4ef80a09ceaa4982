// What the public statistics and measures pages share: the agency's name
// from the server, and error messages.
import { register, setText } from './i18n.js';
import { errorOf, NetworkError } from './api.js';

export function showAgency(agency) {
  if (!agency || !agency.name_th) return;
  register({ 'common.agency': { th: agency.name_th, en: agency.name_en || agency.name_th } });
  for (const el of document.querySelectorAll('[data-agency-name]')) setText(el, 'common.agency');
}

export function showError(box, resOrError) {
  const code = resOrError instanceof NetworkError ? resOrError.code
    : resOrError instanceof Error ? 'network_error' : errorOf(resOrError).code;
  box.hidden = false;
  setText(box, `error.${code}`);
}

// Text in both languages from the server, kept translatable.
let serial = 0;
export function bilingual(el, th, en) {
  const key = `pub.server.${serial++}`;
  register({ [key]: { th, en: en || th } });
  setText(el, key);
  return el;
}
