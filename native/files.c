/*
 * Files and mappings: the kernel target's unlinked files, and the steps a
 * kernel scenario takes on one file (map, store, msync, fsync, fstat, unmap).
 */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------------------ openUnlinked */

napi_value js_open_unlinked(napi_env env, napi_callback_info info) {
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

napi_value js_close(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int fd;
  if (!get_args(env, info, 1, argv) || !get_fd(env, argv[0], &fd)) return NULL;
  if (close(fd) != 0) {
    throw_errno(env, "close", errno);
    return NULL;
  }
  return NULL; /* undefined */
}

/* ------------------------------------------------------------- minorFaults */

napi_value js_minor_faults(napi_env env, napi_callback_info info) {
  long m;
  (void)info;
  m = thread_minflt();
  if (m < 0) {
    throw_errno(env, "minorFaults: getrusage(RUSAGE_THREAD)", errno);
    return NULL;
  }
  return make_number(env, (double)m);
}


/* ------------------------------------------------- one file, step by step */

/*
 * The kernel scenarios hold one mapping open across several calls, so the
 * mappings live in a small table and JS names them by slot. A slot is only
 * ever handed out by mapShared, so JS cannot make the addon store to an
 * address it did not map. The lock makes the table safe for several threads;
 * a store holds it too, so an unmap from another thread cannot pull the
 * mapping away mid-store.
 */
#define MAX_MAPS 64
static struct {
  char *addr; /* NULL: slot free */
  size_t pages;
} maps[MAX_MAPS];
static pthread_mutex_t maps_lock = PTHREAD_MUTEX_INITIALIZER;

/* Locks the table and returns the slot's entry, or throws (table unlocked) and returns -1. */
static int lock_map(napi_env env, napi_value v) {
  int64_t id;
  if (!get_int(env, v, "map", 0, MAX_MAPS - 1, &id)) return -1;
  pthread_mutex_lock(&maps_lock);
  if (maps[id].addr == NULL) {
    pthread_mutex_unlock(&maps_lock);
    napi_throw_range_error(env, NULL, "faultscale: map is not a live mapping");
    return -1;
  }
  return (int)id;
}

/* mapShared(fd, pages) -> map: mmap the first pages*4096 bytes MAP_SHARED, read/write. */
napi_value js_map_shared(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  int fd, id;
  size_t pages;
  void *m;
  if (!get_args(env, info, 2, argv) || !get_fd(env, argv[0], &fd) || !get_pages(env, argv[1], &pages)) return NULL;
  if (!check_file_size(env, fd, pages)) return NULL;
  m = mmap(NULL, pages * FS_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (m == MAP_FAILED) {
    throw_errno(env, "mapShared: mmap", errno);
    return NULL;
  }
  pthread_mutex_lock(&maps_lock);
  for (id = 0; id < MAX_MAPS && maps[id].addr != NULL; id++) {
  }
  if (id < MAX_MAPS) {
    maps[id].addr = (char *)m;
    maps[id].pages = pages;
  }
  pthread_mutex_unlock(&maps_lock);
  if (id == MAX_MAPS) {
    munmap(m, pages * FS_PAGE);
    napi_throw_range_error(env, NULL, "faultscale: too many live mappings");
    return NULL;
  }
  return make_number(env, (double)id);
}

/*
 * storeByte(map, page, value) -> faults the store took (minor plus major, 0
 * or more): getrusage(RUSAGE_THREAD) just before and just after the one
 * store, with nothing else in between, so a nonzero count is that store's own
 * write fault. Major faults count too: on ext4 the first touch of a page that
 * is not yet in the page cache is accounted as major.
 */
napi_value js_store_byte(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  int64_t page, value;
  long m0, m1;
  int id;
  if (!get_args(env, info, 3, argv) || !get_int(env, argv[1], "page", 0, INT64_MAX / 2, &page) ||
      !get_int(env, argv[2], "value", 0, 255, &value))
    return NULL;
  if ((id = lock_map(env, argv[0])) < 0) return NULL;
  if ((uint64_t)page >= maps[id].pages) {
    pthread_mutex_unlock(&maps_lock);
    napi_throw_range_error(env, NULL, "faultscale: page is outside the mapping");
    return NULL;
  }
  m0 = thread_faults();
  /* volatile: the store must happen here, between the two counts. */
  ((volatile char *)maps[id].addr)[(size_t)page * FS_PAGE] = (char)value;
  m1 = thread_faults();
  pthread_mutex_unlock(&maps_lock);
  if (m0 < 0 || m1 < 0) {
    throw_errno(env, "storeByte: getrusage(RUSAGE_THREAD)", errno);
    return NULL;
  }
  return make_number(env, (double)(m1 - m0));
}

/* msync(map, sync): MS_SYNC (true: write the dirty pages back and wait) or MS_ASYNC over the whole mapping. */
napi_value js_msync(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  bool sync = false;
  int id, rc, e;
  if (!get_args(env, info, 2, argv)) return NULL;
  if (napi_get_value_bool(env, argv[1], &sync) != napi_ok) {
    napi_throw_type_error(env, NULL, "faultscale: sync must be a boolean");
    return NULL;
  }
  if ((id = lock_map(env, argv[0])) < 0) return NULL;
  rc = msync(maps[id].addr, maps[id].pages * FS_PAGE, sync ? MS_SYNC : MS_ASYNC);
  e = errno;
  pthread_mutex_unlock(&maps_lock);
  if (rc != 0) throw_errno(env, "msync", e);
  return NULL;
}

/* unmap(map): munmap, freeing the slot. */
napi_value js_unmap(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int id, rc, e;
  if (!get_args(env, info, 1, argv)) return NULL;
  if ((id = lock_map(env, argv[0])) < 0) return NULL;
  rc = munmap(maps[id].addr, maps[id].pages * FS_PAGE);
  e = errno;
  if (rc == 0) maps[id].addr = NULL;
  pthread_mutex_unlock(&maps_lock);
  if (rc != 0) throw_errno(env, "munmap", e);
  return NULL;
}

/* fsync(fd): write back the file's dirty pages and its inode, and wait. */
napi_value js_fsync(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int fd;
  if (!get_args(env, info, 1, argv) || !get_fd(env, argv[0], &fd)) return NULL;
  if (fsync(fd) != 0) throw_errno(env, "fsync", errno);
  return NULL;
}

static int set_number(napi_env env, napi_value obj, const char *name, double d) {
  napi_value v = make_number(env, d);
  return v != NULL && napi_set_named_property(env, obj, name, v) == napi_ok;
}

/*
 * fstat(fd) -> { size, mtimeSec, mtimeNsec, ctimeSec, ctimeNsec }: what a
 * client's getattr sees. Seconds and nanoseconds apart, since their sum in
 * nanoseconds does not fit a double exactly.
 */
napi_value js_fstat(napi_env env, napi_callback_info info) {
  napi_value argv[1], obj;
  struct stat st;
  int fd;
  if (!get_args(env, info, 1, argv) || !get_fd(env, argv[0], &fd)) return NULL;
  if (fstat(fd, &st) != 0) {
    throw_errno(env, "fstat", errno);
    return NULL;
  }
  if (napi_create_object(env, &obj) != napi_ok) return NULL;
  if (!set_number(env, obj, "size", (double)st.st_size) || !set_number(env, obj, "mtimeSec", (double)st.st_mtim.tv_sec) ||
      !set_number(env, obj, "mtimeNsec", (double)st.st_mtim.tv_nsec) ||
      !set_number(env, obj, "ctimeSec", (double)st.st_ctim.tv_sec) ||
      !set_number(env, obj, "ctimeNsec", (double)st.st_ctim.tv_nsec))
    return NULL;
  return obj;
}

/* coarseClockNs() -> ns: the resolution of CLOCK_REALTIME_COARSE, the clock coarse file timestamps come from (one tick). */
napi_value js_coarse_clock_ns(napi_env env, napi_callback_info info) {
  struct timespec ts;
  (void)info;
  if (clock_getres(CLOCK_REALTIME_COARSE, &ts) != 0) {
    throw_errno(env, "clock_getres(CLOCK_REALTIME_COARSE)", errno);
    return NULL;
  }
  return make_number(env, (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec);
}
