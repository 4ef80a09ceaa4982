// The receipt shown after a complaint was accepted (201).
import { lang, onLangChange, setText, setLiteral } from './i18n.js';
import { formatThaiDate } from './api.js';
import { copyText, selectContents } from './clipboard.js';

// The QR code's encoder is most of the receipt's script and only a filed
// complaint needs it: fetched as a file of its own once the reporter
// reaches the review step (prepareReceipt), so a slow link does not carry
// it before the form is usable.
let qrModule = null;
export function prepareReceipt() {
  if (!qrModule) qrModule = import('./qr-code.js').catch(() => { qrModule = null; return null; });
  return qrModule;
}

let wired = false;

export function showReceipt(receiptEl, { case_number: caseNumber, tracking_code: code, received_at: receivedAt,
  onion_address: onion }) {
  const caseEl = receiptEl.querySelector('#receipt-case-number');
  const codeEl = receiptEl.querySelector('#receipt-tracking-code');
  const timeEl = receiptEl.querySelector('#receipt-received-at');
  const status = receiptEl.querySelector('#copy-status');

  caseEl.textContent = caseNumber || '';
  // One span per group so that a narrow screen wraps only between groups;
  // textContent stays exactly the code.
  codeEl.replaceChildren(...String(code).split(/(?<=-)/).map((part) => {
    const span = document.createElement('span');
    span.className = 'code-group';
    span.textContent = part;
    return span;
  }));
  const qrBox = receiptEl.querySelector('#receipt-qr');
  if (qrBox) {
    qrBox.replaceChildren();
    // Without the encoder (the link dropped) the code's digits are still there.
    prepareReceipt().then((m) => { if (m) m.renderQr(qrBox, String(code), 'receipt-qr-caption'); });
  }
  if (receivedAt) timeEl.setAttribute('datetime', receivedAt);
  const renderDate = () => { timeEl.textContent = formatThaiDate(receivedAt, lang()); };
  renderDate();
  const onionEl = receiptEl.querySelector('#receipt-onion');
  if (onionEl) {
    onionEl.hidden = !onion;
    if (onion) setText(onionEl, 'receipt.onion', { url: `http://${onion}/embed/status.html` });
  }

  if (!wired) {
    wired = true;
    onLangChange(renderDate);
    receiptEl.querySelector('#copy-code').addEventListener('click', async () => {
      setLiteral(status, '');
      const ok = await copyText(codeEl.textContent);
      if (ok) {
        setText(status, 'receipt.copied');
      } else {
        selectContents(codeEl);
        setText(status, 'receipt.copy_failed');
      }
    });
    receiptEl.querySelector('#print-receipt').addEventListener('click', () => window.print());
  }

  receiptEl.hidden = false;
  const heading = receiptEl.querySelector('#receipt-heading');
  heading.focus();
  heading.scrollIntoView({ block: 'start' });
}
