package dev.partisan.kv.security;

import dev.partisan.kv.metadata.ClusterMetadata;
import dev.partisan.kv.metadata.MetadataStore;
import dev.partisan.kv.security.SecurityState.Grant;
import dev.partisan.kv.security.SecurityState.Source;
import dev.partisan.kv.security.SecurityStatus.GrantInfo;
import dev.partisan.kv.security.SecurityStatus.SourceInfo;
import dev.partisan.kv.security.SecurityStatus.UserInfo;
import dev.partisan.kv.security.SecurityValues.EnabledValue;
import dev.partisan.kv.security.SecurityValues.GrantValue;
import dev.partisan.kv.security.SecurityValues.SourceValue;
import dev.partisan.kv.security.SecurityValues.UserValue;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Riak 2's security model over the cluster metadata: users (with PBKDF2 password hashes), sources
 * (who may authenticate from which network, and how), grants (permissions on any, a bucket type or
 * a bucket), and whether security is enabled. Every change is checked first and refused with an
 * {@link IllegalArgumentException} naming what is wrong (or, for {@link #enable}, an {@link
 * IllegalStateException}) before anything is written; an accepted change is applied on this node at
 * once and its future completes once it is persisted here and pushed to the other members, which
 * all converge on it (see docs/security.md).
 *
 * <p>Thread-safety: changes are serialised on this object, so each one is checked against the state
 * it applies to on this node; reads use an immutable {@link SecurityState} rebuilt when the
 * metadata has moved.
 */
public final class SecurityService {
  private final ClusterMetadata metadata;
  private final MetadataStore store;
  private final VerificationCache verified = new VerificationCache();
  // PBKDF2 computations done on this node: an operator's (and a test's) view of the cache at work.
  private final java.util.concurrent.atomic.LongAdder passwordChecks =
      new java.util.concurrent.atomic.LongAdder();
  private volatile Snapshot snapshot = new Snapshot(-1, null);

  private record Snapshot(long version, SecurityState state) {}

  public SecurityService(ClusterMetadata metadata) {
    this.metadata = metadata;
    this.store = metadata.store();
  }

  SecurityState state() {
    Snapshot s = snapshot;
    long version = store.version(); // read before the entries: a later change rebuilds again
    if (s.version() != version) {
      s = new Snapshot(version, SecurityState.of(store.entries()));
      snapshot = s;
    }
    return s.state();
  }

  // ------------------------------------------------------------------ request paths

  /** True if security is enforced (the request paths then authenticate and authorize). */
  public boolean enabled() {
    return state().enabled();
  }

  /**
   * Who {@code c} is, as Riak decides it: the user must exist; the first source (most specific
   * network first, a user's own before {@code all}) covering the user and address decides the
   * method: {@code trust} admits, {@code certificate} wants the verified certificate's common name
   * to be the user name, {@code password} checks the password against the stored hash.
   */
  public Authentication authenticate(Credentials c) {
    SecurityState s = state();
    Optional<UserValue> user = s.user(c.user());
    if (user.isEmpty()) {
      return Authentication.failed(Authentication.Failure.UNKNOWN_USER);
    }
    Optional<Source> source = s.sourceFor(c.user(), c.address());
    if (source.isEmpty()) {
      return Authentication.failed(Authentication.Failure.NO_MATCHING_SOURCE);
    }
    AuthMethod method = source.get().method();
    Principal principal = new Principal(c.user(), method);
    return switch (method) {
      case TRUST -> Authentication.ok(principal);
      case CERTIFICATE ->
          c.user().equals(c.certificateCommonName())
              ? Authentication.ok(principal)
              : Authentication.failed(Authentication.Failure.CERTIFICATE_MISMATCH);
      case PASSWORD ->
          passwordMatches(c.user(), c.password(), user.get().password())
              ? Authentication.ok(principal)
              : Authentication.failed(Authentication.Failure.BAD_PASSWORD);
    };
  }

  private boolean passwordMatches(String user, char[] password, PasswordHash stored) {
    if (password == null || password.length == 0 || stored == null) {
      return false;
    }
    if (verified.contains(user, password, stored)) {
      return true;
    }
    passwordChecks.increment();
    if (!Passwords.verify(password, stored)) {
      return false;
    }
    verified.add(user, password, stored);
    return true;
  }

  /**
   * True if {@code principal} (still a user) holds {@code permission}, granted to them or to {@code
   * all}, on a scope covering {@code bucket} of {@code bucketType}. Pass a null bucket for
   * operations on a bucket type (list buckets, get or set a type), and null for both for
   * cluster-wide ones ({@code partisan.admin}): only {@code on any} grants cover those.
   */
  public boolean authorize(
      Principal principal, Permission permission, byte[] bucketType, byte[] bucket) {
    SecurityState s = state();
    return s.users().containsKey(principal.user())
        && s.allows(principal.user(), permission, bucketType, bucket);
  }

  /**
   * How many passwords this node has checked with PBKDF2 since it started: requests answered from
   * the cache of successful checks do not count.
   */
  public long passwordChecks() {
    return passwordChecks.sum();
  }

  /** Users (without password hashes), sources in the order they are tried, grants, the flag. */
  public SecurityStatus status() {
    SecurityState s = state();
    List<UserInfo> users = new ArrayList<>();
    s.users().values().forEach(u -> users.add(new UserInfo(u.name(), u.password() != null)));
    List<SourceInfo> sources = new ArrayList<>();
    s.sources()
        .forEach(x -> sources.add(new SourceInfo(x.user(), x.cidr().toString(), x.method())));
    Map<String, Map<Scope, Set<Permission>>> byUser = new java.util.TreeMap<>();
    for (Grant g : s.grants()) {
      byUser
          .computeIfAbsent(g.user(), k -> new LinkedHashMap<>())
          .computeIfAbsent(g.scope(), k -> EnumSet.noneOf(Permission.class))
          .add(g.permission());
    }
    List<GrantInfo> grants = new ArrayList<>();
    byUser.forEach(
        (user, scopes) ->
            scopes.forEach((scope, ps) -> grants.add(new GrantInfo(user, scope, ps))));
    return new SecurityStatus(s.enabled(), users, sources, grants);
  }

  // ------------------------------------------------------------------ administration

  /**
   * Turns security on cluster-wide. Refused (IllegalStateException, nothing changed) unless some
   * user holds {@code partisan.admin} on {@code any} and has a source that can authenticate them,
   * so enabling can never lock every operator out of the admin endpoints.
   */
  public synchronized CompletableFuture<Void> enable() {
    if (!SecurityChanges.hasReachableAdmin(state())) {
      throw new IllegalStateException(
          "refusing to enable security: no user both holds partisan.admin on any and has a source"
              + " that can authenticate them (trust, certificate, or password for a user with a"
              + " password), so nobody could reach the admin endpoints afterwards; for example:"
              + " add-user admin password=..., add-source admin 127.0.0.1/32 password, grant"
              + " partisan.admin on any to admin");
    }
    return write(SecurityState.ENABLED_KEY, new EnabledValue(true));
  }

  /** Turns security off cluster-wide: requests are served without authentication again. */
  public synchronized CompletableFuture<Void> disable() {
    return write(SecurityState.ENABLED_KEY, new EnabledValue(false));
  }

  /** Riak's add-user: options {@code password=...} (optional); the user must not exist. */
  public synchronized CompletableFuture<Void> addUser(String name, Map<String, String> options) {
    String n = SecurityNames.newUser(name);
    if (state().users().containsKey(n)) {
      throw new IllegalArgumentException("user '" + n + "' already exists (use alter-user)");
    }
    PasswordHash password = SecurityChanges.password(options, false);
    return write(SecurityState.userKey(n), new UserValue(n, password));
  }

  /** Riak's alter-user: options {@code password=...} sets a new password. */
  public synchronized CompletableFuture<Void> alterUser(String name, Map<String, String> options) {
    UserValue old = SecurityChanges.existingUser(state(), name);
    PasswordHash password = SecurityChanges.password(options, true);
    return write(SecurityState.userKey(old.name()), new UserValue(old.name(), password));
  }

  /** Riak's del-user: the user, and every source and grant of theirs. */
  public synchronized CompletableFuture<Void> deleteUser(String name) {
    SecurityState s = state();
    String n = SecurityChanges.existingUser(s, name).name();
    Map<String, Object> changes = new LinkedHashMap<>();
    changes.put(SecurityState.userKey(n), null);
    s.sources().stream()
        .filter(x -> x.user().equals(n))
        .forEach(x -> changes.put(SecurityState.sourceKey(n, x.cidr()), null));
    s.grants().stream()
        .filter(g -> g.user().equals(n))
        .forEach(g -> changes.put(SecurityState.grantKey(n, g.scope(), g.permission()), null));
    return metadata.write(changes);
  }

  /**
   * Riak's add-source: {@code users} (existing users, or {@code all}) connecting from {@code cidr}
   * authenticate by {@code method} ({@code trust}, {@code password} or {@code certificate}).
   * Replaces a source of the same user and network. No options are supported yet.
   */
  public synchronized CompletableFuture<Void> addSource(
      List<String> users, String cidr, String method, Map<String, String> options) {
    List<String> names = SecurityChanges.usersOrAll(state(), users);
    Cidr network = Cidr.parse(cidr);
    AuthMethod m = AuthMethod.parse(method);
    if (options != null && !options.isEmpty()) {
      throw new IllegalArgumentException(
          "sources take no options (given: " + String.join(", ", options.keySet()) + ")");
    }
    Map<String, Object> changes = new LinkedHashMap<>();
    for (String u : names) {
      changes.put(
          SecurityState.sourceKey(u, network),
          new SourceValue(u, network.toString(), m.riakName()));
    }
    return metadata.write(changes);
  }

  /** Riak's del-source: the sources of {@code users} on {@code cidr}; each must exist. */
  public synchronized CompletableFuture<Void> deleteSource(List<String> users, String cidr) {
    SecurityState s = state();
    List<String> names = SecurityChanges.usersOrAll(s, users);
    Cidr network = Cidr.parse(cidr);
    Map<String, Object> changes = new LinkedHashMap<>();
    for (String u : names) {
      if (s.sources().stream().noneMatch(x -> x.user().equals(u) && x.cidr().equals(network))) {
        throw new IllegalArgumentException("there is no source for " + u + " on " + network);
      }
      changes.put(SecurityState.sourceKey(u, network), null);
    }
    return metadata.write(changes);
  }

  /** Riak's grant: {@code permissions} on {@code scope} to {@code users} (or {@code all}). */
  public synchronized CompletableFuture<Void> grant(
      Set<Permission> permissions, Scope scope, List<String> users) {
    return changeGrants(permissions, scope, users, true);
  }

  /**
   * Riak's revoke: takes back what {@link #grant} gave; revoking what was not granted is a no-op.
   */
  public synchronized CompletableFuture<Void> revoke(
      Set<Permission> permissions, Scope scope, List<String> users) {
    return changeGrants(permissions, scope, users, false);
  }

  private CompletableFuture<Void> changeGrants(
      Set<Permission> permissions, Scope scope, List<String> users, boolean grant) {
    SecurityState s = state();
    List<String> names = SecurityChanges.usersOrAll(s, users);
    if (permissions == null
        || permissions.isEmpty()
        || permissions.stream().anyMatch(java.util.Objects::isNull)) {
      throw new IllegalArgumentException("no permissions given");
    }
    if (scope == null) {
      throw new IllegalArgumentException("no scope given (any, TYPE or TYPE BUCKET)");
    }
    Map<String, Object> changes = new LinkedHashMap<>();
    for (String u : names) {
      for (Permission p : permissions) {
        if (grant) {
          changes.put(
              SecurityState.grantKey(u, scope, p),
              new GrantValue(u, scope.type(), scope.bucket(), p.riakName()));
        } else if (s.grants().contains(new Grant(u, scope, p))) {
          changes.put(SecurityState.grantKey(u, scope, p), null); // a tombstone only if needed
        }
      }
    }
    return metadata.write(changes);
  }

  private CompletableFuture<Void> write(String key, Object value) {
    Map<String, Object> change = new LinkedHashMap<>();
    change.put(key, value);
    return metadata.write(change);
  }
}
