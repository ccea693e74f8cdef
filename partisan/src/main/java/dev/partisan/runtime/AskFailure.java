package dev.partisan.runtime;

/** A reply that reports why a request was not served (e.g. the target's mailbox was full). */
public record AskFailure(String reason) {}
