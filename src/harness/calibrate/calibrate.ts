/**
 * `npm run calibrate`: measures what a write fault and a journalled inode
 * update cost on this machine and turns that into the `host` cost profile
 * (results/profiles/host.json), so the model spends, per kernel step, about
 * what this kernel does.
 *
 * Pure pieces (argument parsing, the fit, the profile derivation, the table)
 * are separate from the measurements (plainLoop through the native addon,
 * futimes through tinybench) and from running the bench CLI, so tests can
 * check each on its own.
 *
 * What is measured:
 *  - one write fault: page_fault3's loop (plainLoop) over a file on the fault
 *    directory (/dev/shm when it is tmpfs: no journal, no block allocation),
 *    with enough pages that a pass takes >= ~20 ms, and again with 1 page per
 *    pass. CPU time per pass is fitted as `perPassNs + perFaultNs × faults`, where
 *    faults are the thread's real minor faults (getrusage), not its stores: on
 *    a file system with large folios one fault maps several pages. The
 *    intercept is the mmap + munmap cost per pass.
 *  - each filesystem's own page_mkwrite: the same loop per page on ramfs (the
 *    generic filemap_page_mkwrite), ext4 and XFS, made here on loop devices,
 *    with 4 KiB folios; ext4's and XFS's extras are the paired differences
 *    from ramfs (fault-path-*.ts).
 *  - one journalled inode update: futimes() with a new time on every call, on
 *    a file in an ext4 directory, against the same calls on tmpfs (no journal).
 *    The difference is the journal's share: handle start/stop, the j_state_lock
 *    read side, copying the inode into its journalled buffer.
 */
export * from './args.js';
export * from './fault-cost.js';
export * from './fault-path-cost.js';
export * from './fault-path-measure.js';
export * from './fault-path-step.js';
export * from './scratch-fs.js';
export * from './journal-cost.js';
export * from './profile.js';
export * from './side-by-side.js';
