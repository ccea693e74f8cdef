package dev.partisan.kv.security;

import java.util.Objects;

/** The outcome of {@link SecurityService#authenticate}: a principal, or why there is none. */
public record Authentication(Principal principal, Failure failure) {
  /** Why a client was not authenticated (say no more than this to the client). */
  public enum Failure {
    /** No such user. */
    UNKNOWN_USER,
    /** No source of the user (or of {@code all}) covers the client's address. */
    NO_MATCHING_SOURCE,
    /** The matching source wants a password and none, or a wrong one, was given. */
    BAD_PASSWORD,
    /**
     * The matching source wants a certificate and the client had none, or its common name is not
     * the user name.
     */
    CERTIFICATE_MISMATCH
  }

  public Authentication {
    if ((principal == null) == (failure == null)) {
      throw new IllegalArgumentException("either a principal or a failure");
    }
  }

  static Authentication ok(Principal p) {
    return new Authentication(Objects.requireNonNull(p), null);
  }

  static Authentication failed(Failure f) {
    return new Authentication(null, Objects.requireNonNull(f));
  }

  public boolean succeeded() {
    return principal != null;
  }
}
