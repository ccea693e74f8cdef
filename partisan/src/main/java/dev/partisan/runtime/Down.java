package dev.partisan.runtime;

/**
 * Sent to a watcher when a monitored actor stops or becomes unreachable.
 *
 * @param reason "stopped", "noproc" (no such actor), or "noconnection" (its node is down)
 */
public record Down(ActorRef actor, String reason) {}
