// The guided form: one section shown at a time, "step n of m", Back/Next.
// Steps can be switched off (the evidence step waits for the upload API), so
// numbering always counts the steps that are on.
import { setText } from './i18n.js';

// sections: the step elements in order, each with data-step="name".
// fieldsOf: name -> API field paths on that step (for routing errors).
export function createSteps({ sections, fieldsOf, progressText, progressBar, backBtn, nextBtn, submitBtn, onShow }) {
  const enabled = new Set(sections.map((s) => s.dataset.step));
  let index = 0;

  const active = () => sections.filter((s) => enabled.has(s.dataset.step));
  const current = () => active()[index];

  function render({ focus }) {
    const list = active();
    for (const s of sections) s.hidden = s !== list[index];
    const last = index === list.length - 1;
    backBtn.hidden = index === 0;
    nextBtn.hidden = last;
    submitBtn.hidden = !last;
    const title = list[index].querySelector('h2').textContent;
    setText(progressText, 'report.progress', { n: index + 1, m: list.length, title });
    progressBar.max = list.length;
    progressBar.value = index + 1;
    onShow?.(list[index].dataset.step);
    // Moving focus to the new heading tells screen reader users the step changed.
    if (focus) list[index].querySelector('h2').focus();
  }

  return {
    current: () => current().dataset.step,
    currentSection: () => current(),
    enabledSteps: () => active().map((s) => s.dataset.step),
    isLast: () => index === active().length - 1,
    enable(name, on) {
      const name0 = current().dataset.step;
      if (on) enabled.add(name); else enabled.delete(name);
      index = Math.max(0, active().findIndex((s) => s.dataset.step === name0));
      render({ focus: false });
    },
    go(name, { focus = true } = {}) {
      const i = active().findIndex((s) => s.dataset.step === name);
      if (i >= 0) { index = i; render({ focus }); }
    },
    next() { if (index < active().length - 1) { index += 1; render({ focus: true }); } },
    back() { if (index > 0) { index -= 1; render({ focus: true }); } },
    // The step that holds an API field path ("subject.name"), or null.
    stepOf(path) {
      for (const s of active()) {
        if ((fieldsOf[s.dataset.step] || []).some((p) => path === p || path.startsWith(`${p}.`))) return s.dataset.step;
      }
      return null;
    },
    refresh() { render({ focus: false }); },
  };
}
