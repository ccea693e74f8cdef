package dev.partisan.kv.security;

import dev.partisan.kv.metadata.MetadataEntry;
import dev.partisan.kv.security.SecurityValues.EnabledValue;
import dev.partisan.kv.security.SecurityValues.GrantValue;
import dev.partisan.kv.security.SecurityValues.SourceValue;
import dev.partisan.kv.security.SecurityValues.UserValue;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The security settings as of one version of the cluster metadata: users, sources in the order they
 * are tried, grants, and the enabled flag. Built from the {@code security/} entries; a value that
 * does not make sense (a damaged or foreign entry) is skipped. Immutable.
 */
record SecurityState(
    boolean enabled, Map<String, UserValue> users, List<Source> sources, List<Grant> grants) {
  static final String PREFIX = "security/";
  static final String ENABLED_KEY = PREFIX + "enabled";

  /** A source with its network parsed. */
  record Source(String user, Cidr cidr, AuthMethod method) {
    boolean matches(String name, InetAddress address) {
      return (user.equals(SecurityNames.ALL) || user.equals(name)) && cidr.contains(address);
    }
  }

  /** One permission granted to {@code user} on {@code scope}. */
  record Grant(String user, Scope scope, Permission permission) {}

  /**
   * Riak's order of trying sources: the most specific network first; between equally specific ones,
   * a user's own source before one for {@code all}.
   */
  static final Comparator<Source> TRY_ORDER =
      Comparator.comparingInt((Source s) -> -s.cidr().prefix())
          .thenComparing(s -> s.user().equals(SecurityNames.ALL))
          .thenComparing(Source::user)
          .thenComparing(s -> s.cidr().toString());

  static String userKey(String name) {
    return PREFIX + "user/" + name;
  }

  static String sourceKey(String user, Cidr cidr) {
    return PREFIX + "source/" + user + '\0' + cidr;
  }

  static String grantKey(String user, Scope scope, Permission p) {
    return PREFIX
        + "grant/"
        + user
        + '\0'
        + (scope.type() == null ? "" : scope.type())
        + '\0'
        + (scope.bucket() == null ? "" : scope.bucket())
        + '\0'
        + p.riakName();
  }

  static SecurityState of(List<MetadataEntry> entries) {
    boolean enabled = false;
    Map<String, UserValue> users = new TreeMap<>();
    List<Source> sources = new ArrayList<>();
    List<Grant> grants = new ArrayList<>();
    for (MetadataEntry e : entries) {
      if (!e.key().startsWith(PREFIX) || e.isTombstone()) {
        continue;
      }
      try {
        switch (e.value()) {
          case EnabledValue v -> enabled = v.enabled();
          case UserValue u -> users.put(SecurityNames.newUser(u.name()), u);
          case SourceValue s -> {
            AuthMethod m = AuthMethod.find(s.method());
            if (m != null) {
              sources.add(
                  new Source(SecurityNames.text("user", s.user()), Cidr.parse(s.cidr()), m));
            }
          }
          case GrantValue g -> {
            Permission p = Permission.find(g.permission());
            if (p != null) {
              grants.add(
                  new Grant(
                      SecurityNames.text("user", g.user()), new Scope(g.type(), g.bucket()), p));
            }
          }
          default -> {}
        }
      } catch (IllegalArgumentException | NullPointerException skipped) {
        // a value no valid command could have written: ignore it
      }
    }
    sources.sort(TRY_ORDER);
    return new SecurityState(enabled, users, List.copyOf(sources), List.copyOf(grants));
  }

  Optional<UserValue> user(String name) {
    return Optional.ofNullable(users.get(name));
  }

  /** The source that decides how {@code user} connecting from {@code address} authenticates. */
  Optional<Source> sourceFor(String user, InetAddress address) {
    return sources.stream().filter(s -> s.matches(user, address)).findFirst();
  }

  /** True if {@code user} (directly or through {@code all}) holds {@code p} covering the target. */
  boolean allows(String user, Permission p, byte[] type, byte[] bucket) {
    for (Grant g : grants) {
      if (g.permission() == p
          && (g.user().equals(user) || g.user().equals(SecurityNames.ALL))
          && g.scope().covers(type, bucket)) {
        return true;
      }
    }
    return false;
  }
}
