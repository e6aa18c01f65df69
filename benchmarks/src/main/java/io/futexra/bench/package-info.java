/**
 * Benchmarks: futex-ra against the locks users would otherwise pick, measured side by side in one
 * run. JMH for single-process costs; small multi-process drivers where JMH cannot fork the shape
 * (contention between processes, hand-off latency, owner-death recovery); a C reference built
 * with gcc as the physical limit. Run by {@code bench.sh}; see README "Benchmarks".
 */
package io.futexra.bench;
