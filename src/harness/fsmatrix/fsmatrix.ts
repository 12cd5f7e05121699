/**
 * `npm run bench:fs`: the kernel target on several file systems and mount
 * option sets, each on a file system of its own made for the purpose:
 *
 *   sparse image in a private temp dir → losetup --find --show → mkfs.<fs>
 *   → mount -o <options> at <tmp>/mnt → bench --target kernel --dir <tmp>/mnt
 *   → umount → losetup -d → rm -r <tmp>
 *
 * (tmpfs: mount -t tmpfs -o size=…,<options>, no image and no loop device),
 * then one CSV with every combination's rows and one merged `.runs.csv`.
 *
 * Three layers, so the first two can be tested without root:
 *  - parseMatrixArgs / planMatrix: pure (apart from the stat calls option
 *    checks make): which combinations, which are skipped and why, image sizes,
 *    command lines (`commands`, `benchArgs`);
 *  - MatrixRunner: the effects, through the small `Effects` interface (run a
 *    short command, spawn the bench, list mounts); tests pass a fake;
 *  - realEffects / realHost: the real thing.
 *
 * Clean-up is by construction: every loop device (the path losetup printed)
 * and mount point (inside our own mkdtemp directory) is pushed on a stack the
 * moment it exists, and only what is on the stack is ever unmounted or
 * detached, in reverse order; the same stack is unwound on success, on a
 * failing step or child, on an exception, on SIGINT/SIGTERM (synchronously,
 * from the signal handler) and at process exit.
 */
export * from './constants.js';
export * from './args.js';
export * from './plan.js';
export * from './effects.js';
export * from './outcome.js';
export * from './runner.js';
export * from './leftovers.js';
export * from './summary.js';
export * from './real.js';
