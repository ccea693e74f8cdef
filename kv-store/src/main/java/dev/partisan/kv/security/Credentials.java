package dev.partisan.kv.security;

import java.net.InetAddress;
import java.util.Objects;

/**
 * What a client presents: its user name, its password (null when it sent none), the address it
 * connects from, and the common name of its client certificate once TLS has verified it (null
 * without one). The password array belongs to the caller, who may clear it after the call.
 */
public record Credentials(
    String user, char[] password, InetAddress address, String certificateCommonName) {
  public Credentials {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(address, "address");
  }

  /** Never shows the password. */
  @Override
  public String toString() {
    return "Credentials[user="
        + SecurityNames.printable(user)
        + ", address="
        + address.getHostAddress()
        + ", password="
        + (password == null ? "none" : "given")
        + ", certificate="
        + (certificateCommonName == null ? "none" : certificateCommonName)
        + "]";
  }
}
