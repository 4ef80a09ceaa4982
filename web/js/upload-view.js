// The receipt's list of evidence uploads: a progress bar per file while it
// is sent, then which files were stored and which failed, and why.
import { register, setText, t } from './i18n.js';
import { uploadAll } from './uploads.js';

// The server answers 413 body_too_large (instead of file_too_large) when the
// request is refused from its Content-Length alone.
const SAME_REASON = { body_too_large: 'file_too_large' };

function reasonKey(code) {
  const key = `upload.error_${SAME_REASON[code] || code}`;
  return t(key) === key ? 'upload.error_other' : key;
}

// The server's own note on hidden data (metadata_note_th/_en), kept
// translatable by registering it under a key of this row.
function showNote(row, i, attachment) {
  const th = attachment.metadata_note_th;
  const en = attachment.metadata_note_en;
  if (typeof th !== 'string' || !th) return;
  const key = `upload.note_${i}`;
  register({ [key]: { th, en: typeof en === 'string' && en ? en : th } });
  const note = document.createElement('span');
  note.className = attachment.metadata_removed ? 'upload-note' : 'upload-note upload-note-warning';
  setText(note, key);
  row.li.append(note);
}

export async function showUploads(section, files, trackingCode) {
  const list = section.querySelector('#upload-list');
  const summary = section.querySelector('#upload-summary');
  section.hidden = false;
  setText(summary, 'upload.sending', { n: files.length });

  const rows = files.map((file) => {
    const li = document.createElement('li');
    const name = document.createElement('span');
    name.className = 'file-name';
    name.textContent = file.name;
    const bar = document.createElement('progress');
    bar.max = 1;
    bar.value = 0;
    bar.setAttribute('aria-label', t('upload.progress_label', { name: file.name }));
    const result = document.createElement('span');
    result.className = 'upload-result';
    setText(result, 'upload.waiting');
    li.append(name, bar, result);
    list.append(li);
    return { li, bar, result };
  });

  const results = await uploadAll(files, trackingCode, {
    onStart: (i) => setText(rows[i].result, 'upload.in_progress'),
    onProgress: (i, fraction) => { rows[i].bar.value = fraction; },
    onDone: (i, r) => {
      const row = rows[i];
      row.bar.remove();
      row.li.classList.add(r.ok ? 'upload-ok' : 'upload-failed');
      if (r.ok) {
        setText(row.result, r.attachment.metadata_removed ? 'upload.stored_clean' : 'upload.stored');
        showNote(row, i, r.attachment);
      } else setText(row.result, 'upload.failed', { reason: t(reasonKey(r.code)) });
    },
  });
  const ok = results.filter((r) => r.ok).length;
  setText(summary, 'upload.done', { ok, n: files.length });
  return results;
}
