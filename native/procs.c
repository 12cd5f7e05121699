/*
 * processWriterLoop(i32, fd, pages, idx) -> stores: the writer loop of
 * writerLoop, run in a child process of its own, as will-it-scale's
 * `_processes` flavour runs each task: fork, so that every writer has its
 * own address space (its own mm, page tables and mmap lock) instead of
 * sharing the Node process's.
 *
 * A SharedArrayBuffer is private to the Node process, so the child
 * publishes into a small shared anonymous mapping made before the fork, and
 * the calling thread, which waits for the child anyway, relays between the
 * two every millisecond: the stop word in, the counters and sampled store
 * times out. The counters keep writerLoop's meaning and ordering, and the
 * sampled store times are taken by the child at its stores, on the same
 * CLOCK_MONOTONIC, so only their publication waits for the relay.
 */
#include "writer.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* How often the calling thread relays: short beside a measured window of a second or more, rare enough to cost nothing. */
#define RELAY_NS 1000000L

/* The child's words in the shared mapping. */
enum { SH_STOP, SH_FAULTS, SH_STORES, SH_PASSES, SH_MINFLT, SH_HEAD, SH_TAIL, SH_DROPPED, SH_WORDS };
#define SH_STOP_VALUE 1

/* Exit statuses of the child. */
#define CHILD_OK 0
#define CHILD_FAILED 1   /* a system call failed: what/err say which */
#define CHILD_ORPHAN 2   /* the parent was gone before the loop started */

struct shared {
  int32_t w[SH_WORDS];
  /* The failed call's name: a string literal of this library, at the same address in parent and child. */
  const char *what;
  int err;
  int32_t ring[];
};

/* What the relay has passed on so far. */
struct relayed {
  int32_t faults, stores, passes, dropped;
  uint32_t tail;
  uint64_t total;
};

static void relay(struct sink *p, struct shared *sh, struct relayed *r) {
  int32_t passes, stores, faults, dropped;
  /* The stop word in. ACQUIRE pairs with the coordinator's Atomics.store;
   * RELEASE with the child's acquire load in publish_and_check. */
  if (__atomic_load_n(&p->w[p->stop], __ATOMIC_ACQUIRE) == p->stop_value)
    __atomic_store_n(&sh->w[SH_STOP], SH_STOP_VALUE, __ATOMIC_RELEASE);
  /* The counters out, read in the reverse of the child's publishing order
   * (passes, stores, faults; each acquire) and added in that order (faults,
   * stores, passes; each release): the parent's readers then see what a
   * writer thread's readers see, faults >= stores >= passes * pages. */
  passes = __atomic_load_n(&sh->w[SH_PASSES], __ATOMIC_ACQUIRE);
  stores = __atomic_load_n(&sh->w[SH_STORES], __ATOMIC_ACQUIRE);
  faults = __atomic_load_n(&sh->w[SH_FAULTS], __ATOMIC_ACQUIRE);
  /* Differences of int32 words wrap as the words do (unsigned arithmetic). */
  __atomic_fetch_add(&p->w[p->faults], (int32_t)((uint32_t)faults - (uint32_t)r->faults), __ATOMIC_RELEASE);
  __atomic_fetch_add(&p->w[p->stores], (int32_t)((uint32_t)stores - (uint32_t)r->stores), __ATOMIC_RELEASE);
  __atomic_fetch_add(&p->w[p->passes], (int32_t)((uint32_t)passes - (uint32_t)r->passes), __ATOMIC_RELEASE);
  r->total += (uint32_t)stores - (uint32_t)r->stores;
  r->faults = faults;
  r->stores = stores;
  r->passes = passes;
  /* The child's own minor faults since its loop began (a store, as writerLoop publishes it). */
  __atomic_store_n(&p->w[p->minflt], __atomic_load_n(&sh->w[SH_MINFLT], __ATOMIC_ACQUIRE), __ATOMIC_RELEASE);
  if (p->ring != NULL) {
    /* ACQUIRE pairs with the child's release of its head: the slots below it are filled. */
    uint32_t head = (uint32_t)__atomic_load_n(&sh->w[SH_HEAD], __ATOMIC_ACQUIRE);
    for (; r->tail != head; r->tail++) push_sample(p, sh->ring[r->tail % p->ring_len]);
    /* RELEASE: the child may reuse the slots only after they were read. */
    __atomic_store_n(&sh->w[SH_TAIL], (int32_t)head, __ATOMIC_RELEASE);
    dropped = __atomic_load_n(&sh->w[SH_DROPPED], __ATOMIC_RELAXED);
    if (dropped != r->dropped) __atomic_fetch_add(&p->w[p->dropped], dropped - r->dropped, __ATOMIC_RELAXED);
    r->dropped = dropped;
  }
}

/*
 * The child. Only the forking thread exists in it, and the parent's other
 * threads may have held locks (malloc's, V8's, libuv's) at the fork, so it
 * runs nothing but the loop's system calls and plain memory operations,
 * then _exit (no atexit handlers, no flushing of inherited stdio buffers).
 */
static void child(struct shared *sh, struct sink *s, const struct loop_cfg *c, pid_t parent) {
  struct loop_error e;
  /* Killed with the thread that forked it, so no writer outlives its run (SIGKILL of Node, a terminated pool thread). */
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(CHILD_ORPHAN);
  /* Ctrl-C reaches the whole process group: the parent stops the run through the stop word, and the child must
   * neither die first (the run would read as failed, not interrupted) nor run Node's inherited handlers. */
  signal(SIGINT, SIG_IGN);
  signal(SIGTERM, SIG_IGN);
  signal(SIGHUP, SIG_IGN);
  signal(SIGQUIT, SIG_IGN);
  run_writer(s, c, &e);
  if (e.what != NULL) {
    sh->what = e.what;
    sh->err = e.err;
    _exit(CHILD_FAILED);
  }
  _exit(CHILD_OK);
}

napi_value js_process_writer_loop(napi_env env, napi_callback_info info) {
  struct sink p, cs;
  struct loop_cfg c;
  struct shared *sh;
  struct relayed r;
  size_t bytes;
  pid_t pid, parent = getpid();
  int status = 0, exited = 0;
  char msg[160];

  if (!parse_writer_args(env, info, &p, &c)) return NULL;
  bytes = sizeof *sh + (p.ring != NULL ? (size_t)p.ring_len * sizeof(int32_t) : 0);
  sh = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (sh == MAP_FAILED) {
    throw_errno(env, "processWriterLoop: mmap of the shared counters", errno);
    return NULL;
  }
  /* The child's sink: the shared words, the same loop settings and sampling. */
  memset(&cs, 0, sizeof cs);
  cs.w = sh->w;
  cs.stop = SH_STOP;
  cs.faults = SH_FAULTS;
  cs.stores = SH_STORES;
  cs.passes = SH_PASSES;
  cs.minflt = SH_MINFLT;
  cs.stop_value = SH_STOP_VALUE;
  if (p.ring != NULL) {
    cs.ring = sh->ring;
    cs.ring_len = p.ring_len;
    cs.every = p.every;
    cs.head = SH_HEAD;
    cs.tail = SH_TAIL;
    cs.dropped = SH_DROPPED;
    cs.epoch_ms = p.epoch_ms;
  }
  memset(&r, 0, sizeof r);
  /* A stop already given reaches the child before it starts. */
  relay(&p, sh, &r);
  pid = fork();
  if (pid < 0) {
    int e = errno;
    munmap(sh, bytes);
    throw_errno(env, "processWriterLoop: fork", e);
    return NULL;
  }
  if (pid == 0) child(sh, &cs, &c, parent);

  while (!exited) {
    struct timespec ts = {0, RELAY_NS};
    pid_t w = waitpid(pid, &status, WNOHANG);
    if (w == pid) exited = 1;
    else if (w < 0 && errno != EINTR) {
      int e = errno;
      kill(pid, SIGKILL);
      munmap(sh, bytes);
      throw_errno(env, "processWriterLoop: waitpid", e);
      return NULL;
    }
    /* After the exit this is the final relay: the child's last publish is in. */
    relay(&p, sh, &r);
    if (!exited) nanosleep(&ts, NULL);
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == CHILD_OK) {
    munmap(sh, bytes);
    return make_number(env, (double)r.total);
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == CHILD_FAILED) {
    snprintf(msg, sizeof msg, "processWriterLoop: %s", sh->what != NULL ? sh->what : "?");
    throw_errno(env, msg, sh->err);
  } else if (WIFSIGNALED(status)) {
    snprintf(msg, sizeof msg, "processWriterLoop: the writer process died of signal %d (%s)", WTERMSIG(status), strsignal(WTERMSIG(status)));
    napi_throw_error(env, NULL, msg);
  } else {
    snprintf(msg, sizeof msg, "processWriterLoop: the writer process exited with status %d", WEXITSTATUS(status));
    napi_throw_error(env, NULL, msg);
  }
  munmap(sh, bytes);
  return NULL;
}
