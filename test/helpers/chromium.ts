/**
 * Headless Chromium for the report tests: Debian's `chromium` when on PATH
 * (scripts/ensure-chromium.sh installs it). A need (need.ts): without it the
 * tests skip with that reason, and under CI the run fails at collection.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromiumMissing, chromiumPath, need } from './need.js';

export const chromium = chromiumPath();
const chromiumNeed = need('Chromium', chromiumMissing());
/** Whether the Chromium tests run. */
export const runChromiumTests = !chromiumNeed.skip;
export const chromiumSkipNote = chromiumNeed.label('');

/** Runs headless Chromium on an HTML file with a fresh profile under `scratch`; resolves with its output. */
export function runChromium(
  htmlPath: string,
  extra: readonly string[],
  scratch: string,
  timeoutMs: number,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
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
