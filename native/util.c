/*
 * Helpers shared by the addon's source files: Node-API argument checks that
 * throw TypeError / RangeError with the argument's name, errno errors, and
 * the per-thread fault counter and clocks.
 */
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

/* ------------------------------------------------------------------ errors */

/* Throws `Error(what: strerror(err))` with a numeric `errno` property. */
void throw_errno(napi_env env, const char *what, int err) {
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
int pending(napi_env env) {
  bool p = false;
  napi_is_exception_pending(env, &p);
  return p;
}

/* --------------------------------------------------------------- arguments */

int get_args(napi_env env, napi_callback_info info, size_t want, napi_value *argv) {
  size_t argc = want;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return 0;
  if (argc < want) {
    napi_throw_type_error(env, NULL, "faultscale: too few arguments");
    return 0;
  }
  return 1;
}

/* An integral JS number in [lo, hi]; throws TypeError / RangeError otherwise. */
int get_int(napi_env env, napi_value v, const char *name, int64_t lo, int64_t hi, int64_t *out) {
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

int get_fd(napi_env env, napi_value v, int *fd) {
  int64_t x;
  if (!get_int(env, v, "fd", 0, INT_MAX, &x)) return 0;
  *fd = (int)x;
  return 1;
}

/* pages >= 1 and pages*4096 fits in a (signed) file offset. */
int get_pages(napi_env env, napi_value v, size_t *pages) {
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
int check_file_size(napi_env env, int fd, size_t pages) {
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

napi_value make_number(napi_env env, double d) {
  napi_value r;
  if (napi_create_double(env, d, &r) != napi_ok) return NULL;
  return r;
}

/* ------------------------------------------------------------------- clock */

long thread_minflt(void) {
  struct rusage ru;
  /* RUSAGE_THREAD: only the calling thread's faults, so concurrent writer
   * threads (and the JS thread's own GC) do not pollute each other's counts. */
  if (getrusage(RUSAGE_THREAD, &ru) != 0) return -1;
  return ru.ru_minflt;
}

long thread_faults(void) {
  struct rusage ru;
  if (getrusage(RUSAGE_THREAD, &ru) != 0) return -1;
  return ru.ru_minflt + ru.ru_majflt;
}

uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* Reads idx[name] as an index into an Int32Array of `length` elements. */
int get_index(napi_env env, napi_value idx, const char *name, size_t length, size_t *out) {
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

