package dev.partisan.kv.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.partisan.kv.ClusterChangeException.Reason;
import dev.partisan.kv.ring.RingMessages.ClusterChangeReply;
import dev.partisan.kv.wire.KvTypes;
import dev.partisan.runtime.codec.CodecException;
import dev.partisan.runtime.codec.TypeRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A claimant's refusal reaches the asker as the enum it sent; nothing else decodes. */
class ClusterChangeReplyWireTest {
  private final TypeRegistry types = new TypeRegistry();

  {
    KvTypes.register(types);
  }

  private ClusterChangeReply roundTrip(ClusterChangeReply reply) {
    ByteBuf buf = Unpooled.buffer();
    types.encodeBody(reply, buf);
    return (ClusterChangeReply) types.decodeBody(types.idOf(ClusterChangeReply.class), buf);
  }

  @ParameterizedTest
  @EnumSource(Reason.class)
  void everyReasonSurvivesTheWire(Reason reason) {
    ClusterChangeReply sent = new ClusterChangeReply(false, reason, "why", 7, null);
    assertThat(roundTrip(sent)).isEqualTo(sent);
  }

  @Test
  void anAcceptedReplyHasNoReason() {
    ClusterChangeReply sent = new ClusterChangeReply(true, null, "committed", 8, "plan");
    assertThat(roundTrip(sent).refusal()).isNull();
  }

  @Test
  void aReasonThisBuildDoesNotKnowIsRefusedByTheCodec() {
    ByteBuf buf = Unpooled.buffer();
    types.encodeBody(new ClusterChangeReply(false, Reason.STALE, "m", 1, null), buf);
    // The reason's ordinal follows the accepted flag and the null marker (if any): find and raise
    // it by re-encoding with the last reason, then bumping that byte past the known range.
    ByteBuf last = Unpooled.buffer();
    Reason max = Reason.values()[Reason.values().length - 1];
    types.encodeBody(new ClusterChangeReply(false, max, "m", 1, null), last);
    int at = firstDifference(buf, last);
    last.setByte(at, Reason.values().length);
    assertThatThrownBy(() -> types.decodeBody(types.idOf(ClusterChangeReply.class), last))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("Reason");
  }

  private static int firstDifference(ByteBuf a, ByteBuf b) {
    for (int i = 0; i < Math.min(a.writerIndex(), b.writerIndex()); i++) {
      if (a.getByte(i) != b.getByte(i)) {
        return i;
      }
    }
    throw new AssertionError("encodings do not differ");
  }
}
