/*
 * The writer loops: page_fault3's loop publishing counters into a shared
 * Int32Array (writerLoop), and the bare loop (plainLoop).
 */
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

/* Publish counters / check the stop word every this many stores (power of 2). */
#define PUBLISH_EVERY 64U

/* -------------------------------------------------------------- writerLoop */

/* Counters a writer has not yet published. */
struct writer {
  int32_t *w;           /* the Int32Array's data (SharedArrayBuffer memory) */
  size_t stop, faults, stores, passes, minflt;
  int32_t stop_value;
  long minflt0;         /* ru_minflt when the call began */
  uint64_t unpublished_stores;
  uint64_t unpublished_passes;
};

/*
 * Publishes the counters and returns nonzero if the stop word is set.
 *
 * The JS side reads these words with Atomics.load (sequentially consistent);
 * GCC's __atomic builtins on the same naturally aligned int32 words are the
 * same hardware atomics, so mixing them is well defined in practice (this is
 * how V8 itself implements Atomics on SharedArrayBuffers).
 */
static int publish_and_check(struct writer *s) {
  /* fetch_add, not load+store: several threads may share one counter word
   * (e.g. a global faults total), and a plain read-modify-write would lose
   * their increments. RELEASE: a reader that acquires a newer value also sees
   * everything this thread wrote before it (the words published before it).
   * Int32 wrap-around is defined for the __atomic builtins (two's complement),
   * and the JS side reads the same wrapped Int32 value. */
  if (s->unpublished_stores != 0) {
    __atomic_fetch_add(&s->w[s->faults], (int32_t)s->unpublished_stores, __ATOMIC_RELEASE);
    /* stores after faults: a reader that loads stores and then faults (both
     * acquire) sees the faults add of the same batch or a later one, so it
     * never sees stores > faults from a single writer. */
    __atomic_fetch_add(&s->w[s->stores], (int32_t)s->unpublished_stores, __ATOMIC_RELEASE);
    s->unpublished_stores = 0;
  }
  if (s->unpublished_passes != 0) {
    /* passes after stores: a reader that loads passes first and then stores
     * (both acquire) always sees stores >= passes * pages, since the stores of
     * every published pass were released before the pass itself. */
    __atomic_fetch_add(&s->w[s->passes], (int32_t)s->unpublished_passes, __ATOMIC_RELEASE);
    s->unpublished_passes = 0;
  }
  {
    long m = thread_minflt();
    /* A plain atomic store, not an add: minflt is this thread's own count
     * since the call began (RUSAGE_THREAD), owned by this writer alone.
     * RELEASE orders it after the counters above, so a reader seeing it sees
     * at least the stores that caused those faults. */
    if (m >= 0) __atomic_store_n(&s->w[s->minflt], (int32_t)(m - s->minflt0), __ATOMIC_RELEASE);
  }
  /* ACQUIRE pairs with the stopping thread's Atomics.store (seq_cst, hence
   * at least release): once we see the stop value we also see anything it
   * wrote before stopping us. A relaxed load would suffice for the stop itself;
   * on x86-64 and arm64 the acquire load is still a plain load / ldar, so it
   * costs nothing measurable at one check per 64 faults. It must be an atomic
   * load, though: a plain read could be hoisted out of the loop by the compiler
   * and the writer would never see the stop. */
  return __atomic_load_n(&s->w[s->stop], __ATOMIC_ACQUIRE) == s->stop_value;
}

napi_value js_writer_loop(napi_env env, napi_callback_info info) {
  napi_value argv[4], ab, v;
  napi_typedarray_type type;
  size_t length = 0, byte_offset = 0, pages;
  void *data = NULL;
  int fd;
  int64_t stop_value, max_passes = -1;
  bool has_max = false;
  napi_valuetype t;
  struct writer s;
  uint64_t total = 0, passes_done = 0;
  int stopped = 0;

  if (!get_args(env, info, 4, argv)) return NULL;
  {
    bool is_ta = false;
    napi_is_typedarray(env, argv[0], &is_ta);
    if (!is_ta) {
      napi_throw_type_error(env, NULL, "faultscale: i32 must be an Int32Array");
      return NULL;
    }
  }
  /* Works for SharedArrayBuffer-backed arrays too: `data` is the shared memory
   * itself (already offset by byteOffset), the same bytes other threads'
   * Int32Arrays over that SharedArrayBuffer see. A SharedArrayBuffer cannot be
   * detached or shrunk, so the pointer stays valid for the whole loop. */
  if (napi_get_typedarray_info(env, argv[0], &type, &length, &data, &ab, &byte_offset) != napi_ok)
    return NULL;
  if (type != napi_int32_array) {
    napi_throw_type_error(env, NULL, "faultscale: i32 must be an Int32Array");
    return NULL;
  }
  if (data == NULL) {
    napi_throw_range_error(env, NULL, "faultscale: i32 has no data");
    return NULL;
  }
  if (!get_fd(env, argv[1], &fd) || !get_pages(env, argv[2], &pages)) return NULL;
  if (napi_typeof(env, argv[3], &t) != napi_ok || t != napi_object) {
    napi_throw_type_error(env, NULL, "faultscale: idx must be an object");
    return NULL;
  }

  memset(&s, 0, sizeof s);
  s.w = (int32_t *)data;
  /* Every index is bounds-checked against the array length: the loop writes
   * raw memory, so an out-of-range index would corrupt the heap. */
  if (!get_index(env, argv[3], "stop", length, &s.stop) ||
      !get_index(env, argv[3], "faults", length, &s.faults) ||
      !get_index(env, argv[3], "stores", length, &s.stores) ||
      !get_index(env, argv[3], "passes", length, &s.passes) ||
      !get_index(env, argv[3], "minflt", length, &s.minflt))
    return NULL;
  if (s.faults == s.stores || s.faults == s.passes || s.faults == s.minflt || s.stores == s.passes ||
      s.stores == s.minflt || s.passes == s.minflt || s.stop == s.faults || s.stop == s.stores ||
      s.stop == s.passes || s.stop == s.minflt) {
    napi_throw_range_error(env, NULL, "faultscale: idx.stop/faults/stores/passes/minflt must be distinct");
    return NULL;
  }
  if (napi_get_named_property(env, argv[3], "stopValue", &v) != napi_ok ||
      !get_int(env, v, "idx.stopValue", INT32_MIN, INT32_MAX, &stop_value))
    return NULL;
  s.stop_value = (int32_t)stop_value;
  /* Optional idx.maxPasses: stop after exactly that many complete passes even
   * if the stop word is never set (used by bench/native-overhead.ts to run the
   * same number of stores as plainLoop). Absent/undefined = no limit. */
  if (napi_has_named_property(env, argv[3], "maxPasses", &has_max) != napi_ok) return NULL;
  if (has_max) {
    if (napi_get_named_property(env, argv[3], "maxPasses", &v) != napi_ok ||
        napi_typeof(env, v, &t) != napi_ok)
      return NULL;
    if (t != napi_undefined && !get_int(env, v, "idx.maxPasses", 0, INT64_MAX / 2, &max_passes))
      return NULL;
  }
  if (!check_file_size(env, fd, pages)) return NULL;

  s.minflt0 = thread_minflt();
  if (s.minflt0 < 0) {
    throw_errno(env, "writerLoop: getrusage(RUSAGE_THREAD)", errno);
    return NULL;
  }

  /* Stop word already set (or maxPasses 0): publish the zero-delta minflt and return. */
  stopped = publish_and_check(&s) || max_passes == 0;
  while (!stopped) {
    size_t i;
    volatile char *p;
    void *m = mmap(NULL, pages * FS_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (m == MAP_FAILED) {
      int e = errno;
      publish_and_check(&s); /* leave the counters consistent with `total` */
      throw_errno(env, "writerLoop: mmap", e);
      return NULL;
    }
    /* volatile: the compiler must emit every store even though nothing reads
     * the mapping before munmap; each store is one write fault. */
    p = (volatile char *)m;
    for (i = 0; i < pages;) {
      p[i * FS_PAGE] = (char)i;
      i++;
      total++;
      s.unpublished_stores++;
      if ((total & (PUBLISH_EVERY - 1)) == 0 && publish_and_check(&s)) {
        stopped = 1;
        break;
      }
    }
    if (munmap(m, pages * FS_PAGE) != 0) {
      int e = errno;
      publish_and_check(&s);
      throw_errno(env, "writerLoop: munmap", e);
      return NULL;
    }
    /* A pass counts once all its pages are stored (even if the stop came with
     * its last store); one cut short by the stop does not, so at the end
     * stores - passes*pages is in [0, pages). */
    if (i == pages) {
      passes_done++;
      s.unpublished_passes++;
      if (max_passes >= 0 && passes_done >= (uint64_t)max_passes) stopped = 1;
    }
  }
  /* Final publish: the stores/passes since the last 64-store mark, and minflt
   * including the munmap. After this the words are final for this call. */
  publish_and_check(&s);
  return make_number(env, (double)total);
}

/* --------------------------------------------------------------- plainLoop */

napi_value js_plain_loop(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  int fd;
  size_t pages;
  int64_t passes, pass;
  uint64_t t0, t1;

  if (!get_args(env, info, 3, argv) || !get_fd(env, argv[0], &fd) || !get_pages(env, argv[1], &pages) ||
      !get_int(env, argv[2], "passes", 0, INT64_MAX / 2, &passes))
    return NULL;
  if (!check_file_size(env, fd, pages)) return NULL;

  t0 = now_ns();
  for (pass = 0; pass < passes; pass++) {
    size_t i;
    volatile char *p;
    void *m = mmap(NULL, pages * FS_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (m == MAP_FAILED) {
      throw_errno(env, "plainLoop: mmap", errno);
      return NULL;
    }
    p = (volatile char *)m; /* as in writerLoop: every store is emitted */
    for (i = 0; i < pages; i++) p[i * FS_PAGE] = (char)i;
    if (munmap(m, pages * FS_PAGE) != 0) {
      throw_errno(env, "plainLoop: munmap", errno);
      return NULL;
    }
  }
  t1 = now_ns();
  return make_number(env, (double)(t1 - t0));
}

