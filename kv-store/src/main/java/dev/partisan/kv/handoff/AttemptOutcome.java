package dev.partisan.kv.handoff;

import dev.partisan.kv.HandoffType;

/**
 * How one transfer attempt ({@link HandoffSender}) ended, told to the handoff manager: done, or
 * where it stopped so the next attempt may resume ({@link Retries}).
 *
 * @param ok the receiver has the whole partition, durably, and the local copy is dropped
 * @param error why it stopped, or null
 * @param cursor the last key of the fold the receiver acknowledged (null: none)
 * @param foldDone the whole fold was acknowledged (only written keys were left)
 * @param busy the receiver had no free slot: it saw nothing of this attempt
 * @param receiverIncarnation the receiver's incarnation as it reported it when the attempt opened;
 *     0 if it never answered
 */
record AttemptOutcome(
    long id,
    int partition,
    String target,
    HandoffType type,
    boolean ok,
    String error,
    byte[] cursor,
    boolean foldDone,
    boolean busy,
    long receiverIncarnation) {}
