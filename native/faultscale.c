/*
 * faultscale native addon: will-it-scale's page_fault3 loop, in C, callable
 * from JS worker threads through Node-API.
 *
 *   openUnlinked(dir, bytes) -> fd      mkostemp "dir/faultscale-XXXXXX", unlink at
 *                                       once (as page_fault3 does), ftruncate to bytes
 *   close(fd)
 *   writerLoop(i32, fd, pages, idx) -> stores
 *                                       the page_fault3 loop until i32[idx.stop] ==
 *                                       idx.stopValue (or idx.maxPasses passes), publishing
 *                                       counters into the Int32Array every 64 stores
 *   plainLoop(fd, pages, passes) -> ns  the same loop, exactly `passes` passes, no
 *                                       counters, no stop checks (the baseline)
 *   minorFaults() -> n                  getrusage(RUSAGE_THREAD).ru_minflt
 *
 * One iteration of the loop = one page: each pass mmaps `pages` pages of the
 * file MAP_SHARED, stores one byte into each page (each store takes a write
 * fault on the fresh mapping) and munmaps, exactly as page_fault3's testcase().
 * Pages are 4096 bytes, as in page_fault3 (x86-64 / 4K-page arm64).
 *
 * Linux only (RUSAGE_THREAD). The file must be at least pages*4096 bytes
 * long: a store beyond EOF of a shared file mapping raises SIGBUS, which would
 * kill the whole Node process, so both loops check fstat() first.
 */
#define _GNU_SOURCE
#ifndef NAPI_VERSION
#define NAPI_VERSION 8 /* binding.gyp defines it too */
#endif

#include <node_api.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define FS_PAGE 4096UL
/* Publish counters / check the stop word every this many stores (power of 2). */
#define PUBLISH_EVERY 64U

/* ------------------------------------------------------------------ errors */

/* Throws `Error(what: strerror(err))` with a numeric `errno` property. */
static void throw_errno(napi_env env, const char *what, int err) {
  char msg[512];
  napi_value jmsg, jerr, jerrno;
  snprintf(msg, sizeof msg, "%s: %s", what, strerror(err));
  if (napi_create_string_utf8(env, msg, NAPI_AUTO_LENGTH, &jmsg) != napi_ok ||
      napi_create_error(env, NULL, jmsg, &jerr) != napi_ok) {
    napi_throw_error(env, NULL, msg);
    return;
  }
  if (napi_create_int32(env, err, &jerrno) == napi_ok)
    napi_set_named_property(env, jerr, "errno", jerrno);
  napi_throw(env, jerr);
}

/* True if a JS exception is already pending (then the caller just returns). */
static int pending(napi_env env) {
  bool p = false;
  napi_is_exception_pending(env, &p);
  return p;
}

/* --------------------------------------------------------------- arguments */

static int get_args(napi_env env, napi_callback_info info, size_t want, napi_value *argv) {
  size_t argc = want;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return 0;
  if (argc < want) {
    napi_throw_type_error(env, NULL, "faultscale: too few arguments");
    return 0;
  }
  return 1;
}

/* An integral JS number in [lo, hi]; throws TypeError / RangeError otherwise. */
static int get_int(napi_env env, napi_value v, const char *name, int64_t lo, int64_t hi, int64_t *out) {
  napi_valuetype t;
  double d;
  char msg[160];
  if (napi_typeof(env, v, &t) != napi_ok || t != napi_number) {
    snprintf(msg, sizeof msg, "faultscale: %s must be a number", name);
    napi_throw_type_error(env, NULL, msg);
    return 0;
  }
  napi_get_value_double(env, v, &d);
  /* Range first (which also rejects NaN, for which every comparison is false),
   * so that the integrality test's cast to int64_t is always defined. */
  if (!(d >= (double)lo && d <= (double)hi) || d != (double)(int64_t)d) {
    snprintf(msg, sizeof msg, "faultscale: %s must be an integer in [%lld, %lld]", name,
             (long long)lo, (long long)hi);
    napi_throw_range_error(env, NULL, msg);
    return 0;
  }
  *out = (int64_t)d;
  return 1;
}

static int get_fd(napi_env env, napi_value v, int *fd) {
  int64_t x;
  if (!get_int(env, v, "fd", 0, INT_MAX, &x)) return 0;
  *fd = (int)x;
  return 1;
}

/* pages >= 1 and pages*4096 fits in a (signed) file offset. */
static int get_pages(napi_env env, napi_value v, size_t *pages) {
  int64_t x;
  if (!get_int(env, v, "pages", 1, (int64_t)(INT64_MAX / (int64_t)FS_PAGE), &x)) return 0;
  if ((uint64_t)x > SIZE_MAX / FS_PAGE) {
    napi_throw_range_error(env, NULL, "faultscale: pages too large for this address space");
    return 0;
  }
  *pages = (size_t)x;
  return 1;
}

/* The loops store into every page of [0, pages*4096): refuse a file shorter than
 * that (a store past EOF would be SIGBUS for the whole process). */
static int check_file_size(napi_env env, int fd, size_t pages) {
  struct stat st;
  if (fstat(fd, &st) != 0) {
    throw_errno(env, "faultscale: fstat", errno);
    return 0;
  }
  if (st.st_size < 0 || (uint64_t)st.st_size < (uint64_t)pages * FS_PAGE) {
    char msg[200];
    snprintf(msg, sizeof msg, "faultscale: file is %lld bytes, shorter than pages*4096 = %llu",
             (long long)st.st_size, (unsigned long long)pages * FS_PAGE);
    napi_throw_range_error(env, NULL, msg);
    return 0;
  }
  return 1;
}

static napi_value make_number(napi_env env, double d) {
  napi_value r;
  if (napi_create_double(env, d, &r) != napi_ok) return NULL;
  return r;
}

/* ------------------------------------------------------------------- clock */

static long thread_minflt(void) {
  struct rusage ru;
  /* RUSAGE_THREAD: only the calling thread's faults, so concurrent writer
   * threads (and the JS thread's own GC) do not pollute each other's counts. */
  if (getrusage(RUSAGE_THREAD, &ru) != 0) return -1;
  return ru.ru_minflt;
}

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* ------------------------------------------------------------ openUnlinked */

static napi_value js_open_unlinked(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  char dir[PATH_MAX];
  char path[PATH_MAX + 32];
  size_t len = 0;
  int64_t bytes;
  int fd;

  if (!get_args(env, info, 2, argv)) return NULL;
  /* First call: the UTF-8 length only (fails for non-strings). */
  if (napi_get_value_string_utf8(env, argv[0], NULL, 0, &len) != napi_ok) {
    napi_throw_type_error(env, NULL, "faultscale: dir must be a string");
    return NULL;
  }
  if (len == 0 || len + 1 > sizeof dir ||
      napi_get_value_string_utf8(env, argv[0], dir, sizeof dir, &len) != napi_ok) {
    napi_throw_range_error(env, NULL, "faultscale: dir must be a non-empty path shorter than PATH_MAX");
    return NULL;
  }
  if (!get_int(env, argv[1], "bytes", 0, INT64_MAX / 2, &bytes)) return NULL;

  snprintf(path, sizeof path, "%s/faultscale-XXXXXX", dir);
  /* mkstemp with O_CLOEXEC, so a child process spawned meanwhile does not
   * inherit (and keep alive) the unlinked file. */
  fd = mkostemp(path, O_CLOEXEC);
  if (fd < 0) {
    char what[PATH_MAX + 64];
    snprintf(what, sizeof what, "openUnlinked: mkstemp(%s)", path);
    throw_errno(env, what, errno);
    return NULL;
  }
  /* Unlink at once, as page_fault3 does: the file lives only as long as the fd,
   * and nothing ever finds it in the directory. */
  if (unlink(path) != 0) {
    int e = errno;
    char what[PATH_MAX + 64];
    close(fd);
    snprintf(what, sizeof what, "openUnlinked: unlink(%s)", path);
    throw_errno(env, what, e);
    return NULL;
  }
  if (ftruncate(fd, (off_t)bytes) != 0) {
    int e = errno;
    close(fd);
    throw_errno(env, "openUnlinked: ftruncate", e);
    return NULL;
  }
  return make_number(env, (double)fd);
}

/* ------------------------------------------------------------------- close */

static napi_value js_close(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int fd;
  if (!get_args(env, info, 1, argv) || !get_fd(env, argv[0], &fd)) return NULL;
  if (close(fd) != 0) {
    throw_errno(env, "close", errno);
    return NULL;
  }
  return NULL; /* undefined */
}

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

/* Reads idx[name] as an index into an Int32Array of `length` elements. */
static int get_index(napi_env env, napi_value idx, const char *name, size_t length, size_t *out) {
  napi_value v;
  int64_t x;
  char label[64];
  if (napi_get_named_property(env, idx, name, &v) != napi_ok) return 0;
  snprintf(label, sizeof label, "idx.%s", name);
  if (length == 0) {
    napi_throw_range_error(env, NULL, "faultscale: i32 is empty");
    return 0;
  }
  if (!get_int(env, v, label, 0, (int64_t)length - 1, &x)) return 0;
  *out = (size_t)x;
  return 1;
}

static napi_value js_writer_loop(napi_env env, napi_callback_info info) {
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

static napi_value js_plain_loop(napi_env env, napi_callback_info info) {
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

/* ------------------------------------------------------------- minorFaults */

static napi_value js_minor_faults(napi_env env, napi_callback_info info) {
  long m;
  (void)info;
  m = thread_minflt();
  if (m < 0) {
    throw_errno(env, "minorFaults: getrusage(RUSAGE_THREAD)", errno);
    return NULL;
  }
  return make_number(env, (double)m);
}

/* -------------------------------------------------------------------- init */

NAPI_MODULE_INIT(/* napi_env env, napi_value exports */) {
  napi_property_descriptor props[] = {
      {"openUnlinked", NULL, js_open_unlinked, NULL, NULL, NULL, napi_enumerable, NULL},
      {"close", NULL, js_close, NULL, NULL, NULL, napi_enumerable, NULL},
      {"writerLoop", NULL, js_writer_loop, NULL, NULL, NULL, napi_enumerable, NULL},
      {"plainLoop", NULL, js_plain_loop, NULL, NULL, NULL, napi_enumerable, NULL},
      {"minorFaults", NULL, js_minor_faults, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) {
    if (!pending(env)) napi_throw_error(env, NULL, "faultscale: cannot define exports");
    return NULL;
  }
  return exports;
}
