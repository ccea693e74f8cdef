package dev.partisan.bench.kv.http;

import io.netty.buffer.ByteBuf;

/**
 * An incremental HTTP/1.1 response parser for a load client: it reads the status, the framing
 * headers ({@code Content-Length}, {@code Transfer-Encoding: chunked}, {@code Connection: close})
 * and counts body bytes without copying them, since a load run needs the outcome and the size, not
 * the value. Only header lines are copied (into one reused array), so a response costs no
 * allocation.
 *
 * <p>Owned by one connection's event loop thread.
 */
final class HttpResponseParser {
  /** What a complete response said. */
  interface Listener {
    void onResponse(int status, long bodyBytes, boolean close);
  }

  /** A response the parser cannot frame: the connection must be dropped. */
  static final class MalformedResponseException extends RuntimeException {
    MalformedResponseException(String message) {
      super(message, null, false, false); // thrown on bad input only: no stack trace needed
    }
  }

  private enum State {
    STATUS,
    HEADER,
    BODY,
    CHUNK_SIZE,
    CHUNK_DATA,
    CHUNK_END,
    TRAILER,
    UNTIL_CLOSE
  }

  private static final int MAX_LINE = 16 * 1024;
  private static final byte[] CONTENT_LENGTH = ascii("content-length:");
  private static final byte[] TRANSFER_ENCODING = ascii("transfer-encoding:");
  private static final byte[] CONNECTION = ascii("connection:");

  private final Listener listener;
  private byte[] line = new byte[256];
  private int lineLength;
  private State state = State.STATUS;
  private int status;
  private long contentLength;
  private boolean chunked;
  private boolean close;
  private long remaining;
  private long bodyBytes;

  HttpResponseParser(Listener listener) {
    this.listener = listener;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  /** Consumes every readable byte of {@code in}; calls the listener once per complete response. */
  void feed(ByteBuf in) {
    while (in.isReadable()) {
      switch (state) {
        case STATUS, HEADER, CHUNK_SIZE, CHUNK_END, TRAILER -> {
          if (readLine(in)) {
            onLine();
          }
        }
        case BODY, CHUNK_DATA -> {
          int n = (int) Math.min(remaining, in.readableBytes());
          in.skipBytes(n);
          remaining -= n;
          bodyBytes += n;
          if (remaining == 0) {
            if (state == State.BODY) {
              complete();
            } else {
              state = State.CHUNK_END;
            }
          }
        }
        case UNTIL_CLOSE -> {
          bodyBytes += in.readableBytes();
          in.skipBytes(in.readableBytes());
        }
      }
    }
  }

  /**
   * The connection closed: a body framed by the close is complete now.
   *
   * @return whether a response was completed by the close
   */
  boolean closed() {
    if (state == State.UNTIL_CLOSE) {
      close = true;
      complete();
      return true;
    }
    return false;
  }

  /** Whether a response has started arriving and is not complete. */
  boolean midResponse() {
    return state != State.STATUS || lineLength > 0;
  }

  /** Appends bytes up to the next LF to {@link #line}; true when the line is complete. */
  private boolean readLine(ByteBuf in) {
    int lf = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
    int end = lf < 0 ? in.writerIndex() : lf;
    int n = end - in.readerIndex();
    if (lineLength + n > MAX_LINE) {
      throw new MalformedResponseException("response line or header over " + MAX_LINE + " bytes");
    }
    if (lineLength + n > line.length) {
      line = java.util.Arrays.copyOf(line, Math.max(line.length * 2, lineLength + n));
    }
    in.readBytes(line, lineLength, n);
    lineLength += n;
    if (lf < 0) {
      return false;
    }
    in.skipBytes(1); // the LF
    if (lineLength > 0 && line[lineLength - 1] == '\r') {
      lineLength--;
    }
    return true;
  }

  private void onLine() {
    int length = lineLength;
    lineLength = 0;
    switch (state) {
      case STATUS -> status(length);
      case HEADER -> {
        if (length == 0) {
          headersDone();
        } else {
          header(length);
        }
      }
      case CHUNK_SIZE -> {
        remaining = chunkSize(length);
        state = remaining == 0 ? State.TRAILER : State.CHUNK_DATA;
      }
      case CHUNK_END -> {
        if (length != 0) {
          throw new MalformedResponseException("chunk not followed by CRLF");
        }
        state = State.CHUNK_SIZE;
      }
      case TRAILER -> {
        if (length == 0) {
          complete();
        }
      }
      default -> throw new IllegalStateException(state.name());
    }
  }

  private void status(int length) {
    // "HTTP/1.1 200 OK": the code is the three digits after the first space.
    if (length < 12 || line[0] != 'H' || line[8] != ' ') {
      throw new MalformedResponseException("not an HTTP/1.x status line");
    }
    int code = 0;
    for (int i = 9; i < 12; i++) {
      int d = line[i] - '0';
      if (d < 0 || d > 9) {
        throw new MalformedResponseException("bad status code");
      }
      code = code * 10 + d;
    }
    status = code;
    contentLength = -1;
    chunked = false;
    close = line[7] == '0'; // HTTP/1.0 closes unless told otherwise; we never ask it to stay
    bodyBytes = 0;
    state = State.HEADER;
  }

  private void header(int length) {
    if (startsWithIgnoreCase(CONTENT_LENGTH, length)) {
      long v = 0;
      int i = skipSpaces(CONTENT_LENGTH.length, length);
      if (i == length) {
        throw new MalformedResponseException("empty Content-Length");
      }
      for (; i < length && line[i] != ' ' && line[i] != '\t'; i++) {
        int d = line[i] - '0';
        if (d < 0 || d > 9 || v > Long.MAX_VALUE / 10) {
          throw new MalformedResponseException("bad Content-Length");
        }
        v = v * 10 + d;
      }
      contentLength = v;
    } else if (startsWithIgnoreCase(TRANSFER_ENCODING, length)) {
      chunked = valueContains(TRANSFER_ENCODING.length, length, "chunked");
    } else if (startsWithIgnoreCase(CONNECTION, length)) {
      close = valueContains(CONNECTION.length, length, "close");
    }
  }

  private void headersDone() {
    if (status / 100 == 1) {
      state = State.STATUS; // an interim response (100 Continue): the real one follows
    } else if (status == 204 || status == 304) {
      complete();
    } else if (chunked) {
      state = State.CHUNK_SIZE;
    } else if (contentLength >= 0) {
      remaining = contentLength;
      if (remaining == 0) {
        complete();
      } else {
        state = State.BODY;
      }
    } else {
      state = State.UNTIL_CLOSE; // RFC 9112 6.3: no framing header, the body ends at the close
    }
  }

  private long chunkSize(int length) {
    long v = 0;
    int digits = 0;
    for (int i = 0; i < length && line[i] != ';' && line[i] != ' '; i++, digits++) {
      int d = Character.digit(line[i], 16);
      if (d < 0 || digits >= 15) {
        throw new MalformedResponseException("bad chunk size");
      }
      v = v * 16 + d;
    }
    if (digits == 0) {
      throw new MalformedResponseException("empty chunk size");
    }
    return v;
  }

  private void complete() {
    state = State.STATUS;
    listener.onResponse(status, bodyBytes, close);
  }

  private boolean startsWithIgnoreCase(byte[] name, int length) {
    if (length < name.length) {
      return false;
    }
    for (int i = 0; i < name.length; i++) {
      if (Character.toLowerCase(line[i]) != name[i]) {
        return false;
      }
    }
    return true;
  }

  private int skipSpaces(int from, int length) {
    int i = from;
    while (i < length && (line[i] == ' ' || line[i] == '\t')) {
      i++;
    }
    return i;
  }

  private boolean valueContains(int from, int length, String token) {
    String value =
        new String(line, from, length - from, java.nio.charset.StandardCharsets.US_ASCII);
    return value.toLowerCase(java.util.Locale.ROOT).contains(token);
  }
}
