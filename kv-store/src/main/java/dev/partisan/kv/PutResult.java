package dev.partisan.kv;

import java.util.List;

/**
 * The outcome of a write that met its quorums.
 *
 * @param context the object's causal context after the write, as the coordinating vnode stored it
 * @param siblings with {@code returnbody}: the live versions after the write; otherwise empty
 */
public record PutResult(
    BKey key, CausalContext context, List<Content> siblings, QuorumReport report) {
  public PutResult {
    siblings = List.copyOf(siblings);
  }
}
