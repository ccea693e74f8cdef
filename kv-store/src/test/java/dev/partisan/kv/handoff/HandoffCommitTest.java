package dev.partisan.kv.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partisan.kv.HandoffType;
import dev.partisan.kv.KvChannels;
import dev.partisan.kv.KvConfig;
import dev.partisan.kv.KvNode;
import dev.partisan.kv.TransferInfo;
import dev.partisan.kv.handoff.HandoffMessages.HandoffCommit;
import dev.partisan.kv.handoff.HandoffMessages.HandoffCommitted;
import dev.partisan.kv.handoff.HandoffMessages.HandoffFinish;
import dev.partisan.kv.handoff.HandoffMessages.HandoffStart;
import dev.partisan.kv.handoff.HandoffMessages.HandoffStartReply;
import dev.partisan.kv.vnode.HandoffData.HandoffAck;
import dev.partisan.kv.vnode.HandoffData.HandoffBatch;
import dev.partisan.kv.vnode.VnodeControl.AbortHandoff;
import dev.partisan.kv.vnode.VnodeControl.Ack;
import dev.partisan.kv.vnode.VnodeControl.BeginHandoff;
import dev.partisan.kv.wire.KvTypes;
import dev.partisan.runtime.ActorContext;
import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.PartisanRuntime;
import dev.partisan.runtime.testing.TestCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The sender's end of the commit step and of resuming, against a scripted receiver: the sender asks
 * for the commit only after the last batch is acknowledged, keeps its copy when the receiver cannot
 * make the data durable, and resumes after the acknowledged cursor only when the same life of the
 * receiver (the incarnation it reports when the attempt opens) acknowledged it. A receiver that
 * restarted so quickly that the sending node never saw it down must get everything again: with
 * {@code handoff.write_path=wal_off} it lost what it had not flushed.
 */
class HandoffCommitTest {
  private static final int PARTITION = 3;
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** Answers like a receiver's {@code kv-handoff}, as the test says; records what it got. */
  static final class ScriptedReceiver implements dev.partisan.runtime.Actor {
    final BlockingQueue<Object> got = new LinkedBlockingQueue<>();
    final AtomicLong incarnation = new AtomicLong(111);
    volatile boolean durable = true;

    @Override
    public void receive(ActorContext ctx, Object message) {
      got.add(message);
      switch (message) {
        case HandoffStart s ->
            ctx.reply(new HandoffStartReply(s.id(), true, null, incarnation.get()));
        case HandoffBatch b -> ctx.reply(new HandoffAck(b.id(), b.seq(), true, null));
        case HandoffCommit c ->
            ctx.reply(new HandoffCommitted(c.id(), durable, durable ? null : "disk full"));
        default -> {}
      }
    }
  }

  @Test
  void aSenderResumesOnlyWithTheReceiverLifeThatAcknowledgedAndDropsOnlyAfterTheCommit()
      throws Exception {
    KvConfig config =
        KvConfig.builder().ringSize(8).handoffBatch(10, 1 << 20).aaeEnabled(false).build();
    try (TestCluster net = new TestCluster(KvTypes::register);
        KvNode sender = KvNode.start(config, net.builder("sender"))) {
      PartisanRuntime receiverRuntime =
          net.start(KvChannels.declare(net.builder("receiver"), config));
      ScriptedReceiver receiver = new ScriptedReceiver();
      receiverRuntime.spawn(HandoffMessages.RECEIVER, receiver);
      receiverRuntime
          .join(sender.runtime().self().host(), sender.runtime().self().port())
          .orTimeout(10, TimeUnit.SECONDS)
          .join();
      TestCluster.awaitFullMembership(List.of(sender.runtime(), receiverRuntime));
      for (int i = 0; i < 60; i++) {
        sender.backend().put(PARTITION, key(i), new byte[] {(byte) i});
      }
      // An earlier attempt to "receiver" was interrupted after key 29: the vnode kept the keys
      // written since (none), so the next attempt may resume after key 29.
      ActorRef vnode = sender.vnodes().ensure(PARTITION);
      assertThat(((Ack) ask(sender, vnode, new BeginHandoff(1, "receiver"))).ok()).isTrue();
      ask(sender, vnode, new AbortHandoff(1, false));

      // The receiver restarted since (it reports incarnation 222, not 111): start over. It then
      // cannot make the data durable: the sender keeps its copy.
      receiver.incarnation.set(222);
      receiver.durable = false;
      AttemptOutcome refused = attempt(sender, 2, key(29), 111);
      assertThat(refused.ok()).isFalse();
      assertThat(refused.error()).contains("durable").contains("disk full");
      assertThat(refused.receiverIncarnation()).isEqualTo(222);
      List<Object> first = drain(receiver);
      assertThat(firstKeyOf(first)).as("started over").isEqualTo(key(0));
      assertThat(sender.backend().isEmpty(PARTITION)).as("copy kept").isFalse();
      assertThat(sender.vnodes().infos().get(PARTITION).mode()).isEqualTo("handoff");

      // The same life answers the next attempt: it resumes after the cursor, commits, drops.
      receiver.durable = true;
      AttemptOutcome done = attempt(sender, 3, key(29), 222);
      assertThat(done.ok()).as(String.valueOf(done.error())).isTrue();
      List<Object> second = drain(receiver);
      assertThat(firstKeyOf(second)).as("resumed").isEqualTo(key(30));
      // The commit comes after the last batch and before the finish.
      Object last = second.get(second.size() - 1);
      assertThat(last).isEqualTo(new HandoffFinish(3, PARTITION, true));
      assertThat(second.get(second.size() - 2)).isEqualTo(new HandoffCommit(3, PARTITION));
      assertThat(sender.backend().isEmpty(PARTITION)).as("dropped after the commit").isTrue();
    }
  }

  private static byte[] key(int i) {
    return String.format("k%02d", i).getBytes(StandardCharsets.UTF_8);
  }

  private static Object ask(KvNode node, ActorRef to, Object message) {
    return node.runtime().ask(to, message, WAIT).orTimeout(10, TimeUnit.SECONDS).join();
  }

  /** Runs one attempt of a hinted transfer of PARTITION to "receiver" and returns how it ended. */
  private static AttemptOutcome attempt(
      KvNode node, long id, byte[] resumeAfter, long resumeIncarnation)
      throws InterruptedException {
    BlockingQueue<Object> outcomes = new LinkedBlockingQueue<>();
    ActorRef manager = node.runtime().spawn("manager-" + id, (ctx, m) -> outcomes.add(m));
    Progress progress =
        new Progress(
            id,
            PARTITION,
            "sender",
            "receiver",
            HandoffType.HINTED,
            TransferInfo.Direction.OUTBOUND,
            2,
            null);
    HandoffSender sender =
        new HandoffSender(
            node.runtime(),
            node.vnodes(),
            node.config().handoff(),
            new HandoffThrottle(0),
            progress,
            manager,
            resumeAfter,
            false,
            resumeIncarnation);
    ActorRef ref = node.runtime().spawn("kv-handoff-out-" + id, sender, 1024);
    node.runtime().tell(ref, new HandoffSender.Start());
    Object outcome = outcomes.poll(20, TimeUnit.SECONDS);
    assertThat(outcome).isInstanceOf(AttemptOutcome.class);
    return (AttemptOutcome) outcome;
  }

  /** What the receiver got in the attempt that just ended (its finish included). */
  private static List<Object> drain(ScriptedReceiver receiver) throws InterruptedException {
    List<Object> got = new java.util.ArrayList<>();
    Object m;
    while ((m = receiver.got.poll(2, TimeUnit.SECONDS)) != null) {
      got.add(m);
      if (m instanceof HandoffFinish) {
        break;
      }
    }
    return got;
  }

  private static byte[] firstKeyOf(List<Object> got) {
    return got.stream()
        .filter(HandoffBatch.class::isInstance)
        .map(m -> ((HandoffBatch) m).items().get(0).key())
        .findFirst()
        .orElseThrow();
  }
}
