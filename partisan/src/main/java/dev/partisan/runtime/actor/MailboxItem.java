package dev.partisan.runtime.actor;

import dev.partisan.runtime.ActorRef;

/** A message waiting in a mailbox, with where it came from. */
public record MailboxItem(Object message, ActorRef sender, String channel) {}
