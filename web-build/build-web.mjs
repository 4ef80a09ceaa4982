#!/usr/bin/env node
// Builds the folder krasipd serves (--web-root) from the sources in web/
// (issue 22, light pages). A reporter on prepaid data and a 400 ms link pays
// for every request and every byte, so:
//   - each page's module script and everything it imports becomes one
//     minified file, and its stylesheets one file, under /assets/ with the
//     content's hash in the name (served `immutable`; the page itself stays
//     no-store and names the current files);
//   - Sarabun is one file per weight (400, 700) holding the whole Thai block,
//     Basic Latin and common punctuation: a reporter types Thai we cannot
//     know in advance, so it is subset to blocks, not to the pages' text;
//   - the emblem (half a KiB) goes into the pages as a data: URI;
//   - every text file gets a brotli (.br) and a gzip (.gz) copy, which
//     krasipd sends to a client that accepts them.
// Everything else is copied as it is (the console's own files, the original
// font files that the ITA evidence pack prints with, the licences).
//
//   node build-web.mjs --src web --out build/web [--cache build/web-cache]
//
// Needs Node.js, esbuild (package.json here, installed by scripts/install-deps)
// and pyftsubset/pyftmerge from Debian's fonttools (+ python3-brotli for WOFF2).
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import * as esbuild from 'esbuild';

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  if (i > 0 && i + 1 < process.argv.length) return process.argv[i + 1];
  if (fallback === undefined) throw new Error(`missing ${name}`);
  return fallback;
}

const SRC = path.resolve(arg('--src'));
const OUT = path.resolve(arg('--out'));
const CACHE = path.resolve(arg('--cache', OUT + '-cache'));
const TMP = `${OUT}.tmp-${process.pid}`;
const TARGET = ['es2020'];

// What the pages' font holds: Basic Latin, Latin-1 punctuation and signs,
// the Thai block, joiners, dashes, quotes, bullet, ellipsis, the dotted
// circle that shows a lone Thai mark.
const FONT_UNICODES = 'U+0020-007E,U+00A0,U+00AB,U+00BB,U+00D7,U+0E01-0E5B,U+200B-200D,' +
  'U+2013-2014,U+2018-201D,U+2022,U+2026,U+2212,U+25CC';
const COMPRESSIBLE = new Set(['.html', '.css', '.js', '.mjs', '.svg', '.json', '.txt']);

const hashOf = (data) => createHash('sha256').update(data).digest('hex').slice(0, 10);

function copyTree(from, to) {
  fs.mkdirSync(to, { recursive: true });
  for (const e of fs.readdirSync(from, { withFileTypes: true })) {
    if (e.name === 'README.md' && from === SRC) continue;
    const a = path.join(from, e.name);
    const b = path.join(to, e.name);
    if (e.isDirectory()) copyTree(a, b);
    else if (e.isFile()) fs.copyFileSync(a, b);
  }
}

function walk(dir, out = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

// Writes `data` as /assets/<stem>-<hash><ext> and answers its URL.
function emitAsset(stem, ext, data) {
  const name = `${stem}-${hashOf(data)}${ext}`;
  fs.mkdirSync(path.join(TMP, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(TMP, 'assets', name), data);
  return `/assets/${name}`;
}

// One WOFF2 per weight from the shipped Thai and Latin subsets of
// @fontsource/sarabun: the Latin part cut to FONT_UNICODES, merged with
// the Thai part (their GSUB/GPOS, so Thai marks still stack and shift),
// hinting dropped (phones do not use it). Cached: pyftmerge takes seconds.
function pageFont(weight) {
  const thai = path.join(SRC, 'fonts', `sarabun-thai-${weight}-normal.woff2`);
  const latin = path.join(SRC, 'fonts', `sarabun-latin-${weight}-normal.woff2`);
  const key = hashOf(Buffer.concat([fs.readFileSync(thai), fs.readFileSync(latin), Buffer.from(FONT_UNICODES + 'v2')]));
  const cached = path.join(CACHE, `sarabun-${weight}-${key}.woff2`);
  if (!fs.existsSync(cached)) {
    fs.mkdirSync(CACHE, { recursive: true });
    const work = fs.mkdtempSync(path.join(CACHE, 'font-'));
    const py = (script, ...args) => execFileSync('/usr/bin/python3', ['-c', script, ...args], { stdio: 'inherit' });
    const toTtf = "import sys\nfrom fontTools.ttLib import TTFont\nf=TTFont(sys.argv[1]); f.flavor=None; f.save(sys.argv[2])";
    py(toTtf, thai, path.join(work, 'thai.ttf'));
    py(toTtf, latin, path.join(work, 'latin.ttf'));
    // Thai needs ccmp, mark and mkmk (marks stacked and moved clear of
    // tall consonants) and liga; kerning and fractions are left out.
    const common = ['--layout-features=ccmp,liga,locl,mark,mkmk', '--no-hinting', '--desubroutinize'];
    execFileSync('pyftsubset', [path.join(work, 'latin.ttf'), `--unicodes=${FONT_UNICODES}`,
      `--output-file=${path.join(work, 'latin-cut.ttf')}`, ...common], { stdio: 'inherit' });
    execFileSync('pyftmerge', [path.join(work, 'latin-cut.ttf'), path.join(work, 'thai.ttf'),
      `--output-file=${path.join(work, 'merged.ttf')}`], { stdio: 'inherit' });
    execFileSync('pyftsubset', [path.join(work, 'merged.ttf'), `--unicodes=${FONT_UNICODES}`, '--flavor=woff2',
      `--output-file=${cached}.part`, ...common], { stdio: 'inherit' });
    fs.renameSync(`${cached}.part`, cached);
    fs.rmSync(work, { recursive: true, force: true });
  }
  return emitAsset(`sarabun-${weight}`, '.woff2', fs.readFileSync(cached));
}

function fontFaces() {
  // No unicode-range: the one file covers what the pages show and what a
  // reporter types; anything else falls back to the system's fonts.
  return [400, 700].map((w) => `@font-face{font-family:"Sarabun";font-style:normal;font-weight:${w};` +
    `font-display:swap;src:url("${pageFont(w)}") format("woff2")}`).join('\n');
}

// Stylesheets of one page, in order, as one file: the page fonts take the
// place of css/fonts.css.
const cssBundles = new Map();
async function cssBundle(hrefs, faces) {
  const key = hrefs.join('|');
  if (!cssBundles.has(key)) {
    const text = hrefs.map((h) => (h === '/css/fonts.css' ? faces : fs.readFileSync(path.join(SRC, h), 'utf8')))
      .join('\n');
    const { code } = await esbuild.transform(text, { loader: 'css', minify: true, target: TARGET });
    const stem = path.basename(hrefs[hrefs.length - 1], '.css');
    cssBundles.set(key, emitAsset(stem, '.css', code));
  }
  return cssBundles.get(key);
}

// A page's module script with everything it imports, as one file; a
// dynamic import() (what only some visits need, such as the receipt's QR
// code) becomes a second file, fetched when used.
const jsBundles = new Map();
async function jsBundle(src) {
  if (!jsBundles.has(src)) {
    const result = await esbuild.build({
      entryPoints: [path.join(SRC, src)],
      bundle: true,
      splitting: true,
      format: 'esm',
      minify: true,
      target: TARGET,
      legalComments: 'eof',
      // Thai as it is (3 bytes a letter), not as \uXXXX escapes (6).
      charset: 'utf8',
      outdir: path.join(TMP, 'assets'),
      entryNames: '[name]-[hash]',
      chunkNames: '[name]-[hash]',
      write: true,
      metafile: true,
      logLevel: 'warning',
    });
    const entry = Object.entries(result.metafile.outputs).find(([, o]) => o.entryPoint);
    const chunks = Object.keys(result.metafile.outputs).filter((o) => o !== entry[0] && o.endsWith('.js'))
      .map((o) => path.basename(o));
    jsBundles.set(src, { url: '/assets/' + path.basename(entry[0]), file: path.resolve(entry[0]), chunks });
  }
  return jsBundles.get(src);
}

// The reporter's pages get their stylesheet and scripts in the page itself:
// at 400 ms a round trip, the page, then its stylesheet and script, then the
// intake answer was three in a row before the form could be used. The CSP
// stays without 'unsafe-inline': each inline script and style is allowed by
// its SHA-256, which the build writes next to the page (PAGE.csp) and
// krasipd adds to that page's policy.
const INLINE_PAGES = new Set(['index.html', 'embed/report.html', 'embed/status.html']);
const cspHash = (text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

// A script or style that would end its element early, or start an HTML
// comment the parser treats specially, cannot go into the page as it is.
function inlinable(text, tag, what) {
  if (new RegExp(`</${tag}|<!--|<script`, 'i').test(text)) throw new Error(`${what} cannot be inlined: holds </${tag}, <!-- or <script`);
  return text;
}

async function inlineScript(src) {
  const b = await jsBundle(src);
  let code = fs.readFileSync(b.file, 'utf8');
  // The page is not under /assets/: its dynamic import()s name the chunks
  // from there. esbuild writes them as "./name".
  for (const c of b.chunks) code = code.replaceAll(`"./${c}"`, `"/assets/${c}"`);
  for (const c of b.chunks) if (code.includes(`./${c}`)) throw new Error(`${src}: unrewritten chunk ${c}`);
  return inlinable(code.trimEnd(), 'script', src);
}

async function rewritePage(file, faces, emblem) {
  // First: what is inlined below is hashed as it is.
  let html = fs.readFileSync(file, 'utf8').replaceAll('"/img/emblem.svg"', `"${emblem}"`);
  const inline = INLINE_PAGES.has(path.relative(TMP, file).split(path.sep).join('/'));
  const scriptHashes = [];
  const styleHashes = [];
  const sheets = [...html.matchAll(/<link rel="stylesheet" href="(\/css\/[^"]+\.css)">\n?/g)];
  if (sheets.length) {
    const bundled = await cssBundle(sheets.map((m) => m[1]), faces);
    let css = null;
    if (inline) {
      css = inlinable(fs.readFileSync(path.join(TMP, bundled), 'utf8').trimEnd(), 'style', bundled);
      styleHashes.push(cspHash(css));
    }
    let first = true;
    html = html.replace(/<link rel="stylesheet" href="(\/css\/[^"]+\.css)">\n?/g, () => {
      if (!first) return '';
      first = false;
      return inline ? `<style>${css}</style>\n` : `<link rel="stylesheet" href="${bundled}">\n`;
    });
  }
  // Classic scripts of the page's own (not the widget, which stands for
  // what an agency's site loads from us).
  for (const m of [...html.matchAll(/<script src="(\/js\/[^"]+)" async><\/script>/g)]) {
    if (!inline) continue;
    const { code } = await esbuild.transform(fs.readFileSync(path.join(SRC, m[1]), 'utf8'),
      { minify: true, target: TARGET, legalComments: 'none' });
    const text = inlinable(code.trimEnd(), 'script', m[1]);
    scriptHashes.push(cspHash(text));
    html = html.replace(m[0], () => `<script>${text}</script>`);
  }
  const scripts = [...html.matchAll(/<script type="module" src="(\/js\/[^"]+)"><\/script>/g)];
  for (const m of scripts) {
    if (inline) {
      const text = await inlineScript(m[1]);
      scriptHashes.push(cspHash(text));
      html = html.replace(m[0], () => `<script type="module">${text}</script>`);
    } else {
      // fetchpriority: on a thin link the fonts (highest priority by default)
      // would otherwise take the bandwidth the form's script needs first.
      html = html.replace(m[0], `<script type="module" src="${(await jsBundle(m[1])).url}" fetchpriority="high"></script>`);
    }
  }
  fs.writeFileSync(file, html);
  if (scriptHashes.length || styleHashes.length) {
    // One directive a line, read by krasipd (static_files.cpp).
    fs.writeFileSync(`${file}.csp`, [
      ...(scriptHashes.length ? [`script-src ${scriptHashes.join(' ')}`] : []),
      ...(styleHashes.length ? [`style-src ${styleHashes.join(' ')}`] : []),
    ].join('\n') + '\n');
  }
}

function compress(file) {
  const data = fs.readFileSync(file);
  const br = zlib.brotliCompressSync(data, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
    },
  });
  const gz = zlib.gzipSync(data, { level: 9 });
  // A copy that saves nothing is not worth a header.
  if (br.length < data.length) fs.writeFileSync(file + '.br', br);
  if (gz.length < data.length) fs.writeFileSync(file + '.gz', gz);
}

async function main() {
  fs.rmSync(TMP, { recursive: true, force: true });
  copyTree(SRC, TMP);
  const faces = fontFaces();
  const svg = fs.readFileSync(path.join(SRC, 'img', 'emblem.svg'), 'utf8').replace(/\s*\n\s*/g, ' ').trim();
  const emblem = 'data:image/svg+xml,' + encodeURIComponent(svg).replace(/%20/g, ' ').replace(/%3D/g, '=')
    .replace(/%3A/g, ':').replace(/%2F/g, '/').replace(/%22/g, "'");
  for (const f of walk(TMP).filter((f) => f.endsWith('.html'))) await rewritePage(f, faces, emblem);
  // The stylesheet of the reporter's pages, for the ones krasipd renders
  // itself (the pages without JavaScript).
  const reporterCss = await cssBundle(['/css/fonts.css', '/css/krasip.css'], faces);
  fs.writeFileSync(path.join(TMP, 'assets', 'manifest.json'), JSON.stringify({ stylesheet: reporterCss }) + '\n');
  const widget = await esbuild.transform(fs.readFileSync(path.join(SRC, 'widget.js'), 'utf8'),
    { minify: true, target: TARGET, legalComments: 'none' });
  fs.writeFileSync(path.join(TMP, 'widget.js'), widget.code);
  for (const f of walk(TMP)) if (COMPRESSIBLE.has(path.extname(f))) compress(f);
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.renameSync(TMP, OUT);
}

main().catch((e) => {
  fs.rmSync(TMP, { recursive: true, force: true });
  console.error(e);
  process.exit(1);
});
