package dev.partisan.kv;

/**
 * What a coordinator saw: how many replicas it asked and how many answered, against the quorums it
 * needed. For reads {@code required} is R and {@code requiredPrimary} PR; for writes W, PW and DW.
 *
 * @param n the replication factor
 * @param replicas how many replicas (primaries and fallbacks) were available and asked
 * @param required R or W
 * @param requiredPrimary PR or PW
 * @param requiredDurable DW (0 for reads)
 * @param acks successful replies
 * @param primaryAcks successful replies from primaries
 * @param durableAcks replies confirming a durable write (writes only)
 * @param failures replies reporting an error or overload, and sends that could not be made
 */
public record QuorumReport(
    int n,
    int replicas,
    int required,
    int requiredPrimary,
    int requiredDurable,
    int acks,
    int primaryAcks,
    int durableAcks,
    int failures) {

  @Override
  public String toString() {
    return String.format(
        "n=%d replicas=%d need=%d/%dp/%dd got=%d/%dp/%dd failed=%d",
        n,
        replicas,
        required,
        requiredPrimary,
        requiredDurable,
        acks,
        primaryAcks,
        durableAcks,
        failures);
  }
}
