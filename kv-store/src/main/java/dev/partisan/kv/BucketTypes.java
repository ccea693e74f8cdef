package dev.partisan.kv;

import dev.partisan.kv.BucketTypeException.Reason;
import dev.partisan.kv.ring.BucketRegistry;
import dev.partisan.kv.ring.BucketTypeEntry;
import dev.partisan.kv.ring.RingManager;
import dev.partisan.kv.ring.RingMessages.TypeProbe;
import dev.partisan.kv.ring.RingMessages.TypeProbeReply;
import dev.partisan.kv.ring.RingView;
import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.PartisanRuntime;
import dev.partisan.runtime.SendOptions;
import dev.partisan.runtime.channel.ChannelSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The cluster's bucket types, as {@code riak-admin bucket-type} manages them: create, activate,
 * update, list, status. Types are spread with the ring gossip and persisted by the ring manager;
 * this class validates changes, stamps them and asks the ring manager to spread them.
 *
 * <p>Rules (Riak's): {@code default} always exists, is active and is not created or updated here
 * (its properties are the node's bucket defaults); a type can be created again while it is not
 * active; activation needs every ring member to know the type's current version (asked over the
 * wire; a member that is down or has not heard of it yet refuses activation, try again); only an
 * active type can be updated; {@code datatype}, {@code consistent} and {@code write_once} are fixed
 * at creation; a type with a data type keeps siblings ({@code allow_mult} true).
 *
 * <p>Stateless apart from the shared registry; any thread.
 */
public final class BucketTypes {
  static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);
  private static final int MAX_NAME_BYTES = 255;

  private final PartisanRuntime runtime;
  private final Supplier<RingView> ring;
  private final BucketRegistry registry;
  private final LongSupplier stamps;
  private final Runnable changed;

  BucketTypes(
      PartisanRuntime runtime,
      Supplier<RingView> ring,
      BucketRegistry registry,
      LongSupplier stamps,
      Runnable changed) {
    this.runtime = runtime;
    this.ring = ring;
    this.registry = registry;
    this.stamps = stamps;
    this.changed = changed;
  }

  private String self() {
    return runtime.self().name();
  }

  /** Creates {@code name} (or replaces a created, not yet active one) with these properties. */
  public BucketType create(String name, BucketProps props) {
    checkName(name);
    Objects.requireNonNull(props, "props");
    Optional<BucketTypeEntry> old = registry.types().get(name);
    if (old.isPresent() && old.get().status() == BucketType.Status.ACTIVE) {
      throw new BucketTypeException(
          Reason.ALREADY_ACTIVE,
          "bucket type " + name + " is already active: use update to change its properties");
    }
    BucketProps p = props.datatype() == null ? props : props.withAllowMult(true);
    return store(
        new BucketTypeEntry(name, p, BucketType.Status.CREATED, stamps.getAsLong(), self()));
  }

  /** Changes an active type's properties; those fixed at creation must stay as they are. */
  public BucketType update(String name, BucketProps props) {
    Objects.requireNonNull(props, "props");
    BucketTypeEntry old = existing(name);
    if (old.status() != BucketType.Status.ACTIVE) {
      throw new BucketTypeException(
          Reason.NOT_ACTIVE, "bucket type " + name + " is not active: activate it first");
    }
    checkFixed("bucket type " + name, old.props(), props);
    return store(
        new BucketTypeEntry(name, props, BucketType.Status.ACTIVE, stamps.getAsLong(), self()));
  }

  /**
   * Activates a created type once every ring member knows it. Completes with the active type (at
   * once if it already is), or fails with a {@link BucketTypeException}: {@code NOT_FOUND}, or
   * {@code NOT_READY} naming the members that do not know it yet.
   */
  public CompletableFuture<BucketType> activate(String name) {
    BucketTypeEntry entry;
    try {
      entry = existing(name);
    } catch (BucketTypeException e) {
      return CompletableFuture.failedFuture(e);
    }
    if (entry.status() == BucketType.Status.ACTIVE) {
      return CompletableFuture.completedFuture(entry.toType());
    }
    List<CompletableFuture<String>> probes = new ArrayList<>();
    for (String member : ring.get().ring().members().keySet()) {
      if (!member.equals(self())) {
        probes.add(probe(member, entry));
      }
    }
    return CompletableFuture.allOf(probes.toArray(CompletableFuture[]::new))
        .thenApply(
            v -> {
              TreeSet<String> unaware = new TreeSet<>();
              probes.forEach(p -> Optional.ofNullable(p.join()).ifPresent(unaware::add));
              if (!unaware.isEmpty()) {
                throw new BucketTypeException(
                    Reason.NOT_READY,
                    name
                        + " has been created but cannot be activated yet: not known by "
                        + unaware);
              }
              return store(
                  new BucketTypeEntry(
                      name,
                      registry.types().get(name).orElse(entry).props(),
                      BucketType.Status.ACTIVE,
                      stamps.getAsLong(),
                      self()));
            });
  }

  /** Null when {@code member} knows the entry's version, else the member's name. */
  private CompletableFuture<String> probe(String member, BucketTypeEntry entry) {
    return runtime
        .ask(
            ActorRef.of(member, RingManager.NAME),
            new TypeProbe(entry.name(), entry.stamp()),
            PROBE_TIMEOUT,
            SendOptions.on(ChannelSpec.DEFAULT))
        .handle(
            (reply, e) ->
                e == null && reply instanceof TypeProbeReply r && r.known() ? null : member);
  }

  /** Every type, {@code default} first, then by name. */
  public List<BucketType> list() {
    List<BucketType> all = new ArrayList<>();
    all.add(defaultType());
    registry.types().entries().stream()
        .map(BucketTypeEntry::toType)
        .sorted(Comparator.comparing(BucketType::name))
        .forEach(all::add);
    return all;
  }

  /** The type named {@code name}, if it exists (created or active). */
  public Optional<BucketType> status(String name) {
    if (BucketType.DEFAULT.equals(name)) {
      return Optional.of(defaultType());
    }
    return registry.types().get(name).map(BucketTypeEntry::toType);
  }

  /**
   * Refuses a client request to a bucket of a type that is unknown or not active, with {@link
   * KvError#BUCKET_TYPE_UNKNOWN} (riak answers HTTP 404 "Unknown bucket type").
   */
  public void requireActive(byte[] type) {
    if (BucketRegistry.isDefaultType(type)) {
      return;
    }
    String name = BucketRegistry.typeName(type);
    Optional<BucketTypeEntry> e = name == null ? Optional.empty() : registry.types().get(name);
    if (e.isEmpty()) {
      throw new KvException(
          KvError.BUCKET_TYPE_UNKNOWN,
          "Unknown bucket type: "
              + (name == null
                  ? new BKey(type, new byte[] {0}, new byte[] {0}).typeString()
                  : name));
    }
    if (e.get().status() != BucketType.Status.ACTIVE) {
      throw new KvException(
          KvError.BUCKET_TYPE_UNKNOWN,
          "Unknown bucket type: " + name + " (created but not activated)");
    }
  }

  /**
   * Refuses a change of a property that is fixed when a bucket type is created ({@code datatype},
   * {@code consistent}, {@code write_once}), on the type or on one of its buckets.
   */
  static void checkFixed(String what, BucketProps current, BucketProps next) {
    if (!Objects.equals(current.datatype(), next.datatype())) {
      throw fixed(what, "datatype");
    }
    if (current.extras().consistent() != next.extras().consistent()) {
      throw fixed(what, "consistent");
    }
    if (current.extras().writeOnce() != next.extras().writeOnce()) {
      throw fixed(what, "write_once");
    }
  }

  private static BucketTypeException fixed(String what, String property) {
    return new BucketTypeException(
        Reason.INVALID,
        what
            + ": "
            + property
            + " can only be set when a bucket type is created"
            + " (riak-admin bucket-type create)");
  }

  private BucketType defaultType() {
    return new BucketType(BucketType.DEFAULT, registry.defaults(), BucketType.Status.ACTIVE);
  }

  private BucketTypeEntry existing(String name) {
    if (BucketType.DEFAULT.equals(name)) {
      throw new BucketTypeException(
          Reason.INVALID,
          "the default bucket type cannot be changed (its properties are the node's"
              + " bucket defaults)");
    }
    return registry
        .types()
        .get(name)
        .orElseThrow(
            () -> new BucketTypeException(Reason.NOT_FOUND, "no bucket type named " + name));
  }

  private static void checkName(String name) {
    if (name == null || name.isEmpty()) {
      throw new BucketTypeException(Reason.INVALID, "a bucket type needs a name");
    }
    if (BucketType.DEFAULT.equals(name)) {
      throw new BucketTypeException(
          Reason.INVALID, "the default bucket type always exists and cannot be created");
    }
    if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES
        || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '/')) {
      throw new BucketTypeException(
          Reason.INVALID,
          "a bucket type name must be at most "
              + MAX_NAME_BYTES
              + " bytes, without '/' or control characters");
    }
  }

  private BucketType store(BucketTypeEntry entry) {
    registry.types().merge(entry);
    changed.run();
    return registry.types().get(entry.name()).orElse(entry).toType();
  }
}
