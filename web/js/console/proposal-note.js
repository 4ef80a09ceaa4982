// What the console says about a proposal (issue 20): who must act and by
// when, on the governance screen and wherever a change answered 202
// ("proposed; waits for … until …", with a link to #/governance).
import { blank, dateEl, el } from './dom.js';

// -> nodes: "waits for <who> until <date>", or "public wait: applies on
// <date> unless vetoed".
export function mustAct(p) {
  if (p.wait) {
    return [el('span', { i18n: 'who.wait' }), ' ', dateEl(p.deadline, 'deadline'), ' ', el('span', { i18n: 'who.wait_veto' })];
  }
  return [el('span', { i18n: p.approvers === 'parent' ? 'who.parent' : 'who.agency' }), ' ', dateEl(p.deadline, 'deadline')];
}

// A change became a proposal: `lead` says what was asked (a key and its
// values), then who must act, then the link to the governance screen.
export function showProposal(node, proposal, lead, vars) {
  blank(node);
  node.hidden = false;
  node.classList.add('is-ok');
  node.append(el('span', { i18n: lead, vars }), ' ', ...mustAct(proposal), '. ',
    el('a', { href: '#/governance', i18n: 'prop.see', 'data-testid': 'proposal-link' }));
}
