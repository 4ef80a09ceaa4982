// One radio button per channel of the agency (ช่องทางรับเรื่อง), each
// labelled with its name and a hint saying what it is for and who reads it,
// as GET /api/v1/intake (and POST /api/v1/status, for a move) describe
// channels. Used by the form's first step and by the status page's "move to
// another channel". Server text goes in through textContent only.
import { lang, t } from './i18n.js';

// A channel's text in the page's language (Thai when English is missing).
export function inLang(o, field) {
  return (lang() === 'en' ? o[`${field}_en`] : o[`${field}_th`]) || o[`${field}_th`] || '';
}

// box: the element to fill; name: the radios' name; firstId: the first
// radio's id (where a field error points), the others `${firstId}-${i}`;
// chosenId: the channel to keep checked; labels: i18n keys put before who
// reads the complaint (`readers`) and, if given, who sees the identity
// (`identityReaders`).
export function renderChannelRadios(box, channels, { name, firstId, chosenId, labels }) {
  box.replaceChildren();
  channels.forEach((c, i) => {
    const div = document.createElement('div');
    div.className = 'choice';
    const input = document.createElement('input');
    input.type = 'radio';
    input.name = name;
    input.value = c.id;
    input.id = i === 0 ? firstId : `${firstId}-${i}`;
    input.checked = chosenId ? chosenId === c.id : false;
    const hintId = `${firstId}-${i}-hint`;
    input.setAttribute('aria-describedby', hintId);
    const label = document.createElement('label');
    label.htmlFor = input.id;
    const title = document.createElement('strong');
    title.textContent = inLang(c, 'name');
    const hint = document.createElement('span');
    hint.id = hintId;
    hint.className = 'hint';
    const desc = inLang(c, 'description');
    let text = `${desc ? `${desc} — ` : ''}${t(labels.readers)} ${inLang(c, 'readers')}`;
    if (labels.identityReaders) text += ` — ${t(labels.identityReaders)} ${inLang(c, 'identity_readers')}`;
    hint.textContent = text;
    label.append(title, hint);
    div.append(input, label);
    box.append(div);
  });
}
