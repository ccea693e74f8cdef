package dev.partisan.kv.report;

/**
 * Latency of one kind of client request on one node over a recent window, as the embedding (the
 * HTTP and PB servers, which time requests) measures it.
 *
 * @param api the client API the requests came through ({@code http}, {@code pb})
 * @param op the operation ({@code get}, {@code put}, {@code delete}, ...)
 * @param count requests in the window
 */
public record LatencySummary(
    String api, String op, long count, double p50Ms, double p95Ms, double p99Ms) {}
