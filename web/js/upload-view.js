// The receipt's list of evidence uploads: a progress bar per file while it
// is sent, then which files were stored and which failed, and why.
import { setText, t } from './i18n.js';
import { uploadAll } from './uploads.js';

function reasonKey(code) {
  const key = `upload.error_${code}`;
  return t(key) === key ? 'upload.error_other' : key;
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
      if (r.ok) setText(row.result, r.attachment.metadata_removed ? 'upload.stored_clean' : 'upload.stored');
      else setText(row.result, 'upload.failed', { reason: t(reasonKey(r.code)) });
    },
  });
  const ok = results.filter((r) => r.ok).length;
  setText(summary, 'upload.done', { ok, n: files.length });
  return results;
}
