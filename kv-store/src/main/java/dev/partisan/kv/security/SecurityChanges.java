package dev.partisan.kv.security;

import dev.partisan.kv.security.SecurityState.Source;
import dev.partisan.kv.security.SecurityValues.UserValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The checks {@link SecurityService} makes before a change. Stateless. */
final class SecurityChanges {
  private SecurityChanges() {}

  static UserValue existingUser(SecurityState s, String name) {
    String n = SecurityNames.text("user name", name);
    UserValue u = s.users().get(n);
    if (u == null) {
      throw new IllegalArgumentException("unknown user '" + n + "'");
    }
    return u;
  }

  /** The users named, each existing (or {@code all}); at least one. */
  static List<String> usersOrAll(SecurityState s, List<String> users) {
    if (users == null || users.isEmpty()) {
      throw new IllegalArgumentException("no users given (name users, or all)");
    }
    List<String> names = new ArrayList<>();
    for (String u : users) {
      String n = SecurityNames.text("user name", u);
      if (!n.equals(SecurityNames.ALL)) {
        existingUser(s, n);
      }
      if (!names.contains(n)) {
        names.add(n);
      }
    }
    return names;
  }

  /**
   * The hash of {@code options}' password; null when there is none and it is not {@code required}.
   * Only {@code password} is known: Riak's groups are not supported.
   */
  static PasswordHash password(Map<String, String> options, boolean required) {
    Map<String, String> o = options == null ? Map.of() : options;
    for (String key : o.keySet()) {
      if (key.equals("groups")) {
        throw new IllegalArgumentException("groups are not supported (grant to users, or all)");
      }
      if (!key.equals("password")) {
        throw new IllegalArgumentException(
            "unknown user option '" + SecurityNames.printable(key) + "' (known: password)");
      }
    }
    String password = o.get("password");
    if (password == null) {
      if (required) {
        throw new IllegalArgumentException("nothing to change: give password=...");
      }
      return null;
    }
    if (password.isEmpty()) {
      throw new IllegalArgumentException("the password is empty");
    }
    return Passwords.hash(password.toCharArray());
  }

  /**
   * True if some user holds {@code partisan.admin} on any (themselves or through {@code all}) and
   * the sources could authenticate them from somewhere: a trust or certificate source, or a
   * password source while they have a password.
   */
  static boolean hasReachableAdmin(SecurityState s) {
    for (UserValue u : s.users().values()) {
      if (!s.allows(u.name(), Permission.PARTISAN_ADMIN, null, null)) {
        continue;
      }
      for (Source src : s.sources()) {
        boolean theirs = src.user().equals(u.name()) || src.user().equals(SecurityNames.ALL);
        if (theirs && (src.method() != AuthMethod.PASSWORD || u.password() != null)) {
          return true;
        }
      }
    }
    return false;
  }
}
