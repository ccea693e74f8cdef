package dev.partisan.runtime.actor;

import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.SendOptions;
import dev.partisan.runtime.SendResult;

/**
 * The runtime's send path, as the parts that send (monitors, asks, a stopping actor) see it: local
 * or remote, direct or routed, through the fault gate.
 */
@FunctionalInterface
public interface Messenger {
  SendResult tell(ActorRef to, Object message, SendOptions options);
}
