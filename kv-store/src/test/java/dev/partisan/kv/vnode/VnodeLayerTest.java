package dev.partisan.kv.vnode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.partisan.kv.backend.BulkWriteMode;
import dev.partisan.kv.backend.MemoryBackend;
import dev.partisan.kv.vnode.HandoffData.HandoffAck;
import dev.partisan.kv.vnode.HandoffData.HandoffBatch;
import dev.partisan.kv.vnode.HandoffData.HandoffItem;
import dev.partisan.kv.vnode.VnodeControl.Ack;
import dev.partisan.kv.vnode.VnodeControl.BeginHandoff;
import dev.partisan.kv.vnode.VnodeControl.DirtyKeys;
import dev.partisan.kv.vnode.VnodeControl.Seal;
import dev.partisan.kv.vnode.VnodeControl.TakeDirty;
import dev.partisan.kv.wire.KvTypes;
import dev.partisan.runtime.ActorContext;
import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.PartisanRuntime;
import dev.partisan.runtime.channel.TrafficClass;
import dev.partisan.runtime.testing.TestCluster;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The generic vnode layer with a behaviour that only records what reaches it: the lifecycle
 * (mailbox order, the handoff's dirty set, sealing) holds whatever the partition's data means.
 */
class VnodeLayerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** A request of a made-up protocol; refused with a string naming the reason. */
  record Probe(long reqId, int partition, String key) implements VnodeRequest {
    @Override
    public Object refusal(Refusal why, String message, String node) {
      return "refused " + why;
    }

    @Override
    public byte[] storageKey() {
      return key.getBytes(StandardCharsets.UTF_8);
    }
  }

  /** Records every call, in order; every request and handed-off item writes its key. */
  final class Recording implements VnodeBehaviour {
    final List<String> seen = new CopyOnWriteArrayList<>();
    private final VnodeLifecycle vnode;

    Recording(VnodeLifecycle vnode) {
      this.vnode = vnode;
    }

    @Override
    public void serve(ActorContext ctx, VnodeRequest request, String replyAs) {
      String key = ((Probe) request).key();
      serveThreads.add(Thread.currentThread().getName());
      seen.add("request " + key);
      vnode.written(key.getBytes(StandardCharsets.UTF_8));
      ctx.reply("served " + key);
    }

    /** On the bulk pool: waits at the gate while it is closed; the vnode then records the key. */
    @Override
    public HandoffMerge mergeHandoff(HandoffItem item) {
      String key = new String(item.key(), StandardCharsets.UTF_8);
      applyThreads.add(Thread.currentThread().getName());
      applying.countDown();
      try {
        if (!gate.await(20, TimeUnit.SECONDS)) {
          throw new IllegalStateException("gate never opened");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      seen.add("handoff " + key);
      return new HandoffMerge(item.value(), () -> vnode.written(item.key()));
    }

    @Override
    public void drop(ActorContext ctx) {
      seen.add("drop");
    }

    @Override
    public boolean busy() {
      return false;
    }

    @Override
    public VnodeInfo.Details details() {
      return null;
    }

    @Override
    public boolean handle(ActorContext ctx, Object message) {
      return false;
    }
  }

  /** Closed by a test to hold handoff applies on the pool; open by default. */
  private volatile CountDownLatch gate = new CountDownLatch(0);

  private final CountDownLatch applying = new CountDownLatch(1);
  private final List<String> applyThreads = new CopyOnWriteArrayList<>();
  private final List<String> serveThreads = new CopyOnWriteArrayList<>();

  private TestCluster net;
  private PartisanRuntime runtime;
  private VnodeExecutors executors;
  private VnodeManager vnodes;
  private final List<Recording> behaviours = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    net = new TestCluster(KvTypes::register);
    runtime = net.start("solo");
    executors = new VnodeExecutors("solo", 2, 1, TrafficClass.BULK);
    vnodes =
        new VnodeManager(
            runtime,
            new MemoryBackend(),
            "default",
            100,
            Duration.ofSeconds(1),
            BulkWriteMode.WAL,
            (partition, vnode) -> {
              Recording r = new Recording(vnode);
              behaviours.add(r);
              return r;
            },
            executors);
  }

  @AfterEach
  void stop() {
    gate.countDown();
    net.close();
    executors.close();
  }

  private static HandoffBatch batch(long seq, String key) {
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    return new HandoffBatch(1, 0, seq, List.of(new HandoffItem(k, new byte[] {1})));
  }

  private Object ask(ActorRef vnode, Object message) {
    return runtime.ask(vnode, message, WAIT).orTimeout(10, TimeUnit.SECONDS).join();
  }

  @Test
  void requestsAndHandedOffObjectsOfOneKeyReachTheBehaviourInMailboxOrder() {
    ActorRef vnode = vnodes.ensure(0);
    runtime.tell(vnode, new Probe(1, 0, "k1"));
    runtime.tell(vnode, batch(1, "k1"));
    runtime.tell(vnode, new Probe(2, 0, "k1"));
    runtime.tell(vnode, batch(2, "k1"));
    runtime.tell(vnode, new Probe(3, 0, "k1"));
    Recording behaviour = behaviours.get(0);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(behaviour.seen)
                    .containsExactly(
                        "request k1", "handoff k1", "request k1", "handoff k1", "request k1"));
  }

  @Test
  void whileTheBulkPoolIsBlockedInABatchOtherKeysAreServedAndItsKeysWait() {
    gate = new CountDownLatch(1);
    ActorRef vnode = vnodes.ensure(0);
    CompletableFuture<Object> ack = runtime.ask(vnode, batch(1, "k1"), WAIT);
    await().atMost(WAIT).until(() -> applying.getCount() == 0);
    assertThat(applyThreads).allMatch(t -> t.startsWith("kv-bulk-solo-"));

    CompletableFuture<Object> sameKey = runtime.ask(vnode, new Probe(1, 0, "k1"), WAIT);
    // Sent after the request for k1, answered while the apply of k1 still blocks the pool.
    assertThat(ask(vnode, new Probe(2, 0, "other"))).isEqualTo("served other");
    assertThat(sameKey).isNotDone();
    assertThat(ack).isNotDone();
    assertThat(behaviours.get(0).seen).containsExactly("request other");

    gate.countDown();
    assertThat(ack.orTimeout(10, TimeUnit.SECONDS).join())
        .isEqualTo(new HandoffAck(1, 1, true, null));
    assertThat(sameKey.orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo("served k1");
    assertThat(behaviours.get(0).seen).containsExactly("request other", "handoff k1", "request k1");
  }

  @Test
  void aRequestDoesNotOvertakeABatchOfItsKeyThatWaitsBehindAnother() {
    gate = new CountDownLatch(1);
    ActorRef vnode = vnodes.ensure(0);
    CompletableFuture<Object> first = runtime.ask(vnode, batch(1, "k1"), WAIT);
    await().atMost(WAIT).until(() -> applying.getCount() == 0);
    CompletableFuture<Object> second = runtime.ask(vnode, batch(2, "k2"), WAIT);
    CompletableFuture<Object> k2 = runtime.ask(vnode, new Probe(1, 0, "k2"), WAIT);
    assertThat(ask(vnode, new Probe(2, 0, "other"))).isEqualTo("served other");
    assertThat(k2).isNotDone();

    gate.countDown();
    assertThat(k2.orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo("served k2");
    assertThat(first.join()).isEqualTo(new HandoffAck(1, 1, true, null));
    assertThat(second.join()).isEqualTo(new HandoffAck(1, 2, true, null));
    assertThat(behaviours.get(0).seen)
        .containsExactly("request other", "handoff k1", "handoff k2", "request k2");
  }

  @Test
  void aSealWaitsForTheBatchUnderWayAndItsKeysAreDirty() {
    ActorRef vnode = vnodes.ensure(0);
    assertThat(((Ack) ask(vnode, new BeginHandoff(7, "elsewhere"))).ok()).isTrue();
    gate = new CountDownLatch(1);
    CompletableFuture<Object> ack = runtime.ask(vnode, batch(1, "k1"), WAIT);
    await().atMost(WAIT).until(() -> applying.getCount() == 0);
    CompletableFuture<Object> sealed = runtime.ask(vnode, new Seal(7), WAIT);
    // The seal waits: sealing now would miss k1, which the pool is writing.
    assertThat(ask(vnode, new Probe(1, 0, "other"))).isEqualTo("served other");
    assertThat(sealed).isNotDone();

    gate.countDown();
    assertThat(((HandoffAck) ack.orTimeout(10, TimeUnit.SECONDS).join()).ok()).isTrue();
    DirtyKeys dirty = (DirtyKeys) sealed.orTimeout(10, TimeUnit.SECONDS).join();
    assertThat(dirty.keys())
        .containsKeys(
            ByteBuffer.wrap("k1".getBytes(StandardCharsets.UTF_8)),
            ByteBuffer.wrap("other".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void whileHandingOffTheBehavioursWritesAreRecordedAndOnceSealedRequestsLeave() {
    ActorRef vnode = vnodes.ensure(0);
    assertThat(((Ack) ask(vnode, new BeginHandoff(7, "elsewhere"))).ok()).isTrue();
    assertThat(vnodes.infos().get(0).mode()).isEqualTo("handoff");
    assertThat(ask(vnode, new Probe(1, 0, "x"))).isEqualTo("served x");
    DirtyKeys dirty = (DirtyKeys) ask(vnode, new TakeDirty(7));
    assertThat(dirty.keys()).containsKey(ByteBuffer.wrap("x".getBytes(StandardCharsets.UTF_8)));

    assertThat(((DirtyKeys) ask(vnode, new Seal(7))).keys()).hasSize(1);
    assertThat(vnodes.infos().get(0).mode()).isEqualTo("sealed");
    // The target is not reachable from here: the sealed vnode refuses rather than serve.
    assertThat(ask(vnode, new Probe(2, 0, "y"))).isEqualTo("refused REJECTED");
    assertThat(behaviours.get(0).seen).doesNotContain("request y");
    assertThat(Collections.frequency(behaviours.get(0).seen, "request x")).isEqualTo(1);
  }
}
