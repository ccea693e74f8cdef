package dev.partisan.pb.client;

import com.google.protobuf.ByteString;
import java.util.Objects;

/**
 * A user name and password a {@link PbClient} sends in RpbAuthReq after RpbStartTls, for a node
 * with security enabled. {@link #toString()} never shows the password.
 */
public final class PbCredentials {
  private final String user;
  private final ByteString password; // immutable; UTF-8, as Riak's clients send it

  public PbCredentials(String user, String password) {
    this.user = Objects.requireNonNull(user, "user");
    this.password = ByteString.copyFromUtf8(Objects.requireNonNull(password, "password"));
  }

  public String user() {
    return user;
  }

  ByteString password() {
    return password;
  }

  @Override
  public String toString() {
    return "PbCredentials[user=" + user + ", password=(hidden)]";
  }
}
