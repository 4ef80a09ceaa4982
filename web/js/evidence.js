// Evidence files chosen in the form. They stay in memory only (never in web
// storage) and are sent by uploads.js once the complaint has a tracking code.
import { setText, t, lang } from './i18n.js';
import { showFieldError, clearFieldError } from './form-errors.js';

export function formatBytes(n, l = lang()) {
  const units = l === 'en' ? ['bytes', 'KB', 'MB', 'GB'] : ['ไบต์', 'KB', 'MB', 'GB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i += 1; }
  const num = i === 0 ? String(v) : v.toLocaleString(l === 'en' ? 'en-GB' : 'th-TH', { maximumFractionDigits: 1 });
  return `${num} ${units[i]}`;
}

// The names the server's content sniffing maps onto its own (cases/src/file_types.cpp).
const TYPE_ALIASES = {
  'audio/x-wav': 'audio/wav', 'audio/vnd.wave': 'audio/wav', 'audio/wave': 'audio/wav',
  'audio/x-m4a': 'audio/mp4', 'image/heif': 'image/heic', 'video/3gpp2': 'video/3gpp',
  'audio/mp3': 'audio/mpeg',
};

// The browser guesses file.type from the name; the server decides from the
// content. A file the browser cannot name ('' or octet-stream) is left to
// the server rather than refused here.
function typeRefused(type, types) {
  if (!types.length || !type || type === 'application/octet-stream') return false;
  return !types.includes(TYPE_ALIASES[type] || type);
}

// rules: {maxBytes, caseMaxBytes, types: [MIME]}; -> null or {key, vars}.
export function checkFile(file, chosen, rules) {
  const vars = { name: file.name, max: formatBytes(rules.maxBytes) };
  if (typeRefused(file.type, rules.types)) return { key: 'v.file_type', vars };
  if (file.size > rules.maxBytes) return { key: 'v.file_size', vars };
  const total = chosen.reduce((sum, f) => sum + f.size, 0) + file.size;
  if (rules.caseMaxBytes && total > rules.caseMaxBytes) {
    return { key: 'v.file_total', vars: { name: file.name, max: formatBytes(rules.caseMaxBytes) } };
  }
  return null;
}

export function createEvidence({ input, list, hint }) {
  let files = [];
  let rules = { maxBytes: 0, caseMaxBytes: 0, types: [] };

  function renderHint() {
    setText(hint, rules.types.length ? 'report.evidence_hint_types' : 'report.evidence_hint', {
      max: formatBytes(rules.maxBytes),
      total: formatBytes(rules.caseMaxBytes || rules.maxBytes),
      types: rules.types.join(', '),
    });
  }

  function render() {
    list.replaceChildren(...files.map((file, i) => {
      const li = document.createElement('li');
      const name = document.createElement('span');
      name.className = 'file-name';
      name.textContent = `${file.name} (${formatBytes(file.size)})`;
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'btn btn-secondary btn-small';
      remove.textContent = t('report.evidence_remove');
      remove.setAttribute('aria-label', t('report.evidence_remove_named', { name: file.name }));
      remove.addEventListener('click', () => {
        files = files.filter((_, j) => j !== i);
        render();
        input.focus();
      });
      li.append(name, ' ', remove);
      return li;
    }));
  }

  input.addEventListener('change', () => {
    clearFieldError('evidence.files');
    let problem = null;
    for (const file of input.files) {
      const p = checkFile(file, files, rules);
      if (p) problem = problem || p;
      else files.push(file);
    }
    // Emptied so that choosing the same file again fires "change" again.
    input.value = '';
    if (problem) showFieldError('evidence.files', problem);
    render();
  });

  return {
    configure(next) {
      rules = next;
      if (rules.types.length) input.accept = rules.types.join(',');
      renderHint();
    },
    files: () => files.slice(),
    clear() { files = []; render(); },
    rerender() { renderHint(); render(); },
  };
}
