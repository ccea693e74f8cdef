package dev.partisan.kv.report;

/**
 * Latency of one kind of client request on one node over a recent window, as the embedding (the
 * HTTP or PB server, which time requests) measures it.
 *
 * @param op the operation ({@code get}, {@code put}, {@code delete}, ...)
 * @param count requests in the window
 */
public record LatencySummary(String op, long count, double p50Ms, double p95Ms, double p99Ms) {}
