package dev.partisan.runtime;

import dev.partisan.runtime.transport.NettyTransports;
import io.netty.channel.EventLoopGroup;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Where the node's work runs (the group {@code RuntimeConfig.executors()}).
 *
 * @param eventLoopThreads Netty event loops the node starts when it shares none
 * @param sharedEventLoopGroup event loops shared between in-process nodes, or null
 * @param bulkEventLoopThreads event loops of bulk channels ({@link
 *     dev.partisan.runtime.channel.TrafficClass#BULK}) the node starts when it shares none; none
 *     are started in baseline mode or when no channel is bulk
 * @param sharedBulkEventLoopGroup bulk event loops shared between in-process nodes, or null
 * @param sharedScheduler a timer shared between in-process nodes, or null
 * @param actorExecutor runs actors; null: virtual threads, reused across activations
 * @param mailboxCapacity the default bound of an actor's mailbox, in messages
 * @param transport the sockets of the event loops made here: one of {@link
 *     NettyTransports#CHOICES}; shared groups bring their own
 * @param eventLoopSpinMicros how long the latency event loops made here poll before they block when
 *     idle (0: they block at once; shared groups bring their own)
 */
public record ExecutorSettings(
    int eventLoopThreads,
    EventLoopGroup sharedEventLoopGroup,
    int bulkEventLoopThreads,
    EventLoopGroup sharedBulkEventLoopGroup,
    ScheduledExecutorService sharedScheduler,
    Executor actorExecutor,
    int mailboxCapacity,
    String transport,
    long eventLoopSpinMicros) {}
