package dev.partisan.bench.kv.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The load client's parser frames answers however the bytes are split, and counts body bytes. */
class HttpResponseParserTest {
  private final List<String> seen = new ArrayList<>();
  private final HttpResponseParser parser =
      new HttpResponseParser((s, n, close) -> seen.add(s + "/" + n + (close ? "/close" : "")));

  private static final String STREAM =
      "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Riak-Vclock: a==\r\n\r\nhello"
          + "HTTP/1.1 204 No Content\r\nContent-Type: text/plain\r\n\r\n"
          + "HTTP/1.1 100 Continue\r\n\r\n"
          + "HTTP/1.1 404 Not Found\r\ncontent-length: 10\r\n\r\nnot found\n"
          + "HTTP/1.1 503 Service Unavailable\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "4\r\nbusy\r\nA;ext=1\r\n0123456789\r\n0\r\nTrailer: x\r\n\r\n"
          + "HTTP/1.1 500 Server Error\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";

  private static final List<String> EXPECTED =
      List.of("200/5", "204/0", "404/10", "503/14", "500/0/close");

  @Test
  void framesPipelinedAnswersInOneBuffer() {
    parser.feed(buf(STREAM));
    assertThat(seen).containsExactlyElementsOf(EXPECTED);
    assertThat(parser.midResponse()).isFalse();
  }

  @Test
  void framesTheSameAnswersFedOneByteAtATime() {
    byte[] bytes = STREAM.getBytes(StandardCharsets.US_ASCII);
    for (byte b : bytes) {
      parser.feed(Unpooled.wrappedBuffer(new byte[] {b}));
    }
    assertThat(seen).containsExactlyElementsOf(EXPECTED);
  }

  @Test
  void aBodyWithoutFramingEndsAtTheClose() {
    parser.feed(buf("HTTP/1.0 200 OK\r\n\r\nabc"));
    assertThat(seen).isEmpty();
    assertThat(parser.midResponse()).isTrue();
    assertThat(parser.closed()).isTrue();
    assertThat(seen).containsExactly("200/3/close");
  }

  @Test
  void refusesWhatItCannotFrame() {
    assertThatThrownBy(() -> parser.feed(buf("SSH-2.0-OpenSSH\r\n")))
        .isInstanceOf(HttpResponseParser.MalformedResponseException.class);
    HttpResponseParser other = new HttpResponseParser((s, n, c) -> {});
    assertThatThrownBy(() -> other.feed(buf("HTTP/1.1 200 OK\r\nContent-Length: x1\r\n\r\n")))
        .hasMessageContaining("Content-Length");
  }

  @Test
  void writesDecimalsWithoutStrings() {
    ByteBuf b = Unpooled.buffer();
    for (long v : new long[] {0, 7, 10, 99, 1000, 123456789012L}) {
      HttpRequests.writeDecimal(b, v);
      b.writeByte(' ');
    }
    assertThat(b.toString(StandardCharsets.US_ASCII)).isEqualTo("0 7 10 99 1000 123456789012 ");
  }

  private static ByteBuf buf(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
  }
}
