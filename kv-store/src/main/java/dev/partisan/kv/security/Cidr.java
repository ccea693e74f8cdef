package dev.partisan.kv.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * A network in CIDR notation ({@code 10.0.0.0/8}, {@code ::1/128}), normalised to its network
 * address as Riak does ({@code 10.1.2.3/8} is {@code 10.0.0.0/8}). IPv4 and IPv6 networks never
 * contain each other's addresses. Immutable.
 */
public final class Cidr {
  private final byte[] network;
  private final int prefix;

  private Cidr(byte[] network, int prefix) {
    this.network = network;
    this.prefix = prefix;
  }

  /**
   * Parses {@code ADDRESS/PREFIX} with a literal address (never a host name: no DNS lookup);
   * IllegalArgumentException naming what is wrong.
   */
  public static Cidr parse(String text) {
    String t = SecurityNames.text("CIDR", text).trim();
    int slash = t.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException(
          "CIDR '" + t + "' has no prefix length (write e.g. 127.0.0.1/32)");
    }
    String address = t.substring(0, slash);
    byte[] bytes = address.contains(":") ? ipv6(address) : ipv4(address);
    if (bytes == null) {
      throw new IllegalArgumentException(
          "CIDR '" + t + "': '" + address + "' is not an IPv4 or IPv6 address");
    }
    int prefix;
    try {
      prefix = Integer.parseInt(t.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("CIDR '" + t + "': the prefix length is not a number");
    }
    if (prefix < 0 || prefix > bytes.length * 8) {
      throw new IllegalArgumentException(
          "CIDR '" + t + "': the prefix length must be 0.." + bytes.length * 8);
    }
    return new Cidr(mask(bytes, prefix), prefix);
  }

  /** Four decimal octets, or null. */
  private static byte[] ipv4(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      if (!parts[i].matches("[0-9]{1,3}") || Integer.parseInt(parts[i]) > 255) {
        return null;
      }
      out[i] = (byte) Integer.parseInt(parts[i]);
    }
    return out;
  }

  /**
   * An IPv6 literal, or null. In brackets, InetAddress only parses a literal and never asks DNS.
   */
  private static byte[] ipv6(String text) {
    if (!text.matches("[0-9a-fA-F:.]+")) {
      return null;
    }
    try {
      return InetAddress.getByName("[" + text + "]").getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static byte[] mask(byte[] address, int prefix) {
    byte[] out = address.clone();
    for (int i = 0; i < out.length; i++) {
      int bits = Math.max(0, Math.min(8, prefix - i * 8));
      out[i] &= (byte) (0xff << (8 - bits));
    }
    return out;
  }

  /** The prefix length: the greater, the more specific. */
  public int prefix() {
    return prefix;
  }

  public boolean contains(InetAddress address) {
    byte[] a = address.getAddress();
    return a.length == network.length && Arrays.equals(mask(a, prefix), network);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr c && c.prefix == prefix && Arrays.equals(c.network, network);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(network) * 31 + prefix;
  }

  /** The normalised form, e.g. {@code 10.0.0.0/8}. */
  @Override
  public String toString() {
    try {
      return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // cannot happen: 4 or 16 bytes
    }
  }
}
