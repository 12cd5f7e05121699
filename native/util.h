/*
 * What the addon's source files share: the Node-API argument helpers
 * (util.c) and every exported function, registered in faultscale.c.
 */
#ifndef FAULTSCALE_UTIL_H
#define FAULTSCALE_UTIL_H

#define _GNU_SOURCE
#ifndef NAPI_VERSION
#define NAPI_VERSION 8 /* binding.gyp defines it too */
#endif

#include <node_api.h>

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#define FS_PAGE 4096UL

/* Throws `Error(what: strerror(err))` with a numeric `errno` property. */
void throw_errno(napi_env env, const char *what, int err);
/* True if a JS exception is already pending (then the caller just returns). */
int pending(napi_env env);
int get_args(napi_env env, napi_callback_info info, size_t want, napi_value *argv);
/* An integral JS number in [lo, hi]; throws TypeError / RangeError otherwise. */
int get_int(napi_env env, napi_value v, const char *name, int64_t lo, int64_t hi, int64_t *out);
int get_fd(napi_env env, napi_value v, int *fd);
/* pages >= 1 and pages*4096 fits in a (signed) file offset. */
int get_pages(napi_env env, napi_value v, size_t *pages);
/* Refuses a file shorter than pages*4096 (a store past EOF would be SIGBUS for the whole process). */
int check_file_size(napi_env env, int fd, size_t pages);
/* Reads idx[name] as an index into an Int32Array of `length` elements. */
int get_index(napi_env env, napi_value idx, const char *name, size_t length, size_t *out);
napi_value make_number(napi_env env, double d);
/* getrusage(RUSAGE_THREAD).ru_minflt, or -1. */
long thread_minflt(void);
/* Minor plus major faults (getrusage RUSAGE_THREAD): a fault that had to bring the page into the page cache (the first touch of a hole on ext4) counts as major. */
long thread_faults(void);
/* CLOCK_MONOTONIC in ns (the clock process.hrtime reads). */
uint64_t now_ns(void);

/* files.c */
napi_value js_open_unlinked(napi_env env, napi_callback_info info);
napi_value js_close(napi_env env, napi_callback_info info);
napi_value js_minor_faults(napi_env env, napi_callback_info info);
napi_value js_map_shared(napi_env env, napi_callback_info info);
napi_value js_store_byte(napi_env env, napi_callback_info info);
napi_value js_msync(napi_env env, napi_callback_info info);
napi_value js_unmap(napi_env env, napi_callback_info info);
napi_value js_fsync(napi_env env, napi_callback_info info);
napi_value js_fstat(napi_env env, napi_callback_info info);
napi_value js_coarse_clock_ns(napi_env env, napi_callback_info info);

/* loop.c */
napi_value js_writer_loop(napi_env env, napi_callback_info info);
napi_value js_plain_loop(napi_env env, napi_callback_info info);

/* procs.c */
napi_value js_process_writer_loop(napi_env env, napi_callback_info info);

#endif
