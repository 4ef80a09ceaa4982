// The console's calls to the investigator API. The CSRF token lives only in
// this module's memory (never in web storage); the session itself is the
// HttpOnly cookie. Any 401 on an authenticated call ends the session in the
// page: onSessionEnd() listeners bring the login form back.

const TIMEOUT_MS = 30000;

let csrfToken = null;
let currentUser = null;
const endListeners = [];

export class ApiError extends Error {
  constructor(status, error) {
    super(error.message || error.code);
    this.name = 'ApiError';
    this.status = status;
    this.code = error.code;
    this.field = error.field;
    this.serverMessage = typeof error.message === 'string' ? error.message : null;
  }
}

export function setSession(data) {
  csrfToken = data && typeof data.csrf_token === 'string' ? data.csrf_token : null;
  currentUser = data && data.user ? data.user : null;
}

export function clearSession() {
  csrfToken = null;
  currentUser = null;
}

export function user() {
  return currentUser;
}

export function onSessionEnd(fn) {
  endListeners.push(fn);
}

function sessionEnded() {
  const hadSession = currentUser !== null;
  clearSession();
  for (const fn of endListeners) fn({ hadSession });
}

function errorFrom(status, data) {
  const e = data && data.error;
  if (e && typeof e.code === 'string') return new ApiError(status, e);
  if (status === 429) return new ApiError(status, { code: 'rate_limited' });
  if (status === 503) return new ApiError(status, { code: 'server_busy' });
  if (status === 401) return new ApiError(status, { code: 'unauthenticated' });
  if (status === 403) return new ApiError(status, { code: 'forbidden' });
  if (status === 404) return new ApiError(status, { code: 'not_found' });
  return new ApiError(status, { code: 'internal_error' });
}

// -> parsed JSON (or null for 204). Throws ApiError (code 'network_error' or
// 'timeout' when no answer came).
export async function call(method, path, body, { auth = true } = {}) {
  const headers = { Accept: 'application/json' };
  // A FormData body (a file) goes as multipart/form-data, boundary set by the browser.
  const form = typeof FormData !== 'undefined' && body instanceof FormData;
  // A bare file (Blob) goes as it is, typed by the browser (PUT of a picture).
  const raw = typeof Blob !== 'undefined' && body instanceof Blob;
  if (raw) headers['Content-Type'] = body.type || 'application/octet-stream';
  else if (body !== undefined && !form) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), TIMEOUT_MS);
  let res;
  let data = null;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined || form || raw ? body : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
      referrerPolicy: 'no-referrer',
      signal: ctrl.signal,
    });
    const text = await res.text();
    try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  } catch (e) {
    throw new ApiError(0, { code: e && e.name === 'AbortError' ? 'timeout' : 'network_error' });
  } finally {
    clearTimeout(timer);
  }
  if (res.ok) return data;
  const err = errorFrom(res.status, data);
  if (auth && res.status === 401) sessionEnded();
  throw err;
}

export const get = (path) => call('GET', path);
export const post = (path, body = {}) => call('POST', path, body);
export const patch = (path, body) => call('PATCH', path, body);
export const upload = (path, formData) => call('POST', path, formData);
export const putFile = (path, file) => call('PUT', path, file);
export const put = (path, body) => call('PUT', path, body);

export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '' && v !== false) q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

export const caseUrl = (n) => `/api/v1/cases/${encodeURIComponent(n)}`;

export async function login(username, password, totp) {
  const data = await call('POST', '/api/v1/auth/login', { username, password, totp }, { auth: false });
  setSession(data);
  return data.user;
}

// Restores a session from the cookie; null when there is none.
export async function restore() {
  try {
    const data = await call('GET', '/api/v1/auth/me', undefined, { auth: false });
    setSession(data);
    return data.user;
  } catch (e) {
    if (e.status === 401) return null;
    throw e;
  }
}

export async function logout() {
  try {
    await call('POST', '/api/v1/auth/logout', undefined, { auth: false });
  } finally {
    clearSession();
  }
}
