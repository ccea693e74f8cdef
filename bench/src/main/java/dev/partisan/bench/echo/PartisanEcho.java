package dev.partisan.bench.echo;

import dev.partisan.bench.runtime.BenchMessages;
import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.AskException;
import dev.partisan.runtime.SendOptions;
import dev.partisan.runtime.SendResult;
import dev.partisan.runtime.codec.SharedBytes;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A round trip through the runtime: ask sender i's echo actor on B, wait for the ack. */
final class PartisanEcho implements ClosedLoopEcho.RoundTrip {
  private final EchoPair nodes;
  private final EchoConfig config;
  private final SharedBytes payload; // wrapped once, encoded (copied into the frame) per request
  private final Duration timeout;

  PartisanEcho(EchoPair nodes, EchoConfig config, byte[] payload, Duration timeout) {
    this.nodes = nodes;
    this.config = config;
    this.payload = SharedBytes.wrap(payload);
    this.timeout = timeout;
  }

  @Override
  public ClosedLoopEcho.Outcome run(int sender, long seq) throws Exception {
    SendOptions options = SendOptions.on(config.channelOf(sender)).key(config.keyOf(sender));
    try {
      Object reply =
          nodes
              .sender()
              .ask(
                  ActorRef.of(EchoNodes.B, EchoNodes.echoName(sender)),
                  new BenchMessages.Request(seq, payload),
                  timeout,
                  options)
              .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
      if (!(reply instanceof BenchMessages.Ack)) {
        throw new IllegalStateException("unexpected reply " + reply);
      }
      return ClosedLoopEcho.Outcome.OK;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof AskException ae && ae.result() == SendResult.QUEUE_FULL) {
        return ClosedLoopEcho.Outcome.QUEUE_FULL;
      }
      if (e.getCause() instanceof TimeoutException) {
        return ClosedLoopEcho.Outcome.TIMEOUT;
      }
      throw e;
    } catch (TimeoutException e) {
      return ClosedLoopEcho.Outcome.TIMEOUT;
    }
  }
}
