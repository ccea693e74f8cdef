package dev.partisan.kv.object;

import java.util.ArrayList;
import java.util.List;

/**
 * The causal operations on objects (dotted version vector sets, computed on the server).
 *
 * <ul>
 *   <li>{@link #update}: a client write coordinated by one vnode. Stored siblings that the client's
 *       context covers are replaced; the others stay as siblings of the new version.
 *   <li>{@link #merge}: combines two replicas' states (replication, read repair). A sibling
 *       survives unless the other side's context covers it and the other side no longer holds it
 *       (it was overwritten there). Merge is commutative, associative and idempotent.
 * </ul>
 */
public final class Dvv {
  private Dvv() {}

  /**
   * Applies a client write at the coordinating vnode.
   *
   * @param stored the vnode's current object, or null
   * @param clientContext what the client had read (empty for a blind write)
   * @param actor the coordinating vnode's actor id for this key
   * @param now wall-clock milliseconds
   */
  public static KvObject update(
      KvObject stored,
      VersionVector clientContext,
      Update update,
      String actor,
      long now,
      Resolution resolution) {
    VersionVector storedContext = stored == null ? VersionVector.EMPTY : stored.context();
    List<Sibling> kept = new ArrayList<>();
    if (stored != null && resolution != Resolution.LAST_WRITE_WINS) {
      for (Sibling s : stored.siblings()) {
        if (!clientContext.covers(s.dot())) {
          kept.add(s);
        }
      }
    }
    // Both histories count: a client may have read a newer replica than this one.
    long counter = Math.max(storedContext.get(actor), clientContext.get(actor)) + 1;
    Dot dot = new Dot(actor, counter);
    kept.add(
        new Sibling(
            dot,
            update.value(),
            update.contentType(),
            update.userMeta(),
            now,
            update.delete(),
            update.indexes()));
    VersionVector context = storedContext.join(clientContext).with(dot);
    return resolve(new KvObject(context, kept), resolution);
  }

  /** The state that includes both replicas' histories. Either argument may be null. */
  public static KvObject merge(KvObject a, KvObject b, Resolution resolution) {
    if (a == null) {
      return b == null ? null : resolve(b, resolution);
    }
    if (b == null || a.sameVersion(b)) {
      return resolve(a, resolution);
    }
    List<Sibling> siblings = new ArrayList<>(a.siblings().size() + b.siblings().size());
    for (Sibling s : a.siblings()) {
      if (!b.context().covers(s.dot()) || b.hasDot(s.dot())) {
        siblings.add(s);
      }
    }
    for (Sibling s : b.siblings()) {
      if (!a.context().covers(s.dot())) {
        siblings.add(s);
      }
    }
    return resolve(new KvObject(a.context().join(b.context()), siblings), resolution);
  }

  /** Applies the bucket's resolution: all but the newest sibling go when siblings are not kept. */
  public static KvObject resolve(KvObject o, Resolution resolution) {
    if (resolution == Resolution.KEEP_SIBLINGS || o.siblings().size() <= 1) {
      return o;
    }
    Sibling newest = o.siblings().get(0);
    for (Sibling s : o.siblings()) {
      if (Sibling.newestOrder(s, newest) > 0) {
        newest = s;
      }
    }
    return new KvObject(o.context(), List.of(newest));
  }
}
