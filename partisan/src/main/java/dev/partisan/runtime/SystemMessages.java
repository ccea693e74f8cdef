package dev.partisan.runtime;

import dev.partisan.runtime.codec.TypeRegistry;
import dev.partisan.runtime.overlay.MembershipMessages;

/** Type ids of the runtime's own messages (below {@link TypeRegistry#FIRST_APPLICATION_ID}). */
final class SystemMessages {
  private SystemMessages() {}

  static void register(TypeRegistry types) {
    types.register(1, Down.class);
    types.register(2, NodeDown.class);
    types.register(3, NodeUp.class);
    types.register(4, MonitorRequest.class);
    types.register(5, AskFailure.class);
    types.register(6, Routed.class);
    MembershipMessages.register(types);
  }

  /** Asks the watched actor's node to tell {@code watcher} when {@code watched} stops. */
  record MonitorRequest(String watched, ActorRef watcher) {}
}
