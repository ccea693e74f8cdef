package dev.partisan.kv;

import java.util.List;

/**
 * The outcome of a read that met its quorum.
 *
 * @param siblings the live versions: empty when the object is not found (or deleted), more than one
 *     when there are siblings to resolve
 * @param context the causal context to send back with the next write (also for not-found, so a
 *     write after a delete supersedes the tombstone)
 */
public record GetResult(
    BKey key, List<Content> siblings, CausalContext context, QuorumReport report) {
  public GetResult {
    siblings = List.copyOf(siblings);
  }

  public boolean found() {
    return !siblings.isEmpty();
  }

  public boolean hasSiblings() {
    return siblings.size() > 1;
  }

  /** The single value; throws if not found or if there are siblings. */
  public Content value() {
    if (siblings.size() != 1) {
      throw new IllegalStateException(
          siblings.isEmpty() ? "not found: " + key : siblings.size() + " siblings for " + key);
    }
    return siblings.get(0);
  }
}
