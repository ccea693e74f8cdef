package dev.partisan.runtime.codec;

/**
 * Leave for one decode to hand out {@link SharedBytes} that are slices of the buffer being decoded
 * instead of copies, and a note of whether it did: if so, whoever owns that buffer must keep it
 * alive for as long as the decoded message lives (the transport retains the frame and the runtime
 * releases it once the message is handled). A decode without one copies, as for {@code byte[]}.
 *
 * <p>Made by the transport for each large frame; used by one thread for one decode.
 */
public final class FrameSlices {
  private boolean taken;

  /** Whether the decode handed out at least one slice. */
  public boolean taken() {
    return taken;
  }

  void take() {
    taken = true;
  }
}
