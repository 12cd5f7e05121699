/**
 * Headless Chromium for the report tests: Debian's `chromium` when on PATH
 * (scripts/ensure-chromium.sh installs it). Without it the tests skip with that
 * reason, except under CI=true, where they run and fail.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

function findChromium(): string | null {
  const r = spawnSync('which', ['chromium'], { encoding: 'utf8' });
  const p = r.status === 0 ? r.stdout.trim() : '';
  return p === '' ? null : p;
}

export const chromium = findChromium();
/** Whether the Chromium tests run: Chromium is here, or CI demands them. */
export const runChromiumTests = chromium !== null || process.env.CI === 'true';
export const chromiumSkipNote = chromium ? '' : ' (skipped: chromium is not on PATH; scripts/ensure-chromium.sh installs it)';

/** Runs headless Chromium on an HTML file with a fresh profile under `scratch`; resolves with its output. */
export function runChromium(htmlPath: string, extra: readonly string[], scratch: string, timeoutMs: number): Promise<{ status: number | null; stdout: string; stderr: string }> {
  if (chromium === null) throw new Error('chromium is not on PATH: run scripts/ensure-chromium.sh');
  const profile = fs.mkdtempSync(path.join(scratch, 'chromium-'));
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--user-data-dir=${profile}`,
    ...extra,
    pathToFileURL(htmlPath).href,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(chromium, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}
