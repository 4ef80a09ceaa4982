// "E-mail alerts": which alerts the signed-in user wants, and where. A new
// address is used only once the link mailed to it is opened.
import { setText } from '../i18n.js';
import * as api from './api.js';
import { blank, showError, showOk, showProblem } from './dom.js';

const $ = (id) => document.getElementById(id);
let busy = false;

function show(prefs) {
  $('alerts-email').value = prefs.email || '';
  $('alerts-new-case').checked = Boolean(prefs.new_case);
  $('alerts-reporter').checked = Boolean(prefs.reporter_activity);
  $('alerts-digest').checked = Boolean(prefs.deadline_digest);
  const state = !prefs.email ? 'alerts.state_none' : prefs.email_verified ? 'alerts.state_verified' : 'alerts.state_pending';
  setText($('alerts-email-state'), state);
}

$('alerts-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const result = $('alerts-result');
  const email = $('alerts-email').value.trim();
  if (email && !/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(email)) {
    showProblem(result, 'alerts.bad_email', $('alerts-email'));
    return;
  }
  if (busy) return;
  busy = true;
  const button = ev.target.querySelector('button[type=submit]');
  button.disabled = true;
  blank(result);
  setText(result, 'c.saving');
  try {
    const prefs = await api.put('/api/v1/me/alerts', {
      email,
      new_case: $('alerts-new-case').checked,
      reporter_activity: $('alerts-reporter').checked,
      deadline_digest: $('alerts-digest').checked,
    });
    show(prefs);
    if (prefs.email && !prefs.email_verified) showOk(result, 'alerts.saved_verify', { email: prefs.email });
    else showOk(result, 'alerts.saved');
  } catch (e) {
    if (e.status !== 401) showError(result, e, { detail: true });
  } finally {
    busy = false;
    button.disabled = false;
  }
});

export async function enter() {
  blank($('alerts-result'));
  try {
    show(await api.get('/api/v1/me/alerts'));
  } catch (e) {
    if (e.status !== 401) showError($('alerts-result'), e, { detail: true });
  }
}
