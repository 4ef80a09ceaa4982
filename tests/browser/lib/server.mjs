// Starts a real krasipd in a fresh temporary data folder for browser tests.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const KRASIPD = process.env.KRASIPD ?? new URL('../../../build/server/krasipd', import.meta.url).pathname;
const WEB_ROOT = process.env.KRASIP_WEB_ROOT ?? new URL('../../../build/web', import.meta.url).pathname;

export async function startServer(extraArgs = []) {
  const dir = mkdtempSync(join(tmpdir(), 'krasip-browser-'));
  const data = join(dir, 'data');
  execFileSync(KRASIPD, ['init', '--fast-kdf', '--data-dir', data], { stdio: 'pipe' });
  const portFile = join(dir, 'port');
  const child = spawn(KRASIPD, ['serve', '--data-dir', data, '--listen', '127.0.0.1:0',
    '--port-file', portFile, '--web-root', WEB_ROOT, '--log-file', join(dir, 'krasip.log'),
    // Every request comes from 127.0.0.1 here: per-client rate limits off.
    '--submit-rate', '0', '--status-rate', '0', '--login-rate', '0',
    // Tests file faster than a flood's floor: no proof of work unless asked.
    ...extraArgs, '--pow-bits', '0'], { stdio: 'inherit' });
  const deadline = Date.now() + 20000;
  while (!existsSync(portFile)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error('krasipd did not start');
    await sleep(25);
  }
  const port = Number(readFileSync(portFile, 'utf8').trim());
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    dir,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
