package dev.partisan.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** Sends bytes no well-behaved client would, and reads what comes back. */
final class RawHttp {
  private RawHttp() {}

  /** The response's status code, or -1 if the server closed without answering. */
  record Response(int status, String text) {}

  static Response send(int port, byte[] request, boolean halfClose) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(15_000);
      s.getOutputStream().write(request);
      s.getOutputStream().flush();
      if (halfClose) {
        s.shutdownOutput();
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[8192];
      try {
        int n;
        while ((n = in.read(buf)) > 0) {
          out.write(buf, 0, n);
          if (complete(out)) {
            break;
          }
        }
      } catch (SocketTimeoutException | java.net.SocketException e) {
        // whatever arrived is the answer
      }
      String text = out.toString(StandardCharsets.ISO_8859_1);
      if (!text.startsWith("HTTP/1.1 ")) {
        return new Response(-1, text);
      }
      return new Response(Integer.parseInt(text.substring(9, 12)), text);
    }
  }

  static Response send(int port, String request) throws IOException {
    return send(port, request.getBytes(StandardCharsets.ISO_8859_1), false);
  }

  /** True once the headers and the body announced by Content-Length have arrived. */
  private static boolean complete(ByteArrayOutputStream out) {
    String t = out.toString(StandardCharsets.ISO_8859_1);
    int end = t.indexOf("\r\n\r\n");
    if (end < 0) {
      return false;
    }
    String head = t.substring(0, end).toLowerCase(java.util.Locale.ROOT);
    int cl = head.indexOf("content-length:");
    if (cl < 0) {
      return head.startsWith("http/1.1 204") || head.startsWith("http/1.1 304");
    }
    int eol = head.indexOf("\r\n", cl);
    int len = Integer.parseInt(head.substring(cl + 15, eol < 0 ? head.length() : eol).trim());
    return t.length() - end - 4 >= len;
  }
}
