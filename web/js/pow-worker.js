// The proof of work of issue 22, in a Web Worker so the page stays
// responsive: find a decimal nonce such that SHA-256("<token>:<nonce>")
// starts with `bits` zero bits (the server checks it with one hash). A
// classic worker with no imports: the pages' bundles do not include it.
//   postMessage({ token, bits }) -> { nonce, hashes, ms }
'use strict';

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const W = new Uint32Array(64);
const H = new Uint32Array(8);

function compress(block, offset) {
  for (let i = 0; i < 16; i += 1) {
    const j = offset + i * 4;
    W[i] = (block[j] << 24) | (block[j + 1] << 16) | (block[j + 2] << 8) | block[j + 3];
  }
  for (let i = 16; i < 64; i += 1) {
    const a = W[i - 15];
    const b = W[i - 2];
    const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
    const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
    W[i] = (W[i - 16] + s0 + W[i - 7] + s1) | 0;
  }
  let a = H[0]; let b = H[1]; let c = H[2]; let d = H[3];
  let e = H[4]; let f = H[5]; let g = H[6]; let h = H[7];
  for (let i = 0; i < 64; i += 1) {
    const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + s1 + ((e & f) ^ (~e & g)) + K[i] + W[i]) | 0;
    const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
  }
  H[0] = (H[0] + a) | 0; H[1] = (H[1] + b) | 0; H[2] = (H[2] + c) | 0; H[3] = (H[3] + d) | 0;
  H[4] = (H[4] + e) | 0; H[5] = (H[5] + f) | 0; H[6] = (H[6] + g) | 0; H[7] = (H[7] + h) | 0;
}

function zeroBits() {
  let n = 0;
  for (let i = 0; i < 8; i += 1) {
    if (H[i] === 0) { n += 32; continue; }
    return n + Math.clz32(H[i]);
  }
  return n;
}

// SHA-256 of prefix + digits; `buf` is reused (two or three blocks).
function hashInto(buf, prefixLen, digits) {
  let len = prefixLen;
  for (let i = 0; i < digits.length; i += 1) buf[len++] = digits.charCodeAt(i);
  const bitLen = len * 8;
  let padded = len + 1;
  buf[len] = 0x80;
  while (padded % 64 !== 56) buf[padded++] = 0;
  for (let i = 0; i < 4; i += 1) buf[padded++] = 0;
  buf[padded++] = (bitLen >>> 24) & 0xff;
  buf[padded++] = (bitLen >>> 16) & 0xff;
  buf[padded++] = (bitLen >>> 8) & 0xff;
  buf[padded++] = bitLen & 0xff;
  H.set([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  for (let off = 0; off < padded; off += 64) compress(buf, off);
}

function solve(token, bits) {
  const prefix = `${token}:`;
  const buf = new Uint8Array(256);
  for (let i = 0; i < prefix.length; i += 1) buf[i] = prefix.charCodeAt(i) & 0x7f;
  const started = Date.now();
  for (let nonce = 0; ; nonce += 1) {
    hashInto(buf, prefix.length, String(nonce));
    if (zeroBits() >= bits) return { nonce: String(nonce), hashes: nonce + 1, ms: Date.now() - started };
  }
}

self.onmessage = (event) => {
  const { token, bits } = event.data || {};
  if (typeof token !== 'string' || !/^[A-Za-z0-9_-]{1,128}$/.test(token) || !(bits >= 0 && bits <= 40)) return;
  self.postMessage(solve(token, bits));
};
