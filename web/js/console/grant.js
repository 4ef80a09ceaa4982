// "Grant my cases to a colleague": re-seals, for the colleague's key, every
// case this investigator can open (identities only to custodians).
import { setText } from '../i18n.js';
import * as api from './api.js';
import { blank, fillSelect, showError, showOk, showProblem } from './dom.js';

const $ = (id) => document.getElementById(id);
let busy = false;

$('grant-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const result = $('grant-result');
  const username = $('grant-user').value;
  if (!username) {
    showProblem(result, 'grant.need_user', $('grant-user'));
    return;
  }
  if (busy) return;
  busy = true;
  const button = ev.target.querySelector('button[type=submit]');
  button.disabled = true;
  blank(result);
  setText(result, 'c.saving');
  try {
    const r = await api.post(`/api/v1/users/${encodeURIComponent(username)}/grant`);
    showOk(result, 'grant.done', { u: username, cases: r.cases ?? 0, keys: r.keys ?? 0 });
  } catch (e) {
    if (e.status !== 401) showError(result, e, { detail: true });
  } finally {
    busy = false;
    button.disabled = false;
  }
});

export async function enter(ctx) {
  const users = await ctx.loadUsers();
  const me = api.user();
  const others = users.filter((u) => !me || u.username !== me.username);
  fillSelect($('grant-user'), [{ value: '', key: 'grant.choose' },
    ...others.map((u) => ({ value: u.username, text: `${u.display_name} (${u.username})` }))], '');
  blank($('grant-result'));
}
