// A stand-in for an agency's website on another origin: one page with the
// Krasip snippet, served with a strict CSP of its own (no inline script, no
// inline style) so the widget is proven to need neither.
import { createServer } from 'node:http';

export function hostPage(krasipOrigin, { lang = 'th', position } = {}) {
  const pos = position ? ` data-position="${position}"` : '';
  return `<!DOCTYPE html>
<html lang="th">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>เทศบาลตำบลตัวอย่าง</title>
</head>
<body>
<header><h1>เทศบาลตำบลตัวอย่าง</h1></header>
<main>
<h2>ข่าวประชาสัมพันธ์</h2>
<p>หน้าทดสอบของเว็บไซต์หน่วยงาน ซึ่งฝังปุ่มแจ้งเรื่องร้องเรียนของกระซิบไว้</p>
<p><a href="#top">ลิงก์ของหน้าเว็บหน่วยงาน</a></p>
</main>
<script src="${krasipOrigin}/widget.js" async data-lang="${lang}"${pos}></script>
</body>
</html>`;
}

// Started before krasipd (whose --frame-ancestor needs this origin); set
// host.krasipOrigin once krasipd is up.
export async function startHost() {
  const host = { krasipOrigin: null };
  const server = createServer((req, res) => {
    const krasipOrigin = host.krasipOrigin;
    const url = new URL(req.url, 'http://host');
    // Browsers ask for a favicon; a 404 would show up as a console error.
    if (url.pathname === '/favicon.ico') { res.writeHead(204).end(); return; }
    if (url.pathname !== '/') { res.writeHead(404).end(); return; }
    res.writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': `default-src 'self'; script-src 'self' ${krasipOrigin}; style-src 'self'; frame-src ${krasipOrigin}; img-src 'self'; object-src 'none'; base-uri 'none'`,
    });
    res.end(hostPage(krasipOrigin, { lang: url.searchParams.get('lang') || 'th', position: url.searchParams.get('position') }));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return Object.assign(host, {
    port,
    origin: `http://127.0.0.1:${port}`,
    stop: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  });
}
