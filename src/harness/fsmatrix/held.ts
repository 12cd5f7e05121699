/**
 * The stack of what bench:fs has made (private directories, loop devices,
 * mounts), and how each is undone. Only what is on the stack is ever released,
 * newest first, so a mount is always gone before the device under it is
 * detached and the directory holding its image is removed.
 */
import fs from 'node:fs';

import { commands, type Command, type Tools } from './plan.js';
import type { Effects, ExecResult } from './effects.js';
import { why } from './exec-text.js';

export type Held =
  | { readonly kind: 'dir'; readonly path: string; readonly image: string | null; readonly tools: Tools }
  | { readonly kind: 'loop'; readonly dev: string; readonly tools: Tools }
  | { readonly kind: 'mount'; readonly path: string; readonly tools: Tools };

export class HeldStack {
  private readonly items: Held[] = [];
  private readonly fx: Effects;

  constructor(fx: Effects) {
    this.fx = fx;
  }

  /** How many things are held: a mark to release back to. */
  get length(): number {
    return this.items.length;
  }

  push(h: Held): void {
    this.items.push(h);
  }

  /** What is held right now, outermost first. */
  describe(): string[] {
    return this.items.map((h) => (h.kind === 'loop' ? `loop ${h.dev}` : `${h.kind} ${h.path}`));
  }

  /** Pops and releases what was acquired after `mark`, newest first. Returns problems, one line each. */
  releaseTo(mark: number): string[] {
    const problems: string[] = [];
    while (this.items.length > mark) {
      const h = this.items.pop()!;
      try {
        const p = this.release(h);
        if (p) problems.push(p);
      } catch (e) {
        problems.push(`${h.kind}: ${(e as Error).message}`);
      }
    }
    return problems;
  }

  isMountPoint(p: string): boolean {
    try {
      return this.fx.mountedUnder(p).includes(p);
    } catch {
      return false;
    }
  }

  /** The loop devices whose backing file is `image`. */
  loopsBacking(t: Tools, image: string): string[] {
    const c = commands.backing(t, image);
    const r = this.fx.exec(c.cmd, c.args);
    if (r.status !== 0) return [];
    // `/dev/loop3: [2049]:1234 (/tmp/faultscale-fs-…/image)`
    return r.stdout
      .split('\n')
      .map((l) => /^(\/dev\/loop\d+):.*\((.*)\)\s*$/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null && m[2] === image)
      .map((m) => m[1]!);
  }

  private release(h: Held): string | null {
    if (h.kind === 'mount') return this.unmount(h.tools, h.path);
    if (h.kind === 'loop') return this.detach(h.tools, h.dev);
    // Our private directory: anything still mounted below it, or a loop device still backed by its image,
    // can only be ours (it was created inside mkdtemp's directory); release those before removing it.
    const problems: string[] = [];
    const stray = this.fx.mountedUnder(h.path).sort((a, b) => b.length - a.length);
    for (const mp of stray) {
      const p = this.unmount(h.tools, mp);
      if (p) problems.push(p);
    }
    if (h.image !== null && fs.existsSync(h.image) && h.tools.losetup !== '') {
      for (const dev of this.loopsBacking(h.tools, h.image)) {
        const p = this.detach(h.tools, dev);
        if (p) problems.push(p);
      }
    }
    if (this.fx.mountedUnder(h.path).length > 0) {
      problems.push(`left ${h.path} in place: something is still mounted below it`);
      return problems.join('; ');
    }
    fs.rmSync(h.path, { recursive: true, force: true });
    return problems.length > 0 ? problems.join('; ') : null;
  }

  private unmount(t: Tools, mnt: string): string | null {
    const busy = (r: ExecResult): boolean => /busy/i.test(r.stderr);
    const last = this.retried(200, () => commands.umount(t, mnt), busy);
    if (last === null) return null;
    if (busy(last)) {
      const c = commands.umountLazy(t, mnt);
      const r = this.fx.exec(c.cmd, c.args);
      if (r.status === 0) return null;
    }
    return `could not unmount ${mnt}: ${why(last)}`;
  }

  private detach(t: Tools, dev: string): string | null {
    const last = this.retried(
      100,
      () => commands.detach(t, dev),
      () => true,
    );
    return last === null ? null : `could not detach ${dev}: ${why(last)}`;
  }

  /**
   * Runs a command up to 5 times, `pauseMs` apart, until it exits 0 (then
   * null); a failure `worthRetrying` rejects ends it early. Returns the last failure.
   */
  private retried(
    pauseMs: number,
    command: () => Command,
    worthRetrying: (r: ExecResult) => boolean,
  ): ExecResult | null {
    let last: ExecResult | null = null;
    for (let attempt = 0; attempt < 5; attempt++) {
      if (attempt > 0) this.fx.sleepSync(pauseMs);
      const c = command();
      last = this.fx.exec(c.cmd, c.args);
      if (last.status === 0) return null;
      if (!worthRetrying(last)) break;
    }
    return last;
  }
}
