// Renders the answer of POST /api/v1/status. Server text goes in through
// textContent only.
import { lang, t } from './i18n.js';
import { formatThaiDate } from './api.js';
import { formatBytes } from './evidence.js';

const $ = (id) => document.getElementById(id);

function pick(obj, base) {
  const en = obj[`${base}_en`];
  const th = obj[`${base}_th`];
  return (lang() === 'en' ? en || th : th || en) || '';
}

function statusLabel(status, labelled) {
  const fromServer = labelled ? pick(labelled, labelled.status_label_th !== undefined ? 'status_label' : 'label') : '';
  if (fromServer) return fromServer;
  const key = `st.${status}`;
  const local = t(key);
  return local === key ? String(status || '') : local;
}

function timeEl(iso) {
  const el = document.createElement('time');
  if (iso) el.setAttribute('datetime', iso);
  el.textContent = formatThaiDate(iso, lang());
  return el;
}

function setValue(id, text) {
  const el = $(id);
  el.textContent = text || t('status.not_given');
}

// A case deleted after its retention (issue 13): its number, the day, and
// what that means; nothing else of it exists any more.
function renderPurged(d) {
  $('status-case-number').textContent = d.case_number || '';
  const st = $('status-label');
  st.textContent = t('st.purged');
  st.setAttribute('data-status', 'purged');
  $('status-purged-text').textContent = pick(d, 'message');
}

export function renderStatus(d) {
  const purged = d.purged === true;
  $('status-purged').hidden = !purged;
  for (const el of document.querySelectorAll('[data-case-only]')) el.hidden = purged;
  if (purged) { renderPurged(d); return; }
  $('status-case-number').textContent = d.case_number || '';
  const st = $('status-label');
  st.textContent = statusLabel(d.status, d);
  st.setAttribute('data-status', d.status || '');
  $('status-received-at').replaceChildren(timeEl(d.received_at));
  $('status-category').textContent = pick(d, 'category_label') || d.category || '';

  const next = pick(d, 'next_step');
  $('status-next').hidden = !next;  // after the data-case-only pass above
  $('status-next-step').textContent = next;

  // Issue 13, item 4: where the case went, its reference there, and what
  // happens next at that body.
  const ref = d.referral;
  $('status-referral').hidden = !ref;
  if (ref) {
    $('status-referral-body').textContent = t('status.referral_to', { body: pick(ref, 'body_name'), ref: ref.reference || '' });
    $('status-referral-next').textContent = pick(ref, 'next_step');
  }

  // Issue 20, item 7: a request to move the case out of an oversight
  // channel, and what became of it (the server's text in both languages).
  const req = d.escalation_request;
  const showRequest = Boolean(req) && ['pending', 'declined', 'lapsed'].includes(req.state);
  $('status-escalation-request').hidden = !showRequest;
  if (showRequest) {
    const badge = $('status-escalation-request-state');
    badge.textContent = t(`escreq.state_${req.state}`);
    badge.setAttribute('data-status', `escalation-${req.state}`);
    $('status-escalation-request-text').textContent = pick(req, 'message');
  }

  // Status changes and the reporter's moves to another channel, in order
  // (`activity`; `timeline` alone from a server without it).
  const ol = $('status-timeline');
  ol.replaceChildren();
  const kinds = ['status', 'escalated', 'escalation_requested', 'escalation_declined', 'escalation_lapsed'];
  const steps = Array.isArray(d.activity)
    ? d.activity.filter((a) => a && kinds.includes(a.kind))
    : (Array.isArray(d.timeline) ? d.timeline : []);
  for (const item of steps) {
    const li = document.createElement('li');
    const label = document.createElement('strong');
    if (item.kind && item.kind.startsWith('escalation_')) {
      li.setAttribute('data-kind', item.kind);
      const key = `escreq.timeline_${item.kind.slice('escalation_'.length)}`;
      label.textContent = t(key, { from: pick(item.from || {}, 'name'), to: pick(item.to || {}, 'name') });
      li.append(label);
      if (item.kind === 'escalation_requested' && item.reason) {
        const why = document.createElement('span');
        why.className = 'prewrap';
        why.textContent = `${t('escalate.timeline_reason')} ${item.reason}`;
        li.append(document.createElement('br'), why);
      }
      li.append(document.createElement('br'), timeEl(item.at));
    } else if (item.kind === 'escalated') {
      li.setAttribute('data-kind', 'escalated');
      label.textContent = t('escalate.timeline', { from: pick(item.from || {}, 'name'), to: pick(item.to || {}, 'name') });
      const why = document.createElement('span');
      why.className = 'prewrap';
      why.textContent = `${t('escalate.timeline_reason')} ${item.reason || ''}`;
      li.append(label, document.createElement('br'), why, document.createElement('br'), timeEl(item.at));
    } else {
      label.textContent = (lang() === 'en' ? item.label_en || item.label_th : item.label_th || item.label_en)
        || statusLabel(item.status);
      li.append(label, document.createElement('br'), timeEl(item.at));
    }
    ol.append(li);
  }

  const s = d.submission || {};
  const subj = s.subject || {};
  $('sub-category').textContent = pick(d, 'category_label') || s.category || '';
  setValue('sub-subject-name', subj.name);
  setValue('sub-subject-position', subj.position);
  setValue('sub-subject-unit', subj.unit);
  setValue('sub-description', s.description);
  setValue('sub-incident-date', s.incident_date ? formatThaiDate(s.incident_date, lang()) : '');
  setValue('sub-location', s.location);
  $('sub-identity').textContent = t(s.identity_provided ? 'status.identity_yes' : 'status.identity_no');

  const msgs = Array.isArray(d.messages) ? d.messages : [];
  const list = $('status-messages');
  list.replaceChildren();
  for (const m of msgs) {
    const li = document.createElement('li');
    li.className = m.from === 'reporter' ? 'msg msg-reporter' : 'msg msg-investigator';
    const head = document.createElement('p');
    head.className = 'msg-head';
    const who = document.createElement('strong');
    who.textContent = t(m.from === 'reporter' ? 'status.from_reporter' : 'status.from_investigator');
    head.append(who, ' · ', timeEl(m.at));
    const body = document.createElement('p');
    body.className = 'msg-body';
    body.textContent = m.body || '';
    li.append(head, body);
    list.append(li);
  }
  $('status-messages-empty').hidden = msgs.length > 0;

  // Files: names and sizes only (the contents stay encrypted on the server).
  const files = Array.isArray(d.attachments) ? d.attachments : [];
  const fileList = $('status-files');
  fileList.replaceChildren();
  for (const f of files) {
    const li = document.createElement('li');
    const head = document.createElement('p');
    const name = document.createElement('strong');
    name.className = 'file-name';
    name.textContent = f.filename || '';
    head.append(name, ` (${formatBytes(Number(f.size) || 0)})`);
    const meta = document.createElement('p');
    meta.className = 'hint';
    meta.append(t(f.from === 'reporter' ? 'status.from_reporter' : 'status.from_investigator'), ' · ', timeEl(f.at));
    if (f.from === 'reporter') meta.append(' · ', t(f.metadata_removed ? 'status.file_cleaned' : 'status.file_not_cleaned'));
    // Downloaded with the tracking code in the request body (status.js).
    const download = document.createElement('button');
    download.type = 'button';
    download.className = 'btn btn-secondary';
    download.dataset.download = f.id || '';
    download.dataset.filename = f.filename || 'file';
    download.textContent = t('status.file_download');
    const name2 = document.createElement('span');
    name2.className = 'visually-hidden';
    name2.textContent = ` ${f.filename || ''}`;
    download.append(name2);
    li.append(head, meta, download);
    fileList.append(li);
  }
  $('status-files-empty').hidden = files.length > 0;
}
