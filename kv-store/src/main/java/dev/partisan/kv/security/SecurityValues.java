package dev.partisan.kv.security;

/**
 * The values of the security keys in the cluster metadata (wire records, see {@code KvTypes} ids
 * 2602-2605). Methods and permissions travel by name, so one this build does not know (from a newer
 * peer) is skipped, never misread.
 */
public final class SecurityValues {
  private SecurityValues() {}

  /** A user; {@code password} null for a user that only trust or certificate sources admit. */
  public record UserValue(String name, PasswordHash password) {}

  /**
   * A source: {@code user} ({@code all} for everyone) from {@code cidr} authenticates by method.
   */
  public record SourceValue(String user, String cidr, String method) {}

  /** One permission granted to {@code user} ({@code all}: everyone) on a scope. */
  public record GrantValue(String user, String type, String bucket, String permission) {}

  /** Whether security is enforced. */
  public record EnabledValue(boolean enabled) {}
}
