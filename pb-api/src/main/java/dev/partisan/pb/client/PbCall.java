package dev.partisan.pb.client;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletableFuture;

/**
 * One request on its way: what to send, which answer code to expect and how to parse it, and the
 * future its caller holds. {@code sentAt} is written and read only by the connection's event loop.
 *
 * @param <T> the parsed answer; null for body-less answers ({@code parser} null)
 */
final class PbCall<T> {
  final int requestCode;
  final MessageLite body;
  final int answerCode;
  private final Parser<T> parser;
  final CompletableFuture<T> future = new CompletableFuture<>();
  long sentAt;

  PbCall(int requestCode, MessageLite body, int answerCode, Parser<T> parser) {
    this.requestCode = requestCode;
    this.body = body;
    this.answerCode = answerCode;
    this.parser = parser;
  }

  /** Completes the future with the answer in {@code frameBody} (not released here). */
  void answer(ByteBuf frameBody) throws InvalidProtocolBufferException {
    future.complete(parser == null ? null : parse(parser, frameBody));
  }

  void fail(Throwable cause) {
    future.completeExceptionally(cause);
  }

  /** Parses without copying the frame out first: from its array, or its direct memory. */
  static <M> M parse(Parser<M> parser, ByteBuf b) throws InvalidProtocolBufferException {
    if (b.hasArray()) {
      return parser.parseFrom(b.array(), b.arrayOffset() + b.readerIndex(), b.readableBytes());
    }
    return parser.parseFrom(b.nioBuffer());
  }
}
