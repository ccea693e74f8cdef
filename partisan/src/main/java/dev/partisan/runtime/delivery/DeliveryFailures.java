package dev.partisan.runtime.delivery;

import dev.partisan.runtime.DeliveryFailure;
import dev.partisan.runtime.transport.LinkKey;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the application when acknowledged delivery gives up on messages (the transport reports it,
 * see {@code Transport.onGiveUp}).
 *
 * <p>Threading: a copy-on-write list; callers add listeners, the timer thread reports.
 */
public final class DeliveryFailures implements BiConsumer<LinkKey, Integer> {
  private static final Logger log = LoggerFactory.getLogger(DeliveryFailures.class);

  private final List<Consumer<DeliveryFailure>> listeners = new CopyOnWriteArrayList<>();

  public void add(Consumer<DeliveryFailure> listener) {
    listeners.add(listener);
  }

  /** {@code n} unacknowledged messages on {@code key} were discarded. */
  @Override
  public void accept(LinkKey key, Integer n) {
    DeliveryFailure f = new DeliveryFailure(key.peer(), key.channel(), key.lane(), n);
    log.warn("gave up delivering {} acknowledged message(s) to {}", n, key);
    listeners.forEach(l -> l.accept(f));
  }
}
