package dev.partisan.kv;

/** A failed request: the {@link KvError} says why; quorum failures carry what was seen. */
public final class KvException extends RuntimeException {
  private final KvError error;
  private final QuorumReport report;

  public KvException(KvError error, String message) {
    this(error, message, null);
  }

  public KvException(KvError error, String message, QuorumReport report) {
    super(error + ": " + message + (report == null ? "" : " (" + report + ")"));
    this.error = error;
    this.report = report;
  }

  public KvError error() {
    return error;
  }

  /** What the coordinator saw, or null for failures before any replica was asked. */
  public QuorumReport report() {
    return report;
  }
}
