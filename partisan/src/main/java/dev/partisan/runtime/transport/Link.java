package dev.partisan.runtime.transport;

import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.SendResult;
import dev.partisan.runtime.channel.LaneMetrics;
import dev.partisan.runtime.channel.TrafficClass;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The logical connection to one peer on one (wire channel, lane): a bounded outbound queue that
 * outlives the TCP connections carrying it. A reconnect or a tie-break swap changes {@link
 * #current} but keeps the queue and, on acknowledged channels, the unacknowledged messages, which
 * are resent first.
 *
 * <p>Threading: any thread may {@link #offer}; the queue is lock-free and bounded by an atomic byte
 * count. Everything else (current connection, dial state, unacknowledged messages, sequence
 * numbers) is guarded by this object's monitor, held only for short non-blocking sections on event
 * loops. Draining runs on the current connection's event loop.
 */
final class Link {
  private static final Logger log = LoggerFactory.getLogger(Link.class);

  final LinkKey key;
  final LaneMetrics metrics;
  final TrafficClass trafficClass; // of the wire channel: latency for everything in baseline mode
  private final boolean monotonic;
  private final long maxQueuedBytes;
  private final Queue<OutboundMessage> queue = new ConcurrentLinkedQueue<>();
  private final Map<Object, OutboundMessage> latestByKey; // monotonic links only
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  final EventLoop timerLoop;

  // Written under this object's monitor; read without it on the send path (volatile).
  private volatile Channel current;

  // Guarded by this.
  private NodeId currentPeer;
  private boolean currentDialedBySelf;
  private boolean dialing;
  private NodeId dialTarget; // the life our in-flight dial expects to reach
  private long backoffMillis;
  private boolean retransmitPending;
  private long nextSeq;
  private final ArrayDeque<OutboundMessage> unacked = new ArrayDeque<>();
  private boolean closed;

  Link(
      LinkKey key,
      boolean monotonic,
      long maxQueuedBytes,
      TrafficClass trafficClass,
      EventLoop timerLoop) {
    this.key = key;
    this.trafficClass = trafficClass;
    this.monotonic = monotonic;
    this.maxQueuedBytes = maxQueuedBytes;
    this.timerLoop = timerLoop;
    this.metrics = new LaneMetrics();
    this.latestByKey = monotonic ? new ConcurrentHashMap<>() : null;
  }

  /** Queues a message; never blocks. Takes ownership of the message's buffer. */
  SendResult offer(OutboundMessage m) {
    if (monotonic && m.conflationKey != null) {
      return offerConflating(m);
    }
    if (metrics.queuedBytes.addAndGet(m.cost) > maxQueuedBytes) {
      metrics.queuedBytes.addAndGet(-m.cost);
      metrics.rejected.increment();
      m.release();
      return SendResult.QUEUE_FULL;
    }
    metrics.queuedMessages.incrementAndGet();
    queue.add(m);
    return SendResult.OK;
  }

  private SendResult offerConflating(OutboundMessage m) {
    SendResult[] result = {SendResult.OK};
    latestByKey.compute(
        m.conflationKey,
        (k, previous) -> {
          long delta = previous == null ? m.cost : (long) m.cost - previous.cost;
          if (metrics.queuedBytes.addAndGet(delta) > maxQueuedBytes && delta > 0) {
            metrics.queuedBytes.addAndGet(-delta);
            metrics.rejected.increment();
            result[0] = SendResult.QUEUE_FULL;
            m.release();
            return previous;
          }
          if (previous == null) {
            metrics.queuedMessages.incrementAndGet();
            queue.add(m); // placeholder: the drain sends whatever is newest for the key
          } else {
            metrics.conflated.increment();
            result[0] = SendResult.CONFLATED;
            if (previous != m) {
              previous.release();
            }
          }
          return m;
        });
    return result[0];
  }

  private OutboundMessage poll() {
    while (true) {
      OutboundMessage head = queue.poll();
      if (head == null) {
        return null;
      }
      OutboundMessage m = head;
      if (monotonic && head.conflationKey != null) {
        m = latestByKey.remove(head.conflationKey);
        if (m == null) {
          continue;
        }
      }
      metrics.queuedMessages.decrementAndGet();
      metrics.queuedBytes.addAndGet(-m.cost);
      return m;
    }
  }

  boolean hasWork() {
    synchronized (this) {
      return !queue.isEmpty() || !unacked.isEmpty();
    }
  }

  boolean isConnected() {
    Channel ch = current;
    return ch != null && ch.isActive();
  }

  Channel current() {
    return current;
  }

  /** True when the queue is at its bound: a send can fail before paying for encoding. */
  boolean isFull() {
    return metrics.queuedBytes.get() >= maxQueuedBytes;
  }

  synchronized NodeId currentPeer() {
    return currentPeer;
  }

  synchronized boolean isDialing() {
    return dialing;
  }

  /** Claims the right to dial {@code target}; false if connected, already dialing, or closed. */
  synchronized boolean beginDial(NodeId target) {
    if (closed || dialing || (current != null && current.isActive())) {
      return false;
    }
    dialing = true;
    dialTarget = target;
    return true;
  }

  /** The dial failed or was rejected: returns the delay before the next attempt. */
  synchronized long dialFailed(long minBackoff, long maxBackoff) {
    dialing = false;
    backoffMillis = backoffMillis == 0 ? minBackoff : Math.min(maxBackoff, backoffMillis * 2);
    // Jitter spreads the redials of many links to one restarted peer.
    return backoffMillis / 2 + (long) (Math.random() * (backoffMillis / 2 + 1));
  }

  synchronized void dialFinished() {
    dialing = false;
  }

  synchronized boolean isClosed() {
    return closed;
  }

  /**
   * Decides whether a newly authenticated connection replaces the current one. Both ends apply the
   * same rule, so they agree without talking: a different peer incarnation always wins; a redial by
   * the same side replaces the connection that side gave up on; between two live connections dialed
   * by opposite sides, the one dialed by the node with the smaller name wins, and while the smaller
   * node is still dialing it refuses the larger node's attempt.
   */
  synchronized boolean tryAttach(
      Channel ch, NodeId peer, boolean dialedBySelf, boolean selfIsSmaller) {
    if (closed) {
      return false;
    }
    if (!dialedBySelf
        && dialing
        && selfIsSmaller
        && dialTarget != null
        && dialTarget.incarnation() >= peer.incarnation()) {
      return false; // our own dial to this life is in flight and will win the tie-break
    }
    Channel old = current;
    if (old != null && old.isActive() && old != ch) {
      boolean sameLife = currentPeer.incarnation() == peer.incarnation();
      if (sameLife && currentDialedBySelf != dialedBySelf) {
        boolean winnerDialedBySelf = selfIsSmaller;
        if (dialedBySelf != winnerDialedBySelf) {
          return false;
        }
      }
      if (!sameLife && peer.incarnation() < currentPeer.incarnation()) {
        return false; // an older life cannot displace a newer one
      }
      log.debug("{}: replacing connection {} with {}", key, old, ch);
      old.close();
    }
    if (currentPeer != null && currentPeer.incarnation() != peer.incarnation()) {
      // A new life of the peer has no use for messages meant for the old one's sequence space.
      nextSeq = 0;
    }
    current = ch;
    currentPeer = peer;
    currentDialedBySelf = dialedBySelf;
    backoffMillis = 0;
    if (dialedBySelf) {
      dialing = false;
    }
    retransmitPending = !unacked.isEmpty();
    scheduleDrain();
    return true;
  }

  synchronized void detach(Channel ch) {
    if (current == ch) {
      current = null;
    }
  }

  /** Closes the link for good: the peer left. Releases every queued buffer. */
  void close() {
    Channel ch;
    synchronized (this) {
      closed = true;
      ch = current;
      current = null;
      for (OutboundMessage m : unacked) {
        m.release();
      }
      unacked.clear();
      metrics.unacked.set(0);
    }
    OutboundMessage m;
    while ((m = poll()) != null) {
      m.release();
    }
    if (ch != null) {
      ch.close();
    }
  }

  void scheduleDrain() {
    if (drainScheduled.get()) {
      return; // the pending drain will see this message too
    }
    Channel ch = current;
    if (ch == null || !ch.isActive()) {
      return;
    }
    if (drainScheduled.compareAndSet(false, true)) {
      ch.eventLoop().execute(this::drain);
    }
  }

  /** Writes as much as the connection accepts now; resumes on writability change. */
  private void drain() {
    drainScheduled.set(false);
    synchronized (this) {
      Channel ch = current;
      if (ch == null || !ch.isActive()) {
        return;
      }
      boolean wrote = false;
      if (retransmitPending) {
        retransmitPending = false;
        for (OutboundMessage m : unacked) {
          ch.write(m.frame.retainedDuplicate(), ch.voidPromise());
          metrics.retransmitted.increment();
          wrote = true;
        }
      }
      long drainNanos = System.nanoTime(); // one clock read per drain, not per message
      while (ch.isWritable()) {
        OutboundMessage m = poll();
        if (m == null) {
          break;
        }
        metrics.messagesSent.increment();
        metrics.bytesSent.add(m.size);
        metrics.recordSendWait(drainNanos - m.createdNanos);
        if (m.ack) {
          m.seq = ++nextSeq;
          m.frame.setLong(m.seqOffset, m.seq);
          unacked.add(m);
          metrics.unacked.incrementAndGet();
          ch.write(m.frame.retainedDuplicate(), ch.voidPromise());
        } else {
          ch.write(m.frame, ch.voidPromise());
        }
        wrote = true;
      }
      if (wrote) {
        ch.flush();
      }
    }
  }

  /** The peer delivered every acknowledged message up to {@code seq}. */
  synchronized void acknowledged(long seq) {
    while (!unacked.isEmpty() && unacked.peekFirst().seq <= seq) {
      unacked.pollFirst().release();
      metrics.unacked.decrementAndGet();
    }
  }

  /**
   * Drops acknowledged-channel messages older than the deadline, queued or in flight, reporting
   * each to {@code onGiveUp}: retransmission is bounded in time.
   */
  void expireUnacked(long timeoutNanos, Consumer<Integer> onGiveUp) {
    int dropped = 0;
    long now = System.nanoTime();
    synchronized (this) {
      while (!unacked.isEmpty() && now - unacked.peekFirst().createdNanos > timeoutNanos) {
        unacked.pollFirst().release();
        metrics.unacked.decrementAndGet();
        dropped++;
      }
    }
    if (dropped > 0) {
      onGiveUp.accept(dropped);
    }
  }

  // Activity seen at the last idleSince() call, and when it last changed (housekeeping thread).
  private long lastActivityCount = -1;
  private long lastActivityNanos = System.nanoTime();

  /** How long this link has carried nothing, sampled by the housekeeping timer. */
  long idleSince(long now) {
    long count = metrics.messagesSent.sum() + metrics.messagesReceived.sum();
    if (count != lastActivityCount) {
      lastActivityCount = count;
      lastActivityNanos = now;
    }
    return now - lastActivityNanos;
  }

  synchronized int unackedCount() {
    return unacked.size();
  }

  void scheduleTimer(Runnable task, long delayMillis) {
    timerLoop.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
  }
}
