/*
 * faultscale native addon: will-it-scale's page_fault3 loop, in C, callable
 * from JS worker threads through Node-API, and the single steps a kernel
 * scenario takes on one file.
 *
 * loop.c
 *   writerLoop(i32, fd, pages, idx) -> stores
 *                                       the page_fault3 loop until i32[idx.stop] ==
 *                                       idx.stopValue (or idx.maxPasses passes), publishing
 *                                       counters into the Int32Array every 64 stores
 *                                       (idx.rewrite: map once and keep storing; idx.sampleEvery:
 *                                       sampled store times into a ring in the same array)
 *   plainLoop(fd, pages, passes) -> ns  the same loop, exactly `passes` passes, no
 *                                       counters, no stop checks (the baseline)
 * procs.c
 *   processWriterLoop(i32, fd, pages, idx) -> stores
 *                                       writerLoop in a forked child process (will-it-scale's
 *                                       processes flavour), relayed into the Int32Array
 * files.c
 *   openUnlinked(dir, bytes) -> fd      mkostemp "dir/faultscale-XXXXXX", unlink at
 *                                       once (as page_fault3 does), ftruncate to bytes
 *   close(fd)
 *   minorFaults() -> n                  getrusage(RUSAGE_THREAD).ru_minflt
 *   mapShared(fd, pages) -> map         mmap MAP_SHARED read/write, held until unmap(map)
 *   storeByte(map, page, v) -> faults   one store, and the faults (minor + major) it took
 *   msync(map, sync), unmap(map), fsync(fd)
 *   fstat(fd) -> {size, mtimeSec, mtimeNsec, ctimeSec, ctimeNsec}
 *   coarseClockNs() -> ns               the coarse clock's tick (clock_getres)
 *
 * One iteration of the loop = one page: each pass mmaps `pages` pages of the
 * file MAP_SHARED, stores one byte into each page (each store takes a write
 * fault on the fresh mapping) and munmaps, exactly as page_fault3's testcase().
 * Pages are 4096 bytes, as in page_fault3 (x86-64 / 4K-page arm64).
 *
 * Linux only (RUSAGE_THREAD). The file must be at least pages*4096 bytes
 * long: a store beyond EOF of a shared file mapping raises SIGBUS, which would
 * kill the whole Node process, so everything that maps checks fstat() first.
 */
#include "util.h"

#define EXPORT(name, fn) {name, NULL, fn, NULL, NULL, NULL, napi_enumerable, NULL}

NAPI_MODULE_INIT(/* napi_env env, napi_value exports */) {
  napi_property_descriptor props[] = {
      EXPORT("openUnlinked", js_open_unlinked),
      EXPORT("close", js_close),
      EXPORT("writerLoop", js_writer_loop),
      EXPORT("plainLoop", js_plain_loop),
      EXPORT("processWriterLoop", js_process_writer_loop),
      EXPORT("minorFaults", js_minor_faults),
      EXPORT("mapShared", js_map_shared),
      EXPORT("storeByte", js_store_byte),
      EXPORT("msync", js_msync),
      EXPORT("unmap", js_unmap),
      EXPORT("fsync", js_fsync),
      EXPORT("fstat", js_fstat),
      EXPORT("coarseClockNs", js_coarse_clock_ns),
  };
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) {
    if (!pending(env)) napi_throw_error(env, NULL, "faultscale: cannot define exports");
    return NULL;
  }
  return exports;
}
