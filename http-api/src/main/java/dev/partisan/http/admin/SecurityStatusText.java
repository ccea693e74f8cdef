package dev.partisan.http.admin;

import dev.partisan.kv.security.Permission;
import dev.partisan.kv.security.SecurityStatus;
import java.util.stream.Collectors;

/** The text of {@code admin security status}, like riak-admin's status and print commands. */
final class SecurityStatusText {
  private SecurityStatusText() {}

  static String of(SecurityStatus s) {
    StringBuilder t = new StringBuilder();
    t.append("Security: ").append(s.enabled() ? "enabled" : "disabled").append("\n\nUsers:\n");
    if (s.users().isEmpty()) {
      t.append("  (none)\n");
    }
    s.users()
        .forEach(
            u ->
                t.append("  ")
                    .append(u.name())
                    .append(u.hasPassword() ? " (password set)" : " (no password)")
                    .append('\n'));
    t.append("\nSources (tried in this order):\n");
    if (s.sources().isEmpty()) {
      t.append("  (none)\n");
    }
    s.sources()
        .forEach(
            x ->
                t.append("  ")
                    .append(x.user())
                    .append(' ')
                    .append(x.cidr())
                    .append(' ')
                    .append(x.method().riakName())
                    .append('\n'));
    t.append("\nGrants:\n");
    if (s.grants().isEmpty()) {
      t.append("  (none)\n");
    }
    s.grants()
        .forEach(
            g ->
                t.append("  ")
                    .append(
                        g.permissions().stream()
                            .map(Permission::riakName)
                            .sorted()
                            .collect(Collectors.joining(",")))
                    .append(" on ")
                    .append(g.scope())
                    .append(" to ")
                    .append(g.user())
                    .append('\n'));
    return t.toString();
  }
}
