// Sends evidence files one at a time after the complaint has been filed.
// XMLHttpRequest rather than fetch because only XHR reports upload progress.
// The tracking code goes in the multipart body, never in the URL.

const URL_PATH = '/api/v1/status/attachments';
const TIMEOUT_MS = 10 * 60 * 1000;

// -> Promise<{ok: true, attachment} | {ok: false, code}>
export function uploadFile(file, trackingCode, onProgress) {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', URL_PATH);
    xhr.timeout = TIMEOUT_MS;
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    });
    xhr.addEventListener('load', () => {
      let data = null;
      try { data = JSON.parse(xhr.responseText); } catch { data = null; }
      if (xhr.status === 201 && data && data.attachment) {
        resolve({ ok: true, attachment: data.attachment });
        return;
      }
      const code = data && data.error && typeof data.error.code === 'string' ? data.error.code
        : xhr.status === 413 ? 'file_too_large'
          : xhr.status === 415 ? 'file_type_not_allowed'
            : xhr.status === 429 ? 'rate_limited' : 'internal_error';
      resolve({ ok: false, code });
    });
    xhr.addEventListener('error', () => resolve({ ok: false, code: 'network_error' }));
    xhr.addEventListener('timeout', () => resolve({ ok: false, code: 'timeout' }));
    const body = new FormData();
    body.append('tracking_code', trackingCode);
    body.append('file', file, file.name);
    xhr.send(body);
  });
}

// One by one, so a slow phone connection gives each file the whole line and
// a failure is reported for that file only.
export async function uploadAll(files, trackingCode, { onStart, onProgress, onDone }) {
  const results = [];
  for (let i = 0; i < files.length; i += 1) {
    onStart(i);
    const result = await uploadFile(files[i], trackingCode, (f) => onProgress(i, f));
    results.push(result);
    onDone(i, result);
  }
  return results;
}
