/*
 * The writer loops: page_fault3's loop (or rewrite's) publishing counters
 * into a shared Int32Array (writerLoop), and the bare loop (plainLoop).
 */
#include "writer.h"

#include <errno.h>
#include <math.h> /* isfinite */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

/* Publish counters / check the stop word every this many stores (power of 2). */
#define PUBLISH_EVERY 64U

/* -------------------------------------------------------------- the loop */

/* A sink and the counts not yet published into it. */
struct writer {
  struct sink s;
  long minflt0; /* ru_minflt when the loop began */
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
static int publish_and_check(struct writer *ws) {
  struct sink *s = &ws->s;
  /* fetch_add, not load+store: several threads may share one counter word
   * (e.g. a global faults total), and a plain read-modify-write would lose
   * their increments. RELEASE: a reader that acquires a newer value also sees
   * everything this thread wrote before it (the words published before it).
   * Int32 wrap-around is defined for the __atomic builtins (two's complement),
   * and the JS side reads the same wrapped Int32 value. */
  if (ws->unpublished_stores != 0) {
    __atomic_fetch_add(&s->w[s->faults], (int32_t)ws->unpublished_stores, __ATOMIC_RELEASE);
    /* stores after faults: a reader that loads stores and then faults (both
     * acquire) sees the faults add of the same batch or a later one, so it
     * never sees stores > faults from a single writer. */
    __atomic_fetch_add(&s->w[s->stores], (int32_t)ws->unpublished_stores, __ATOMIC_RELEASE);
    ws->unpublished_stores = 0;
  }
  if (ws->unpublished_passes != 0) {
    /* passes after stores: a reader that loads passes first and then stores
     * (both acquire) always sees stores >= passes * pages, since the stores of
     * every published pass were released before the pass itself. */
    __atomic_fetch_add(&s->w[s->passes], (int32_t)ws->unpublished_passes, __ATOMIC_RELEASE);
    ws->unpublished_passes = 0;
  }
  {
    long m = thread_minflt();
    /* A plain atomic store, not an add: minflt is this thread's own count
     * since the call began (RUSAGE_THREAD), owned by this writer alone.
     * RELEASE orders it after the counters above, so a reader seeing it sees
     * at least the stores that caused those faults. */
    if (m >= 0) __atomic_store_n(&s->w[s->minflt], (int32_t)(m - ws->minflt0), __ATOMIC_RELEASE);
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


void push_sample(struct sink *s, int32_t us) {
  /* The head word is this writer's own: a relaxed read of it is exact. */
  int32_t head = __atomic_load_n(&s->w[s->head], __ATOMIC_RELAXED);
  /* ACQUIRE pairs with the reader's release of the tail: the slots it handed
   * back are no longer being read when we overwrite them. */
  int32_t tail = __atomic_load_n(&s->w[s->tail], __ATOMIC_ACQUIRE);
  if ((uint32_t)(head - tail) >= s->ring_len) {
    __atomic_fetch_add(&s->w[s->dropped], 1, __ATOMIC_RELAXED);
    return;
  }
  s->ring[(uint32_t)head % s->ring_len] = us;
  /* RELEASE: a reader that sees the new head also sees the slot's value. */
  __atomic_store_n(&s->w[s->head], head + 1, __ATOMIC_RELEASE);
}

/* Model time as the JS side's fine clock counts it: µs since the run's epoch on CLOCK_MONOTONIC (process.hrtime). */
static int32_t sample_us(const struct sink *s) {
  double us = ((double)now_ns() / 1e6 - s->epoch_ms) * 1000.0;
  int32_t r = (int32_t)us; /* truncates toward zero; step down below zero, as Math.floor does */
  return (double)r > us ? r - 1 : r;
}

uint64_t run_writer(struct sink *sink, const struct loop_cfg *c, struct loop_error *e) {
  struct writer ws;
  uint64_t total = 0, passes_done = 0;
  uint32_t until_sample = sink->every;
  size_t pages = c->pages;
  void *m = MAP_FAILED;
  int stopped;

  memset(&ws, 0, sizeof ws);
  ws.s = *sink;
  e->what = NULL;
  ws.minflt0 = thread_minflt();
  if (ws.minflt0 < 0) {
    e->what = "getrusage(RUSAGE_THREAD)";
    e->err = errno;
    return 0;
  }
  /* Stop word already set (or maxPasses 0): publish the zero-delta minflt and return. */
  stopped = publish_and_check(&ws) || c->max_passes == 0;
  while (!stopped) {
    size_t i;
    volatile char *p;
    /* page_fault3 maps afresh every pass; rewrite maps once and keeps the mapping. */
    if (m == MAP_FAILED) {
      m = mmap(NULL, pages * FS_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, c->fd, 0);
      if (m == MAP_FAILED) {
        e->what = "mmap";
        e->err = errno;
        break;
      }
    }
    /* volatile: the compiler must emit every store even though nothing reads
     * the mapping before munmap; each store is one iteration. */
    p = (volatile char *)m;
    for (i = 0; i < pages;) {
      p[i * FS_PAGE] = (char)(i + passes_done);
      i++;
      total++;
      ws.unpublished_stores++;
      if (ws.s.ring != NULL && --until_sample == 0) {
        until_sample = ws.s.every;
        push_sample(&ws.s, sample_us(&ws.s));
      }
      if ((total & (PUBLISH_EVERY - 1)) == 0 && publish_and_check(&ws)) {
        stopped = 1;
        break;
      }
    }
    if (!c->rewrite || stopped) {
      if (munmap(m, pages * FS_PAGE) != 0) {
        e->what = "munmap";
        e->err = errno;
        break;
      }
      m = MAP_FAILED;
    }
    /* A pass counts once all its pages are stored (even if the stop came with
     * its last store); one cut short by the stop does not, so at the end
     * stores - passes*pages is in [0, pages). */
    if (i == pages) {
      passes_done++;
      ws.unpublished_passes++;
      if (c->max_passes >= 0 && passes_done >= (uint64_t)c->max_passes) stopped = 1;
    }
  }
  if (m != MAP_FAILED && munmap(m, pages * FS_PAGE) != 0 && e->what == NULL) {
    e->what = "munmap";
    e->err = errno;
  }
  /* Final publish: the stores/passes since the last 64-store mark, and minflt
   * including the munmap (also after an error, so the counters match `total`).
   * After this the words are final for this call. */
  publish_and_check(&ws);
  return total;
}

/* ------------------------------------------------------------- arguments */

/* An optional integer property: absent or undefined leaves *out as it is. */
static int get_optional_int(napi_env env, napi_value obj, const char *name, int64_t lo, int64_t hi, int64_t *out) {
  bool has = false;
  napi_value v;
  napi_valuetype t;
  char label[64];
  if (napi_has_named_property(env, obj, name, &has) != napi_ok) return 0;
  if (!has) return 1;
  if (napi_get_named_property(env, obj, name, &v) != napi_ok || napi_typeof(env, v, &t) != napi_ok) return 0;
  if (t == napi_undefined) return 1;
  snprintf(label, sizeof label, "idx.%s", name);
  return get_int(env, v, label, lo, hi, out);
}

int parse_writer_args(napi_env env, napi_callback_info info, struct sink *s, struct loop_cfg *c) {
  napi_value argv[4], ab, v;
  napi_typedarray_type type;
  size_t length = 0, byte_offset = 0;
  void *data = NULL;
  int64_t stop_value, max_passes = -1, rewrite = 0, every = 0, ring = 0, ring_len = 0;
  napi_valuetype t;

  if (!get_args(env, info, 4, argv)) return 0;
  {
    bool is_ta = false;
    napi_is_typedarray(env, argv[0], &is_ta);
    if (!is_ta) {
      napi_throw_type_error(env, NULL, "faultscale: i32 must be an Int32Array");
      return 0;
    }
  }
  /* Works for SharedArrayBuffer-backed arrays too: `data` is the shared memory
   * itself (already offset by byteOffset), the same bytes other threads'
   * Int32Arrays over that SharedArrayBuffer see. A SharedArrayBuffer cannot be
   * detached or shrunk, so the pointer stays valid for the whole loop. */
  if (napi_get_typedarray_info(env, argv[0], &type, &length, &data, &ab, &byte_offset) != napi_ok) return 0;
  if (type != napi_int32_array) {
    napi_throw_type_error(env, NULL, "faultscale: i32 must be an Int32Array");
    return 0;
  }
  if (data == NULL) {
    napi_throw_range_error(env, NULL, "faultscale: i32 has no data");
    return 0;
  }
  memset(c, 0, sizeof *c);
  if (!get_fd(env, argv[1], &c->fd) || !get_pages(env, argv[2], &c->pages)) return 0;
  if (napi_typeof(env, argv[3], &t) != napi_ok || t != napi_object) {
    napi_throw_type_error(env, NULL, "faultscale: idx must be an object");
    return 0;
  }

  memset(s, 0, sizeof *s);
  s->w = (int32_t *)data;
  /* Every index is bounds-checked against the array length: the loop writes
   * raw memory, so an out-of-range index would corrupt the heap. */
  if (!get_index(env, argv[3], "stop", length, &s->stop) || !get_index(env, argv[3], "faults", length, &s->faults) ||
      !get_index(env, argv[3], "stores", length, &s->stores) || !get_index(env, argv[3], "passes", length, &s->passes) ||
      !get_index(env, argv[3], "minflt", length, &s->minflt))
    return 0;
  if (s->faults == s->stores || s->faults == s->passes || s->faults == s->minflt || s->stores == s->passes ||
      s->stores == s->minflt || s->passes == s->minflt || s->stop == s->faults || s->stop == s->stores ||
      s->stop == s->passes || s->stop == s->minflt) {
    napi_throw_range_error(env, NULL, "faultscale: idx.stop/faults/stores/passes/minflt must be distinct");
    return 0;
  }
  if (napi_get_named_property(env, argv[3], "stopValue", &v) != napi_ok ||
      !get_int(env, v, "idx.stopValue", INT32_MIN, INT32_MAX, &stop_value))
    return 0;
  s->stop_value = (int32_t)stop_value;
  /* Optional idx.maxPasses: stop after exactly that many complete passes even
   * if the stop word is never set (used by bench/native-overhead.ts to run the
   * same number of stores as plainLoop). Absent/undefined = no limit. */
  if (!get_optional_int(env, argv[3], "maxPasses", 0, INT64_MAX / 2, &max_passes)) return 0;
  c->max_passes = max_passes;
  /* Optional idx.rewrite: 1 maps once and keeps storing (the rewrite workload). */
  if (!get_optional_int(env, argv[3], "rewrite", 0, 1, &rewrite)) return 0;
  c->rewrite = (int)rewrite;
  /* Optional sampling: idx.sampleEvery > 0 with the ring's words and the epoch. */
  if (!get_optional_int(env, argv[3], "sampleEvery", 0, INT32_MAX, &every)) return 0;
  if (every > 0) {
    double epoch;
    if (!get_optional_int(env, argv[3], "ring", 0, (int64_t)length - 1, &ring) ||
        !get_optional_int(env, argv[3], "ringLength", 1, (int64_t)length, &ring_len))
      return 0;
    if (ring_len == 0 || ring + ring_len > (int64_t)length) {
      napi_throw_range_error(env, NULL, "faultscale: idx.ring .. ring+ringLength must lie inside i32");
      return 0;
    }
    if (!get_index(env, argv[3], "sampleHead", length, &s->head) || !get_index(env, argv[3], "sampleTail", length, &s->tail) ||
        !get_index(env, argv[3], "samplesDropped", length, &s->dropped))
      return 0;
    if (napi_get_named_property(env, argv[3], "epochMs", &v) != napi_ok || napi_get_value_double(env, v, &epoch) != napi_ok ||
        !isfinite(epoch)) {
      napi_throw_type_error(env, NULL, "faultscale: idx.epochMs must be a finite number");
      return 0;
    }
    s->ring = s->w + ring;
    s->ring_len = (uint32_t)ring_len;
    s->every = (uint32_t)every;
    s->epoch_ms = epoch;
  }
  return check_file_size(env, c->fd, c->pages);
}

/* ------------------------------------------------------------ writerLoop */

napi_value js_writer_loop(napi_env env, napi_callback_info info) {
  struct sink s;
  struct loop_cfg c;
  struct loop_error e;
  uint64_t total;
  char what[96];
  if (!parse_writer_args(env, info, &s, &c)) return NULL;
  total = run_writer(&s, &c, &e);
  if (e.what != NULL) {
    snprintf(what, sizeof what, "writerLoop: %s", e.what);
    throw_errno(env, what, e.err);
    return NULL;
  }
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

