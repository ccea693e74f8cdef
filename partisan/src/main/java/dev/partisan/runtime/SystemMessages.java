package dev.partisan.runtime;

import dev.partisan.runtime.codec.TypeRegistry;
import dev.partisan.runtime.monitor.Monitors;
import dev.partisan.runtime.overlay.MembershipMessages;
import dev.partisan.runtime.overlay.RoutedForwarder;

/**
 * Type ids of the runtime's own messages (below {@link TypeRegistry#FIRST_APPLICATION_ID}): 1-6
 * here and in the parts that own the message (4 the monitor request, 6 the routed envelope), 10-39
 * the membership protocols.
 */
final class SystemMessages {
  private SystemMessages() {}

  static void register(TypeRegistry types) {
    types.register(1, Down.class);
    types.register(2, NodeDown.class);
    types.register(3, NodeUp.class);
    Monitors.register(types);
    types.register(5, AskFailure.class);
    RoutedForwarder.register(types);
    MembershipMessages.register(types);
  }
}
