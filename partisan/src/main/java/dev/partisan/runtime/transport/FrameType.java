package dev.partisan.runtime.transport;

/**
 * First byte of every frame. Handshake frames come first on a connection; after WELCOME only
 * MESSAGE and ACK frames are valid.
 */
final class FrameType {
  static final byte HELLO = 1;
  static final byte CHALLENGE = 2;
  static final byte PROOF = 3;
  static final byte WELCOME = 4;
  static final byte REJECT = 5;
  static final byte MESSAGE = 10;
  static final byte ACK = 11;

  /** Message flags. */
  static final int FLAG_ACK = 1;

  static final int FLAG_COMPRESSED = 2;

  /** The sending actor lives on another node than the sender of the frame (a reply-to address). */
  static final int FLAG_SENDER_NODE = 4;

  private FrameType() {}
}
