package dev.partisan.pb.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.partisan.kv.KvError;
import dev.partisan.kv.KvException;
import dev.partisan.pb.dispatch.PbErrors;
import dev.partisan.pb.wire.MessageCode;
import dev.partisan.pb.wire.PbResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** How a coverage query's frames and end reach the connection: in order, and nothing late. */
class CoverageStreamTest {
  private static final PbResponse FRAME = PbResponse.empty(MessageCode.RPB_LIST_KEYS_RESP);

  @Test
  void framesThenCompletion() throws Exception {
    List<PbResponse> out = new CopyOnWriteArrayList<>();
    CoverageStream.start(
            Duration.ofSeconds(10),
            out::add,
            s -> {
              s.emit(FRAME);
              s.emit(FRAME);
            })
        .get(10, TimeUnit.SECONDS);
    assertThat(out).hasSize(2);
  }

  @Test
  void aFailureAfterSomeFramesFailsTheStream() {
    List<PbResponse> out = new CopyOnWriteArrayList<>();
    var done =
        CoverageStream.start(
            Duration.ofSeconds(10),
            out::add,
            s -> {
              s.emit(FRAME);
              throw new IOException("partition 3 did not answer");
            });
    assertThatThrownBy(() -> done.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
    assertThat(PbErrors.message(done.handle((v, e) -> e).join()))
        .isEqualTo("partition 3 did not answer");
    assertThat(out).hasSize(1);
  }

  @Test
  void aTimeoutEndsTheStreamAndDropsLateFrames() throws Exception {
    List<PbResponse> out = new CopyOnWriteArrayList<>();
    CountDownLatch timedOut = new CountDownLatch(1);
    AtomicReference<Throwable> lateEmit = new AtomicReference<>();
    var done =
        CoverageStream.start(
            Duration.ofMillis(50),
            out::add,
            s -> {
              s.emit(FRAME);
              timedOut.await(10, TimeUnit.SECONDS);
              try {
                s.emit(FRAME);
              } catch (IOException e) {
                lateEmit.set(e);
                throw e;
              }
            });
    assertThatThrownBy(() -> done.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            KvException.class, k -> assertThat(k.error()).isEqualTo(KvError.TIMEOUT));
    assertThat(PbErrors.message(done.handle((v, e) -> e).join())).isEqualTo("timeout");
    timedOut.countDown();
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> lateEmit.get() != null);
    assertThat(out).hasSize(1);
  }
}
