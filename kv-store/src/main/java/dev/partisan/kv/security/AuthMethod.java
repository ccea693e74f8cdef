package dev.partisan.kv.security;

import java.util.Locale;

/** How a source authenticates the users it matches (Riak's trust, password and certificate). */
public enum AuthMethod {
  /** Anyone connecting from the source's network is the user they claim to be. */
  TRUST,
  /** The password is checked against the user's stored PBKDF2 hash. */
  PASSWORD,
  /** The verified client certificate's common name must equal the user name. */
  CERTIFICATE;

  /** The name operators write: {@code trust}, {@code password}, {@code certificate}. */
  public String riakName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The method named {@code name}; IllegalArgumentException naming it if there is none. */
  public static AuthMethod parse(String name) {
    AuthMethod m = find(name);
    if (m == null) {
      throw new IllegalArgumentException(
          "unknown source method '"
              + SecurityNames.printable(name)
              + "' (known: trust, password, certificate)");
    }
    return m;
  }

  static AuthMethod find(String name) {
    for (AuthMethod m : values()) {
      if (m.riakName().equals(name)) {
        return m;
      }
    }
    return null;
  }
}
