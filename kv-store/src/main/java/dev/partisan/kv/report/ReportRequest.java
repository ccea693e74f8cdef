package dev.partisan.kv.report;

/**
 * Asks a node's {@link ReportResponder} for its {@link NodeReport}.
 *
 * @param asker the asking node's name (for logs; the reply goes back to the ask's sender)
 */
public record ReportRequest(String asker) {}
