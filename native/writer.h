/*
 * The page_fault3 writer loop, shared by the two ways of running it:
 * in the calling thread (loop.c, writerLoop) and in a child process of its
 * own (procs.c, processWriterLoop), which publishes into a shared mapping
 * that the calling thread relays into the SharedArrayBuffer.
 */
#ifndef FAULTSCALE_WRITER_H
#define FAULTSCALE_WRITER_H

#include "util.h"

/* Where a writer publishes: words of an int32 array, by index. */
struct sink {
  int32_t *w;
  size_t stop, faults, stores, passes, minflt;
  int32_t stop_value;
  /* Sampled store times (ring == NULL: none): every `every`-th store writes
   * its time, in µs since epoch_ms on CLOCK_MONOTONIC, into ring[head % len]
   * and then publishes w[head] + 1; the reader hands slots back through
   * w[tail]; a sample with no free slot counts in w[dropped]. */
  int32_t *ring;
  uint32_t ring_len, every;
  size_t head, tail, dropped;
  double epoch_ms;
};

struct loop_cfg {
  int fd;
  size_t pages;
  /* 0: page_fault3 (map, store every page, unmap, repeat); 1: map once and keep storing. */
  int rewrite;
  /* Stop after this many complete passes (-1: only on the stop word). */
  int64_t max_passes;
};

/* A failed system call inside the loop: which one, and errno. */
struct loop_error {
  const char *what;
  int err;
};

/* Runs the loop until the stop word or max_passes; returns the stores made, or sets *e (what != NULL). */
uint64_t run_writer(struct sink *s, const struct loop_cfg *c, struct loop_error *e);

/* Stores one sample time into the sink's ring (or counts it dropped). */
void push_sample(struct sink *s, int32_t us);

/* Parses writerLoop's arguments (i32, fd, pages, idx) into a sink and a loop config; 0 with an exception pending on failure. */
int parse_writer_args(napi_env env, napi_callback_info info, struct sink *s, struct loop_cfg *c);

#endif
