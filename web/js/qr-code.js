// Draws a QR code of a text as SVG elements (no markup strings, no inline
// styles, so it works under the pages' CSP). The text is the tracking code
// itself, never a URL: a code in a URL would end up in browser history and
// server logs.
import qrcode from '../vendor/qrcode-generator/qrcode.mjs';

const SVG = 'http://www.w3.org/2000/svg';
const QUIET = 4; // modules of white border the QR standard asks for

export function renderQr(container, text, labelledBy) {
  const qr = qrcode(0, 'M');
  qr.addData(text);
  qr.make();
  const n = qr.getModuleCount();
  const size = n + 2 * QUIET;
  let d = '';
  for (let r = 0; r < n; r += 1) {
    for (let c = 0; c < n; c += 1) {
      if (qr.isDark(r, c)) d += `M${c + QUIET} ${r + QUIET}h1v1h-1z`;
    }
  }
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${size} ${size}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-labelledby', labelledBy);
  svg.setAttribute('shape-rendering', 'crispEdges');
  svg.setAttribute('class', 'qr-svg');
  const bg = document.createElementNS(SVG, 'rect');
  bg.setAttribute('width', String(size));
  bg.setAttribute('height', String(size));
  bg.setAttribute('fill', '#ffffff');
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', d);
  path.setAttribute('fill', '#000000');
  svg.append(bg, path);
  container.replaceChildren(svg);
}
