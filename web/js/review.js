// The last step: everything the reporter is about to send, grouped by step,
// each group with an "Edit" button back to its step. Text goes in through
// textContent only.
import { t, lang } from './i18n.js';
import { formatThaiDate } from './api.js';

function row(dl, labelKey, value) {
  const wrap = document.createElement('div');
  const dt = document.createElement('dt');
  dt.textContent = t(labelKey);
  const dd = document.createElement('dd');
  dd.className = 'prewrap';
  dd.textContent = value || t('report.not_given');
  wrap.append(dt, dd);
  dl.append(wrap);
}

// groups: [{step, title, rows: [[labelKey, value]]}]; onEdit(step).
function render(container, groups, onEdit) {
  container.replaceChildren(...groups.map(({ step, title, rows }) => {
    const div = document.createElement('div');
    div.className = 'review-group';
    const head = document.createElement('div');
    head.className = 'review-head';
    const h = document.createElement('h3');
    h.textContent = title;
    const edit = document.createElement('button');
    edit.type = 'button';
    edit.className = 'btn btn-secondary btn-small';
    edit.textContent = t('report.edit');
    edit.setAttribute('aria-label', t('report.edit_named', { title }));
    edit.addEventListener('click', () => onEdit(step));
    head.append(h, edit);
    const dl = document.createElement('dl');
    dl.className = 'facts';
    for (const [key, value] of rows) row(dl, key, value);
    div.append(head, dl);
    return div;
  }));
}

// values: as collected by report.js; steps: the enabled step names.
export function renderReview(container, { values, channel, categoryLabel, files, steps, titleOf, onEdit }) {
  const groups = [];
  const add = (step, rows) => { if (steps.includes(step)) groups.push({ step, title: titleOf(step), rows }); };
  // Who will read it, and who the identity, shown again just before sending.
  const channelRows = channel ? [
    ['report.channel', channel.name],
    ['report.readers', channel.readers],
    ['report.identity_readers', channel.identityReaders],
  ] : [];
  add('who', [
    ...channelRows,
    ['report.subject_name', values.subject.name],
    ['report.subject_position', values.subject.position],
    ['report.subject_unit', values.subject.unit],
  ]);
  add('what', [
    ['report.category', categoryLabel],
    ['report.description', values.description],
  ]);
  add('when', [
    ['report.incident_date', values.incident_date ? formatThaiDate(values.incident_date, lang()) : ''],
    ['report.location', values.location],
  ]);
  add('evidence', [['report.evidence_files', files.map((f) => f.name).join('\n')]]);
  const id = values.identity;
  add('identity', values.named ? [
    ['report.identity_mode', t('report.identity_named')],
    ['report.identity_name', id.name],
    ['report.identity_national_id', id.national_id],
    ['report.identity_phone', id.phone],
    ['report.identity_email', id.email],
    ['report.identity_address', id.address],
  ] : [['report.identity_mode', t('report.identity_anonymous')]]);
  render(container, groups, onEdit);
}
