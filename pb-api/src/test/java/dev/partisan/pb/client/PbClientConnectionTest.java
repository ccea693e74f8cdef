package dev.partisan.pb.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** One connection's life as the pool sees it, on an embedded channel. */
class PbClientConnectionTest {

  /**
   * A server that closes a connection as soon as it accepts it can close the client's channel
   * before the pool's connect listener runs; by then the pipeline is empty, so the pool must find
   * the connection through the channel (it used to look in the pipeline, got null, and the client's
   * connect waited until its timeout).
   */
  @Test
  void aChannelClosedAsItOpenedStillHasItsReadyConnection() {
    PbClientConnection connection = new PbClientConnection(TimeUnit.SECONDS.toNanos(5), null, null);
    EmbeddedChannel channel =
        new EmbeddedChannel(
            new ChannelInitializer<Channel>() {
              @Override
              protected void initChannel(Channel ch) {
                connection.install(ch);
              }
            });
    channel.close();
    channel.runPendingTasks();

    assertThat(channel.pipeline().get(PbClientConnection.class)).isNull();
    assertThat(PbClientConnection.of(channel)).isSameAs(connection);
    assertThat(connection.ready()).isCompletedWithValue(connection);
    assertThat(connection.isOpen()).isFalse();
  }
}
