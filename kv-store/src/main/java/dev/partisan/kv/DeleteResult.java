package dev.partisan.kv;

/**
 * The outcome of a delete.
 *
 * @param existed false when a delete without a context found nothing to delete (no tombstone is
 *     written then)
 * @param report the quorum report of the tombstone write, or of the read when nothing existed
 */
public record DeleteResult(BKey key, boolean existed, QuorumReport report) {}
