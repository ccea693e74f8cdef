package dev.partisan.runtime.overlay;

import dev.partisan.runtime.ActorContext;
import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.overlay.HyParViewMessages.Connected;
import dev.partisan.runtime.overlay.HyParViewMessages.Disconnect;
import dev.partisan.runtime.overlay.HyParViewMessages.ForwardJoin;
import dev.partisan.runtime.overlay.HyParViewMessages.Gossip;
import dev.partisan.runtime.overlay.HyParViewMessages.Graft;
import dev.partisan.runtime.overlay.HyParViewMessages.IHave;
import dev.partisan.runtime.overlay.HyParViewMessages.Join;
import dev.partisan.runtime.overlay.HyParViewMessages.Neighbor;
import dev.partisan.runtime.overlay.HyParViewMessages.NeighborReply;
import dev.partisan.runtime.overlay.HyParViewMessages.Prune;
import dev.partisan.runtime.overlay.HyParViewMessages.Shuffle;
import dev.partisan.runtime.overlay.HyParViewMessages.ShuffleReply;
import dev.partisan.runtime.overlay.MembershipMessages.Broadcast;
import dev.partisan.runtime.overlay.MembershipMessages.Delta;
import dev.partisan.runtime.overlay.MembershipMessages.Member;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HyParView membership (Leitão, Pereira, Rodrigues 2007): a small symmetric <em>active view</em> of
 * neighbours this node keeps connections to and monitors, and a larger <em>passive view</em> of
 * known nodes to replace failed neighbours from. Joins spread by random walks (FORWARDJOIN);
 * shuffles refresh passive views; a failed neighbour is replaced by promoting a passive node
 * (NEIGHBOR, high priority when the active view is below its minimum, which keeps the graph
 * connected).
 *
 * <p>News about members travels by {@link Plumtree} over the active view. Unicast to a member that
 * is not a neighbour is routed: each node remembers, per origin, the neighbour through which that
 * origin's messages first reached it (the reverse of the broadcast tree, and of earlier routed
 * messages), and forwards along it; with no route, the message is flooded over the active view with
 * duplicate suppression, and the reply teaches both ends a route. Every hop is bounded by a TTL.
 *
 * <p>State is owned by the membership actor, except the volatile snapshot of the active view and
 * the route table (a concurrent map, written by event loops as routed messages arrive).
 */
public final class HyParViewOverlay extends MembershipOverlay<OverlaySettings.HyParView> {
  // Owned by the membership actor.
  private final Map<String, NodeId> active = new LinkedHashMap<>();
  private final Map<String, NodeId> passive = new LinkedHashMap<>();
  private final Plumtree plumtree;
  private String pendingNeighbor;
  private long pendingSince;
  // host.nanoTime() of the last shuffle; the first tick starts the period (building the overlay
  // reads no clock)
  private long lastShuffle;
  private boolean shuffleClockStarted;
  private long shuffleIds;
  private boolean deliveringTreeMessage;

  private volatile Set<String> activeSnapshot = Set.of();
  private final Map<String, String> routes = new ConcurrentHashMap<>();

  HyParViewOverlay(
      OverlayHost host, OverlaySettings.HyParView settings, FailureDetection failureDetection) {
    super(host, settings, failureDetection);
    this.plumtree =
        new Plumtree(
            host.self().name(),
            host.self().incarnation(),
            (peer, message) -> sendMembership(peer, message, nextKey()),
            this::onTreeDelivery,
            new Plumtree.Timings(
                settings.lazyPushInterval().toNanos(),
                settings.graftTimeout().toNanos(),
                settings.graftTimeoutMax().toNanos()),
            host::nanoTime,
            this::wakePlumtreeAfter,
            counters);
  }

  /** Plumtree's own wake-up: a message to the membership actor, which owns the tree. */
  private record PlumtreeTimer() {}

  private void wakePlumtreeAfter(long delayNanos) {
    tellSelfAfter(new PlumtreeTimer(), delayNanos);
  }

  // ------------------------------------------------------------------ topology

  @Override
  protected Collection<String> monitoredPeers() {
    return active.keySet();
  }

  @Override
  protected boolean isMonitored(String name) {
    return active.containsKey(name);
  }

  @Override
  public Route route(String destination) {
    Set<String> neighbours = activeSnapshot;
    if (neighbours.contains(destination)) {
      return Route.DIRECT;
    }
    if (neighbours.isEmpty()) {
      // Not in the overlay yet (or cut off): try a direct connection, as a joiner must.
      return Route.DIRECT;
    }
    String via = routes.get(destination);
    if (via != null && neighbours.contains(via)) {
      return new Route.Via(List.of(via));
    }
    return new Route.Via(List.copyOf(neighbours));
  }

  @Override
  public void observedPath(String origin, String via) {
    if (!origin.equals(via) && activeSnapshot.contains(via)) {
      routes.put(origin, via);
    }
  }

  @Override
  protected void disseminate(List<Member> changed, String except) {
    if (deliveringTreeMessage || changed.isEmpty()) {
      return; // the tree already carries it to everyone
    }
    plumtree.broadcast(new Delta(changed, false, false));
  }

  @Override
  protected void forwardBroadcast(Broadcast b, String except) {
    // Only the origin starts a Plumtree broadcast; relays happen inside the tree.
    if (b.origin().equals(host.self().name()) && except == null) {
      plumtree.broadcast(b);
    }
  }

  @Override
  public void broadcast(String actor, Object message) {
    super.broadcast(actor, message);
  }

  private void onTreeDelivery(Gossip g, String from) {
    if (from != null) {
      observedPath(g.origin(), from);
    }
    switch (g.payload()) {
      case Delta d -> {
        deliveringTreeMessage = true;
        try {
          absorb(d.members());
        } finally {
          deliveringTreeMessage = false;
        }
      }
      case Broadcast b -> {
        if (from != null) {
          acceptBroadcast(b);
        }
      }
      default -> {}
    }
  }

  @Override
  protected void announce(Member own) {
    plumtree.broadcast(new Delta(List.of(own), false, false));
  }

  // ------------------------------------------------------------------ protocol

  @Override
  protected void onContact(NodeId contact) {
    sendMembership(contact.name(), new Join(host.self()), nextKey());
  }

  @Override
  protected void onProtocolMessage(ActorContext ctx, Object message) {
    String from = ctx.sender() == null ? null : ctx.sender().node();
    switch (message) {
      case PlumtreeTimer t -> plumtree.onTimer();
      case Join j -> onJoin(j);
      case ForwardJoin f -> onForwardJoin(f, from);
      case Connected c -> addActive(c.node(), false);
      case Neighbor n -> onNeighbor(n);
      case NeighborReply r -> onNeighborReply(r);
      case Disconnect d -> onDisconnect(d);
      case Shuffle s -> onShuffle(s, from);
      case ShuffleReply r -> integrate(r.sample(), List.of());
      case Gossip g -> {
        if (from != null) {
          plumtree.onGossip(g, from);
        }
      }
      case IHave i -> {
        if (from != null) {
          plumtree.onIHave(i, from);
        }
      }
      case Graft g -> {
        if (from != null) {
          plumtree.onGraft(g, from);
        }
      }
      case Prune p -> {
        if (from != null) {
          plumtree.onPrune(from);
        }
      }
      default -> super.onProtocolMessage(ctx, message);
    }
    publishView();
  }

  private void onJoin(Join j) {
    NodeId n = j.node();
    addActive(n, true);
    for (String peer : List.copyOf(active.keySet())) {
      if (!peer.equals(n.name())) {
        sendMembership(peer, new ForwardJoin(n, settings.activeRandomWalkLength()), nextKey());
      }
    }
  }

  private void onForwardJoin(ForwardJoin f, String from) {
    NodeId n = f.node();
    if (n.name().equals(host.self().name())) {
      return;
    }
    if (f.ttl() <= 0 || active.size() <= 1) {
      addActive(n, true);
      return;
    }
    if (f.ttl() == settings.passiveRandomWalkLength()) {
      addPassive(n);
    }
    String next = randomActiveExcept(from, n.name());
    if (next == null) {
      addActive(n, true);
    } else {
      sendMembership(next, new ForwardJoin(n, f.ttl() - 1), nextKey());
    }
  }

  private void onNeighbor(Neighbor n) {
    boolean accept = n.highPriority() || active.size() < settings.activeViewSize();
    if (accept) {
      addActive(n.node(), false);
    }
    host.learn(n.node());
    sendMembership(n.node().name(), new NeighborReply(host.self(), accept), nextKey());
  }

  private void onNeighborReply(NeighborReply r) {
    if (r.node().name().equals(pendingNeighbor)) {
      pendingNeighbor = null;
    }
    if (r.accepted()) {
      addActive(r.node(), false);
    } else {
      passive.remove(r.node().name());
      passive.put(r.node().name(), r.node()); // to the back: try others first
    }
  }

  private void onDisconnect(Disconnect d) {
    if (active.remove(d.node().name()) != null) {
      plumtree.neighbourDown(d.node().name());
      dropRoutesVia(d.node().name());
      addPassive(d.node());
    }
  }

  private void onShuffle(Shuffle s, String from) {
    if (s.origin().name().equals(host.self().name())) {
      return;
    }
    if (s.ttl() > 1 && active.size() > 1) {
      String next = randomActiveExcept(from, s.origin().name());
      if (next != null) {
        sendMembership(next, new Shuffle(s.origin(), s.ttl() - 1, s.sample(), s.id()), nextKey());
        return;
      }
    }
    List<NodeId> reply = sample(passive.values(), s.sample().size());
    host.learn(s.origin());
    sendMembership(s.origin().name(), new ShuffleReply(reply, s.id()), nextKey());
    integrate(s.sample(), reply);
  }

  /** Adds shuffled entries to the passive view, evicting what we sent first when full. */
  private void integrate(List<NodeId> received, List<NodeId> sent) {
    List<NodeId> evictable = new ArrayList<>(sent);
    for (NodeId n : received) {
      String name = n.name();
      if (name.equals(host.self().name()) || active.containsKey(name)) {
        continue;
      }
      if (!isAliveMember(name) && set.get(name) != null) {
        continue; // known to have left
      }
      if (passive.size() >= settings.passiveViewSize() && !passive.containsKey(name)) {
        NodeId victim = evictable.isEmpty() ? null : evictable.remove(0);
        if (victim != null && passive.remove(victim.name()) != null) {
          // made room with something we gave away
        } else {
          removeRandomPassive();
        }
      }
      passive.put(name, n);
    }
  }

  private void addActive(NodeId n, boolean notify) {
    String name = n.name();
    if (name.equals(host.self().name()) || active.containsKey(name)) {
      return;
    }
    if (active.size() >= settings.activeViewSize()) {
      String victim = randomActiveExcept(null, null);
      if (victim != null) {
        NodeId v = active.remove(victim);
        plumtree.neighbourDown(victim);
        dropRoutesVia(victim);
        sendMembership(victim, new Disconnect(host.self()), nextKey());
        addPassive(v);
      }
    }
    passive.remove(name);
    active.put(name, n);
    host.learn(n);
    host.touch(name);
    detector.alive(name);
    plumtree.neighbourUp(name);
    if (notify) {
      sendMembership(name, new Connected(host.self()), nextKey());
    }
    publishView();
  }

  private void addPassive(NodeId n) {
    String name = n.name();
    if (name.equals(host.self().name()) || active.containsKey(name) || passive.containsKey(name)) {
      return;
    }
    if (passive.size() >= settings.passiveViewSize()) {
      removeRandomPassive();
    }
    passive.put(name, n);
  }

  private void removeRandomPassive() {
    if (passive.isEmpty()) {
      return;
    }
    List<String> names = new ArrayList<>(passive.keySet());
    passive.remove(names.get(host.random().nextInt(names.size())));
  }

  private String randomActiveExcept(String a, String b) {
    List<String> candidates = new ArrayList<>();
    for (String n : active.keySet()) {
      if (!n.equals(a) && !n.equals(b)) {
        candidates.add(n);
      }
    }
    return candidates.isEmpty() ? null : candidates.get(host.random().nextInt(candidates.size()));
  }

  private List<NodeId> sample(Collection<NodeId> from, int n) {
    List<NodeId> all = new ArrayList<>(from);
    Collections.shuffle(all, host.random());
    return List.copyOf(all.subList(0, Math.min(n, all.size())));
  }

  private void dropRoutesVia(String neighbour) {
    routes.values().removeIf(v -> v.equals(neighbour));
  }

  // ------------------------------------------------------------------ failures and upkeep

  @Override
  protected void onMonitoredPeerDown(String name) {
    NodeId gone = active.remove(name);
    if (gone != null) {
      plumtree.neighbourDown(name);
      dropRoutesVia(name);
      host.disconnect(name);
    }
    publishView();
  }

  @Override
  protected void onMemberLeft(String name) {
    if (active.remove(name) != null) {
      plumtree.neighbourDown(name);
    }
    passive.remove(name);
    dropRoutesVia(name);
    routes.remove(name);
    publishView();
  }

  @Override
  protected void onTick(long now) {
    promoteIfNeeded(now);
    if (!shuffleClockStarted) {
      shuffleClockStarted = true;
      lastShuffle = now;
    }
    if (now - lastShuffle >= settings.shuffleInterval().toNanos() && !active.isEmpty()) {
      lastShuffle = now;
      shuffle();
    }
  }

  private void promoteIfNeeded(long now) {
    if (pendingNeighbor != null) {
      if (now - pendingSince < detectionTime.toNanos()) {
        return;
      }
      passive.remove(pendingNeighbor); // it did not answer: probably dead
      pendingNeighbor = null;
    }
    if (active.size() >= settings.activeViewSize() || passive.isEmpty()) {
      return;
    }
    List<NodeId> candidates = new ArrayList<>(passive.values());
    NodeId candidate = candidates.get(host.random().nextInt(candidates.size()));
    boolean high = active.size() < settings.activeViewMin();
    pendingNeighbor = candidate.name();
    pendingSince = now;
    host.learn(candidate);
    sendMembership(candidate.name(), new Neighbor(host.self(), high), nextKey());
  }

  private void shuffle() {
    String target = randomActiveExcept(null, null);
    if (target == null) {
      return;
    }
    List<NodeId> sample = new ArrayList<>();
    sample.add(host.self());
    sample.addAll(sample(active.values(), settings.shuffleActive()));
    sample.addAll(sample(passive.values(), settings.shufflePassive()));
    sendMembership(
        target,
        new Shuffle(host.self(), settings.activeRandomWalkLength(), sample, ++shuffleIds),
        nextKey());
  }

  /** After any change of the active view: routing sees it at once, the membership view soon. */
  private void publishView() {
    if (active.size() == activeSnapshot.size() && activeSnapshot.containsAll(active.keySet())) {
      return; // the common case after a protocol message: nothing to copy (13 % of a 10k sim)
    }
    Set<String> now = Set.copyOf(active.keySet());
    if (!now.equals(activeSnapshot)) {
      Set<String> changed = new HashSet<>(now);
      changed.addAll(activeSnapshot);
      changed.removeIf(n -> now.contains(n) && activeSnapshot.contains(n));
      activeSnapshot = now;
      monitoredChanged(changed);
    }
  }

  /** Passive view, for tests and operators. */
  public Set<String> passiveView() {
    return Set.copyOf(passive.keySet());
  }

  @Override
  public void close() {
    super.close();
  }
}
