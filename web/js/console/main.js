// The investigator console: session, routing between screens, language.
// Routes live in the fragment (#/cases, #/case/NH-2569-00001, #/stats,
// #/audit?case=..., #/grant?user=..., #/governance, #/accounts, #/channels?agency=..., #/agency) so Back
// and Forward work; no secret goes there.
import { register, initI18n, onLangChange, setText } from '../i18n.js';
import common from '../strings/common.js';
import strings from './strings.js';
import changes from '../strings/changes.js';
import * as api from './api.js';
import { refreshDates, registerCategories, focusHeading, hide } from './dom.js';
import * as login from './login.js';
import * as caseList from './case-list.js';
import * as caseView from './case-view.js';
import * as stats from './stats.js';
import * as audit from './audit.js';
import * as grant from './grant.js';
import * as alerts from './alerts.js';
import * as health from './health.js';
import * as counter from './counter.js';
import * as accounts from './accounts.js';
import * as channels from './channels.js';
import * as agency from './agency.js';
import * as governance from './governance.js';

register(common);
register(changes);
register(strings);
initI18n();
onLangChange(() => refreshDates());

const $ = (id) => document.getElementById(id);
const screens = {
  login: { section: $('screen-login'), module: login },
  cases: { section: $('screen-cases'), module: caseList },
  case: { section: $('screen-case'), module: caseView },
  stats: { section: $('screen-stats'), module: stats },
  audit: { section: $('screen-audit'), module: audit },
  grant: { section: $('screen-grant'), module: grant },
  alerts: { section: $('screen-alerts'), module: alerts },
  health: { section: $('screen-health'), module: health },
  counter: { section: $('screen-counter'), module: counter },
  accounts: { section: $('screen-accounts'), module: accounts },
  channels: { section: $('screen-channels'), module: channels },
  agency: { section: $('screen-agency'), module: agency },
  governance: { section: $('screen-governance'), module: governance },
};
let active = null;

const ctx = {
  users: [],
  // A message shown above the next screen (e.g. after excluding oneself).
  flash(key, vars) {
    const f = $('flash');
    f.hidden = false;
    f.dataset.keep = '1';
    setText(f, key, vars);
  },
  go(hash) {
    if (window.location.hash === hash) route();
    else window.location.hash = hash;
  },
  async loadUsers() {
    try {
      const data = await api.get('/api/v1/users');
      ctx.users = Array.isArray(data && data.users) ? data.users : [];
    } catch {
      ctx.users = [];
    }
    return ctx.users;
  },
};

function parseHash() {
  const raw = window.location.hash.replace(/^#\/?/, '');
  const [path, q = ''] = raw.split('?');
  const parts = path.split('/').filter(Boolean).map((p) => {
    try { return decodeURIComponent(p); } catch { return p; }
  });
  return { name: parts[0] || 'cases', arg: parts[1], params: new URLSearchParams(q) };
}

function showSessionChrome(user) {
  const signedIn = Boolean(user);
  $('session-bar').hidden = !signedIn;
  $('console-nav').hidden = !signedIn;
  if (!signedIn) return;
  $('session-name').textContent = user.display_name || user.username;
  const roles = [];
  if (user.custodian) roles.push('c.role_custodian');
  if (user.admin) roles.push('c.role_admin');
  for (const li of document.querySelectorAll('[data-admin-only]')) li.hidden = !user.admin;
  const role = $('session-role');
  role.textContent = '';
  for (const key of roles) {
    const s = document.createElement('span');
    s.className = 'role-tag';
    setText(s, key);
    role.append(s, ' ');
  }
}

function markNav(name) {
  for (const a of document.querySelectorAll('[data-nav]')) {
    const current = a.getAttribute('data-nav') === name || (name === 'case' && a.getAttribute('data-nav') === 'cases');
    if (current) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

function leaveActive() {
  if (active && active.module.leave) active.module.leave();
  for (const s of Object.values(screens)) s.section.hidden = true;
}

async function show(name, arg, params) {
  leaveActive();
  const screen = screens[name] || screens.cases;
  active = screen;
  screen.section.hidden = false;
  markNav(name);
  $('app-loading').hidden = true;
  const heading = screen.section.querySelector('h1');
  focusHeading(heading);
  await screen.module.enter(ctx, arg, params);
}

async function route() {
  if (!api.user()) {
    showSessionChrome(null);
    await show('login');
    return;
  }
  const { name, arg, params } = parseHash();
  if (name === 'login') {
    ctx.go('#/cases');
    return;
  }
  // A flash belongs to the screen change that raised it, not the next one.
  if ($('flash').dataset.keep) delete $('flash').dataset.keep;
  else hide($('flash'));
  await show(screens[name] ? name : 'cases', arg, params);
}

login.onSignedIn(async (user) => {
  showSessionChrome(user);
  hide($('flash'));
  await ctx.loadUsers();
  if (!window.location.hash || window.location.hash === '#/login') ctx.go('#/cases');
  else await route();
});

api.onSessionEnd(({ hadSession }) => {
  leaveActive();
  active = null;
  ctx.users = [];
  showSessionChrome(null);
  login.expect(hadSession ? 'login.expired' : null);
  show('login');
});

$('logout').addEventListener('click', async () => {
  leaveActive();
  active = null;
  try { await api.logout(); } catch { /* the session ends on our side anyway */ }
  ctx.users = [];
  showSessionChrome(null);
  login.expect('login.logged_out');
  await show('login');
});

window.addEventListener('hashchange', () => { route(); });

async function start() {
  try {
    const intake = await api.call('GET', '/api/v1/intake', undefined, { auth: false });
    registerCategories(intake && intake.categories);
  } catch { /* the table in strings.js is enough */ }
  let user = null;
  try {
    user = await api.restore();
  } catch {
    user = null;
  }
  showSessionChrome(user);
  if (user) await ctx.loadUsers();
  await route();
}

start();
