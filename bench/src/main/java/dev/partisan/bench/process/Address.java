package dev.partisan.bench.process;

/** A {@code HOST:PORT} given on a command line ({@code [::1]:9000} for IPv6). */
public record Address(String host, int port) {
  public Address {
    if (host == null || host.isBlank() || port < 0 || port > 65535) {
      throw new IllegalArgumentException("not a HOST:PORT: " + host + ":" + port);
    }
  }

  /** Parses {@code HOST:PORT}; {@code what} names the option in the error. */
  public static Address parse(String what, String s) {
    int colon = s == null ? -1 : s.lastIndexOf(':');
    if (colon <= 0 || colon == s.length() - 1) {
      throw new IllegalArgumentException(what + " must be HOST:PORT, got " + s);
    }
    String host = s.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      return new Address(host, Integer.parseInt(s.substring(colon + 1)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + " must be HOST:PORT, got " + s);
    }
  }

  public Address plus(int offset) {
    return new Address(host, port + offset);
  }

  /** A wildcard address ({@code 0.0.0.0}, {@code ::}) accepts but cannot be dialed. */
  public boolean isWildcard() {
    return host.equals("0.0.0.0") || host.equals("::") || host.equals("0:0:0:0:0:0:0:0");
  }

  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
