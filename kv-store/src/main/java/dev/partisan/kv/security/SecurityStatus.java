package dev.partisan.kv.security;

import java.util.List;
import java.util.Set;

/**
 * What {@code admin security status} shows: whether security is enabled, the users (never their
 * password hashes), the sources in the order they are tried, and the grants. Immutable.
 */
public record SecurityStatus(
    boolean enabled, List<UserInfo> users, List<SourceInfo> sources, List<GrantInfo> grants) {
  public SecurityStatus {
    users = List.copyOf(users);
    sources = List.copyOf(sources);
    grants = List.copyOf(grants);
  }

  /** A user and whether it has a password. */
  public record UserInfo(String name, boolean hasPassword) {}

  /** A source: {@code user} ({@code all}: every user), network and method. */
  public record SourceInfo(String user, String cidr, AuthMethod method) {}

  /** The permissions {@code user} ({@code all}: every user) holds on {@code scope}. */
  public record GrantInfo(String user, Scope scope, Set<Permission> permissions) {
    public GrantInfo {
      permissions = Set.copyOf(permissions);
    }
  }
}
