package dev.partisan.runtime.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.partisan.runtime.channel.ChannelSpec;
import dev.partisan.runtime.codec.CodecException;
import dev.partisan.runtime.codec.TypeRegistry;
import dev.partisan.runtime.testing.TestMessages;
import dev.partisan.runtime.testing.TestMessages.Blob;
import dev.partisan.runtime.testing.TestMessages.Bulk;
import dev.partisan.runtime.testing.TestMessages.Echo;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;

/** An envelope survives the frame encoder and decoder; the length prefix is the frame's. */
class MessageFramesTest {
  private final TypeRegistry types = new TypeRegistry();

  {
    TestMessages.register(types);
  }

  private MessageFrames.Decoded roundTrip(ChannelSpec spec, Envelope e, Object conflationKey) {
    OutboundMessage m =
        MessageFrames.encode(UnpooledByteBufAllocator.DEFAULT, types, spec, e, conflationKey);
    try {
      ByteBuf frame = m.frame.duplicate();
      assertThat(frame.readInt()).as("length prefix").isEqualTo(m.size - 4);
      assertThat(MessageFrames.wireSize(frame)).isEqualTo(m.size);
      assertThat(frame.readByte()).isEqualTo(MessageFrames.MESSAGE);
      assertThat(m.conflationKey).isSameAs(conflationKey);
      return MessageFrames.decode(frame, types, 1 << 20);
    } finally {
      m.release();
    }
  }

  @Test
  void theHeaderAndBodyOfAnEnvelopeArriveAsSent() {
    Envelope e = new Envelope("asker", "", 0, "echo", 42, "key", true, new Echo("hello"));
    MessageFrames.Decoded d = roundTrip(ChannelSpec.named("request"), e, null);
    assertThat(d.channel()).isEqualTo("request");
    assertThat(d.sender()).isEqualTo("asker");
    assertThat(d.senderNode()).isEmpty();
    assertThat(d.receiver()).isEqualTo("echo");
    assertThat(d.receiverIncarnation()).isEqualTo(42);
    assertThat(d.message()).isEqualTo(new Echo("hello"));
    assertThat(d.flags()).isZero();
  }

  @Test
  void aThirdNodeSenderAnAckAndCompressionAreFlagged() {
    Blob body = new Blob(7, new byte[8192]);
    Envelope e = new Envelope("coordinator", "node3", 99, "vnode", 0, null, true, body);
    ChannelSpec spec = ChannelSpec.named("handoff").withAck(true).withCompression(true);
    MessageFrames.Decoded d = roundTrip(spec, e, "k");
    assertThat(d.flags())
        .isEqualTo(
            MessageFrames.FLAG_ACK
                | MessageFrames.FLAG_SENDER_NODE
                | MessageFrames.FLAG_COMPRESSED);
    assertThat(d.senderNode()).isEqualTo("node3");
    assertThat(d.senderIncarnation()).isEqualTo(99);
    assertThat(((Blob) d.message()).payload()).hasSize(8192);
  }

  @Test
  void theSharedBytesOfALargeBodyAreSlicesOfTheFrameThoseOfASmallerOneCopies() {
    for (int size :
        new int[] {MessageFrames.SLICE_FROM_BYTES, MessageFrames.SLICE_FROM_BYTES - 64}) {
      Envelope e = new Envelope("s", "", 0, "r", 0, null, true, Bulk.of(7, size));
      OutboundMessage m =
          MessageFrames.encode(
              PooledByteBufAllocator.DEFAULT, types, ChannelSpec.named("bulk"), e, null);
      try {
        ByteBuf frame = m.frame.duplicate();
        frame.skipBytes(5); // length prefix and frame type, as the connection reads them
        MessageFrames.Decoded d = MessageFrames.decode(frame, types, 1 << 20);
        Bulk bulk = (Bulk) d.message();
        boolean large = size >= MessageFrames.SLICE_FROM_BYTES;
        assertThat(bulk.intact()).isTrue();
        assertThat(bulk.data().isSlice()).as("%d bytes sliced", size).isEqualTo(large);
        assertThat(d.lease() != null).as("%d bytes leased", size).isEqualTo(large);
        assertThat(m.frame.refCnt()).as("the lease holds the frame").isEqualTo(large ? 2 : 1);
        // The payload is the frame's last bytes: a slice sees a change to them, a copy does not.
        byte before = bulk.data().get(size - 1);
        m.frame.setByte(m.frame.writerIndex() - 1, ~before);
        assertThat(bulk.data().get(size - 1) != before).isEqualTo(large);
        if (large) {
          d.lease().release();
        }
        assertThat(m.frame.refCnt()).isEqualTo(1);
      } finally {
        m.release();
      }
    }
  }

  @Test
  void aLargeCompressedBodyIsSlicedFromItsInflatedCopyWhichTheLeaseHolds() {
    Envelope e = new Envelope("s", "", 0, "r", 0, null, true, Bulk.of(8, 200_000));
    ChannelSpec spec = ChannelSpec.named("bulk").withCompression(true);
    OutboundMessage m = MessageFrames.encode(PooledByteBufAllocator.DEFAULT, types, spec, e, null);
    try {
      ByteBuf frame = m.frame.duplicate();
      frame.skipBytes(5);
      MessageFrames.Decoded d = MessageFrames.decode(frame, types, 1 << 20);
      assertThat(d.flags() & MessageFrames.FLAG_COMPRESSED).isNotZero();
      assertThat(((Bulk) d.message()).data().isSlice()).isTrue();
      assertThat(((Bulk) d.message()).intact()).isTrue();
      assertThat(m.frame.refCnt()).as("the frame is not held").isEqualTo(1);
      assertThat(d.lease().refCnt()).isEqualTo(1);
      d.lease().release();
      assertThat(d.lease().refCnt()).isZero();
    } finally {
      m.release();
    }
  }

  @Test
  void withoutAPartitionKeyTheSenderReceiverPairIsTheConflationKey() {
    Envelope keyed = new Envelope("a", "", 0, "b", 0, "k", true, new Echo("x"));
    Envelope pair = new Envelope("a", "", 0, "b", 0, null, true, new Echo("x"));
    assertThat(keyed.conflationKey()).isEqualTo("k");
    assertThat(pair.conflationKey()).isEqualTo("a\0b");
  }

  /** Found by FrameDecoderFuzzTest: the flags byte was read unchecked (IndexOutOfBounds). */
  @Test
  void aMessageFrameWithoutItsFlagsIsMalformed() {
    ByteBuf empty = Unpooled.buffer(0);
    assertThatThrownBy(() -> MessageFrames.decode(empty, types, 1 << 20))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("flags");
    empty.release();
  }
}
