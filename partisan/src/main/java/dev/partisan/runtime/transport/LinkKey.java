package dev.partisan.runtime.transport;

/** One logical connection: to a peer, on a wire channel, in a lane. */
public record LinkKey(String peer, String channel, int lane) {
  @Override
  public String toString() {
    return peer + "/" + channel + "/" + lane;
  }
}
