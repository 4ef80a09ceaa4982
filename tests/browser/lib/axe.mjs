// WCAG 2.1 A/AA checks with axe-core, injected through the DevTools protocol
// so that no page's CSP is loosened.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// target: a Page or a Frame. Cross-origin frames are checked on their own
// (pass the Frame), so iframes are skipped here.
export async function violations(target) {
  await target.evaluate(AXE);
  return target.evaluate(async () => {
    const r = await window.axe.run(document, {
      iframes: false,
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}
