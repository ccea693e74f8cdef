package dev.partisan.runtime.monitor;

import dev.partisan.runtime.Actor;
import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.Down;
import dev.partisan.runtime.NodeDown;
import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.NodeUp;
import dev.partisan.runtime.SendOptions;
import dev.partisan.runtime.SendResult;
import dev.partisan.runtime.actor.ActorCell;
import dev.partisan.runtime.actor.ActorTable;
import dev.partisan.runtime.actor.Messenger;
import dev.partisan.runtime.channel.ChannelSpec;
import dev.partisan.runtime.codec.TypeRegistry;
import dev.partisan.runtime.overlay.MembershipEvent;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Monitors: a watcher is told {@link Down} when a watched actor stops or its node goes, and {@link
 * NodeDown}/{@link NodeUp} for a watched node. A local actor keeps its own watchers; a remote watch
 * is registered with the watched node's {@link #ACTOR} and remembered here, so that this node can
 * report the actor down when its node goes.
 *
 * <p>Threading: concurrent maps and sets. Callers and actors add watches; the overlay's actor
 * reports membership events; the {@link #ACTOR} actor registers remote watchers on local actors.
 */
public final class Monitors {
  /** The system actor that registers watches from other nodes on this node's actors. */
  public static final String ACTOR = "$monitor";

  /** Asks the watched actor's node to tell {@code watcher} when {@code watched} stops. */
  record MonitorRequest(String watched, ActorRef watcher) {}

  private record Watch(ActorRef watched, ActorRef watcher) {}

  private final NodeId self;
  private final ActorTable actors;
  private final Messenger messenger;
  private final Predicate<String> isUp;
  private final Map<String, Set<Watch>> remoteWatches = new ConcurrentHashMap<>();
  private final Map<String, Set<ActorRef>> nodeWatchers = new ConcurrentHashMap<>();

  /**
   * @param isUp whether the overlay considers a node up
   */
  public Monitors(NodeId self, ActorTable actors, Messenger messenger, Predicate<String> isUp) {
    this.self = self;
    this.actors = actors;
    this.messenger = messenger;
    this.isUp = isUp;
  }

  /** Registers the watch request's wire type (id 4, one of the runtime's own). */
  public static void register(TypeRegistry types) {
    types.register(4, MonitorRequest.class);
  }

  /** The behaviour of the {@link #ACTOR} system actor. */
  public Actor actor() {
    return (ctx, message) -> onMonitorRequest(message);
  }

  /** {@code watcher} receives a {@link Down} when {@code watched} stops or its node goes down. */
  public void monitor(ActorRef watcher, ActorRef watched) {
    if (watched.node().equals(self.name())) {
      ActorCell cell = actors.get(watched.name());
      if (cell == null) {
        tell(watcher, new Down(watched, "noproc"));
      } else {
        cell.watchers().add(watcher);
        if (cell.isStopped()) {
          tell(watcher, new Down(watched, "noproc"));
        }
      }
      return;
    }
    remoteWatches
        .computeIfAbsent(watched.node(), k -> ConcurrentHashMap.newKeySet())
        .add(new Watch(watched, watcher));
    SendResult r =
        messenger.tell(
            ActorRef.of(watched.node(), ACTOR),
            new MonitorRequest(watched.name(), watcher),
            SendOptions.on(ChannelSpec.MEMBERSHIP).key("monitor:" + watched.name() + watcher));
    if (!r.accepted() || !isUp.test(watched.node())) {
      fireRemoteDowns(watched.node(), "noconnection");
    }
  }

  /** {@code watcher} receives {@link NodeDown} and {@link NodeUp} for {@code node}. */
  public void monitorNode(ActorRef watcher, String node) {
    nodeWatchers.computeIfAbsent(node, k -> ConcurrentHashMap.newKeySet()).add(watcher);
  }

  private void onMonitorRequest(Object message) {
    if (message instanceof MonitorRequest req) {
      ActorCell cell = actors.get(req.watched());
      ActorRef watched = ActorRef.of(self, req.watched());
      if (cell == null || cell.isStopped()) {
        tell(req.watcher(), new Down(watched, "noproc"));
      } else {
        cell.watchers().add(req.watcher());
      }
    }
  }

  private void fireRemoteDowns(String node, String reason) {
    Set<Watch> watches = remoteWatches.remove(node);
    if (watches != null) {
      for (Watch w : watches) {
        tell(w.watcher(), new Down(w.watched(), reason));
      }
    }
  }

  /** Tells watchers what a membership change means for them (the overlay's actor). */
  public void membershipChanged(MembershipEvent event) {
    String node = event.node().name();
    Set<ActorRef> watchers = nodeWatchers.getOrDefault(node, Set.of());
    switch (event) {
      case MembershipEvent.Down d -> {
        fireRemoteDowns(node, "noconnection");
        watchers.forEach(w -> tell(w, new NodeDown(node, d.node().incarnation(), "down")));
      }
      case MembershipEvent.Left l -> {
        fireRemoteDowns(node, "noconnection");
        watchers.forEach(w -> tell(w, new NodeDown(node, l.node().incarnation(), "left")));
      }
      case MembershipEvent.Up u ->
          watchers.forEach(w -> tell(w, new NodeUp(node, u.node().incarnation())));
      case MembershipEvent.Joined j -> {
        // Actors watched on an earlier life of this node are gone.
        Set<Watch> watches = remoteWatches.get(node);
        if (watches != null) {
          watches.removeIf(
              w -> {
                long inc = w.watched().incarnation();
                if (inc != ActorRef.ANY_INCARNATION && inc < j.node().incarnation()) {
                  tell(w.watcher(), new Down(w.watched(), "noconnection"));
                  return true;
                }
                return false;
              });
        }
        watchers.forEach(w -> tell(w, new NodeUp(node, j.node().incarnation())));
      }
    }
  }

  /** A notice to a watcher, on the default channel. */
  private void tell(ActorRef watcher, Object notice) {
    messenger.tell(watcher, notice, SendOptions.DEFAULT);
  }
}
