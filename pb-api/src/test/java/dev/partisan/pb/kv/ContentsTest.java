package dev.partisan.pb.kv;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.partisan.kv.Content;
import dev.partisan.pb.proto.RiakKvMessages.RpbContent;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The charset rides inside the stored content type and comes back out as RpbContent.charset. */
class ContentsTest {
  @Test
  void aCharsetIsStoredInTheContentTypeAndSplitOutAgain() {
    Content stored =
        Contents.fromPb(
            RpbContent.newBuilder()
                .setValue(ByteString.copyFromUtf8("x"))
                .setContentType(ByteString.copyFromUtf8("text/plain"))
                .setCharset(ByteString.copyFromUtf8("utf-8"))
                .build());
    assertThat(stored.contentType()).isEqualTo("text/plain; charset=utf-8");
    RpbContent back = Contents.toPb(stored, false);
    assertThat(back.getContentType().toStringUtf8()).isEqualTo("text/plain");
    assertThat(back.getCharset().toStringUtf8()).isEqualTo("utf-8");
  }

  @Test
  void aCharsetWrittenOverHttpInAnySpellingIsFound() {
    Content c = new Content(new byte[0], "text/html;CHARSET=ISO-8859-1; q=1", Map.of(), 0);
    RpbContent pb = Contents.toPb(c, true);
    assertThat(pb.getCharset().toStringUtf8()).isEqualTo("ISO-8859-1");
    assertThat(pb.getContentType().toStringUtf8()).isEqualTo("text/html; q=1");
    assertThat(pb.getValue()).isEmpty();
  }

  @Test
  void noTypeButACharsetKeepsTheCharset() {
    Content stored =
        Contents.fromPb(
            RpbContent.newBuilder()
                .setValue(ByteString.copyFromUtf8("x"))
                .setCharset(ByteString.copyFromUtf8("utf-8"))
                .build());
    assertThat(stored.contentType()).isEqualTo("application/octet-stream; charset=utf-8");
  }
}
