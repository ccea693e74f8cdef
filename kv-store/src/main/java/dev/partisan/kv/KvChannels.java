package dev.partisan.kv;

import dev.partisan.runtime.RuntimeConfig;
import dev.partisan.runtime.channel.ChannelSpec;
import dev.partisan.runtime.channel.TrafficClass;

/**
 * The runtime channels the KV store adds, by name, and how they are declared. Every part of the
 * store that sends names its channel from here (the {@code membership} and {@code default} channels
 * are the runtime's own).
 *
 * <ul>
 *   <li>{@link #REQUEST}: coordinator to vnode requests and their replies, requests a handed-off
 *       vnode forwards, anti-entropy repair reads; keyed by partition;
 *   <li>{@link #HANDOFF}: handoff sessions and batches; keyed by partition; bulk class;
 *   <li>{@link #ANTI_ENTROPY}: hash-tree and key-list exchanges; keyed by partition; bulk class.
 * </ul>
 *
 * <p>Handoff and anti-entropy are declared {@link TrafficClass#BULK}: their large batches read and
 * decode on the runtime's bulk event loops, never on the threads that read requests.
 */
public final class KvChannels {
  private KvChannels() {}

  public static final String REQUEST = "request";
  public static final String HANDOFF = "handoff";
  public static final String ANTI_ENTROPY = "anti-entropy";

  /** Room in a frame beyond the largest object: the message around it, the other fields. */
  private static final long FRAME_OVERHEAD = 2L * 1024 * 1024;

  /**
   * Adds the store's channels unless the caller declared them ({@code request} with the configured
   * parallelism, {@code handoff} and {@code anti-entropy} as bulk), and raises the frame limit so
   * the largest object fits in one message.
   */
  public static RuntimeConfig declare(RuntimeConfig.Builder b, KvConfig config) {
    RuntimeConfig probe = b.build();
    long frame = config.maxObjectBytes() + FRAME_OVERHEAD;
    if (frame > Integer.MAX_VALUE - 1024) {
      throw new IllegalArgumentException("maxValueBytes too large for one frame");
    }
    if (probe.transport().maxFrameBytes() < frame) {
      b.maxFrameBytes((int) frame);
    }
    if (!probe.channels().containsKey(REQUEST)) {
      b.channel(
          ChannelSpec.named(REQUEST)
              .withParallelism(config.requestParallelism())
              .withMaxQueuedBytes(Math.max(ChannelSpec.DEFAULT_MAX_QUEUED_BYTES, 2 * frame)));
    }
    if (!probe.channels().containsKey(HANDOFF)) {
      b.channel(ChannelSpec.named(HANDOFF).bulk());
    }
    if (!probe.channels().containsKey(ANTI_ENTROPY)) {
      b.channel(ChannelSpec.named(ANTI_ENTROPY).bulk());
    }
    return b.build();
  }
}
