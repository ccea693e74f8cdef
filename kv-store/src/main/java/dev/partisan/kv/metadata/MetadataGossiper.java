package dev.partisan.kv.metadata;

import dev.partisan.kv.backend.MetaStore;
import dev.partisan.kv.metadata.MetadataMessages.MetadataGossip;
import dev.partisan.kv.metadata.MetadataMessages.MetadataTable;
import dev.partisan.runtime.Actor;
import dev.partisan.runtime.ActorContext;
import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.PartisanRuntime;
import dev.partisan.runtime.SendOptions;
import dev.partisan.runtime.channel.ChannelSpec;
import dev.partisan.runtime.overlay.MembershipEvent;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spreads and keeps the cluster metadata ({@link MetadataStore}): on every tick it sends the whole
 * store to one random ring member that is up; on a local change it persists the store and pushes it
 * to every ring member at once; a peer's gossip is merged and, if this node knows something the
 * peer lacks, answered with this node's store (push-pull), so a node that joins later or was down
 * catches up within a tick or two. Sent on the monotonic {@code membership} channel under one key,
 * so only the newest queued copy for a peer is ever sent. The store is small (users, sources,
 * grants), so whole copies are cheaper than digests to reason about.
 *
 * <p>State: the store is thread-safe and shared; the persisted table is written by this actor only.
 */
public final class MetadataGossiper implements Actor {
  public static final String NAME = "kv-metadata";
  private static final Logger log = LoggerFactory.getLogger(MetadataGossiper.class);
  private static final String META_KEY = "cluster-metadata";
  private static final String SEND_KEY = "cluster-metadata";

  /** Local: periodic anti-entropy with one random member. */
  public record Tick() {}

  /** Local: entries were written here; persist, push, then complete {@code done}. */
  public record Changed(CompletableFuture<Void> done) {}

  /** Local: a membership event from the overlay. */
  record Membership(MembershipEvent event) {}

  private final PartisanRuntime runtime;
  private final MetaStore meta;
  private final MetadataStore store;
  private final Supplier<Collection<String>> members;
  private final String self;

  /**
   * @param members the ring's members now (this node may be among them)
   */
  public MetadataGossiper(
      PartisanRuntime runtime,
      MetaStore meta,
      MetadataStore store,
      Supplier<Collection<String>> members) {
    this.runtime = runtime;
    this.meta = meta;
    this.store = store;
    this.members = members;
    this.self = runtime.self().name();
    load();
  }

  /** Called once the actor is spawned: follows membership to push to peers that come up. */
  public void start(ActorRef me) {
    runtime.overlay().subscribe(e -> runtime.tell(me, new Membership(e)));
  }

  @Override
  public void receive(ActorContext ctx, Object message) {
    switch (message) {
      case MetadataGossip g -> onGossip(ctx, g);
      case Changed c -> {
        persist();
        for (String peer : peers()) {
          send(peer);
        }
        c.done().complete(null);
      }
      case Tick t -> {
        List<String> peers = peers();
        if (!peers.isEmpty()) {
          send(peers.get(ThreadLocalRandom.current().nextInt(peers.size())));
        }
      }
      case Membership m -> {
        MembershipEvent e = m.event();
        String node = e.node().name();
        if ((e instanceof MembershipEvent.Up || e instanceof MembershipEvent.Joined)
            && !node.equals(self)
            && members.get().contains(node)) {
          send(node);
        }
      }
      default -> log.warn("metadata gossiper ignores {}", message.getClass().getSimpleName());
    }
  }

  private void onGossip(ActorContext ctx, MetadataGossip g) {
    boolean changed = false;
    for (MetadataEntry e : g.entries()) {
      if (e != null) {
        changed |= store.merge(e);
      }
    }
    if (changed) {
      persist();
    }
    if (ctx.sender() != null && store.hasNewerThan(g.entries())) {
      send(ctx.sender().node());
    }
  }

  private List<String> peers() {
    List<String> peers = new ArrayList<>();
    for (String member : members.get()) {
      if (!member.equals(self) && runtime.overlay().isUp(member)) {
        peers.add(member);
      }
    }
    return peers;
  }

  private void send(String node) {
    runtime.tell(
        ActorRef.of(node, NAME),
        new MetadataGossip(store.entries()),
        SendOptions.on(ChannelSpec.MEMBERSHIP)
            .key(SEND_KEY)
            .from(ActorRef.of(runtime.self(), NAME)));
  }

  private void persist() {
    try {
      meta.put(META_KEY, runtime.encode(new MetadataTable(store.entries())).body());
    } catch (RuntimeException e) {
      log.error("{}: could not persist the cluster metadata: {}", self, e.getMessage());
    }
  }

  /** Reads the persisted table back; an unreadable one is logged and relearnt from the peers. */
  private void load() {
    byte[] bytes = meta.get(META_KEY);
    if (bytes == null) {
      return;
    }
    try {
      int id = runtime.types().idOf(MetadataTable.class);
      MetadataTable table =
          (MetadataTable) runtime.types().decodeBody(id, Unpooled.wrappedBuffer(bytes));
      table.entries().forEach(store::merge);
    } catch (RuntimeException e) {
      log.error("{}: the stored cluster metadata is unreadable: {}", self, e.getMessage());
    }
  }
}
