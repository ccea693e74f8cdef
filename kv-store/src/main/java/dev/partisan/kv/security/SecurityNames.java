package dev.partisan.kv.security;

/** Checks of the names operators give (users, bucket types, buckets). Stateless. */
final class SecurityNames {
  /** The user name that stands for every user in sources and grants, as in Riak. */
  static final String ALL = "all";

  private static final int MAX_LENGTH = 256;

  private SecurityNames() {}

  /** A user name to create: non-empty, printable, not {@code all}. */
  static String newUser(String name) {
    String n = text("user name", name);
    if (n.equals(ALL)) {
      throw new IllegalArgumentException(
          "'all' is reserved: it stands for every user in sources and grants");
    }
    return n;
  }

  /** Non-empty, at most 256 characters, without control characters. */
  static String text(String what, String value) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(what + " is empty");
    }
    if (value.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(what + " is longer than " + MAX_LENGTH + " characters");
    }
    if (value.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(
          what + " '" + printable(value) + "' contains control characters");
    }
    return value;
  }

  /** {@code value} with control characters escaped, cut short, for an error message. */
  static String printable(String value) {
    if (value == null) {
      return "null";
    }
    StringBuilder b = new StringBuilder();
    value
        .codePoints()
        .limit(64)
        .forEach(
            c -> {
              if (Character.isISOControl(c)) {
                b.append(String.format("\\u%04x", c));
              } else {
                b.appendCodePoint(c);
              }
            });
    return value.length() > 64 ? b + "..." : b.toString();
  }
}
