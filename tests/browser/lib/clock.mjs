// A clock the server under test reads (`krasipd serve --clock-offset-file`):
// seconds added to the real time. Tests move it on to let days pass (an
// account's 30 days before it may approve) or half a minute (a fresh TOTP
// step, instead of waiting for one).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function testClock() {
  const file = join(mkdtempSync(join(tmpdir(), 'krasip-clock-')), 'offset');
  const clock = {
    file,
    offset: 0,
    set(seconds) {
      clock.offset = seconds;
      writeFileSync(file, String(seconds));
    },
    advance(seconds) { clock.set(clock.offset + seconds); },
    now: () => Math.floor(Date.now() / 1000) + clock.offset,
  };
  clock.set(0);
  return clock;
}
