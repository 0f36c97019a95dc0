#!/bin/sh
# Runs Node.js with the malloc settings of the README's "Memory" paragraph, unless they are set:
# two malloc arenas for all threads, and every block of 2 MiB or more mapped on its own (glibc's
# rising mmap threshold otherwise keeps unification's freed blocks resident: docs/benchmarks.md).
MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-2097152}"
export MALLOC_ARENA_MAX MALLOC_MMAP_THRESHOLD_
exec node "$@"
