package dev.partisan.bench.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The child's side of the {@link HostMessages} protocol: reads requests from standard input, one a
 * line, runs the handler registered for each op and prints its answer. A handler that throws
 * answers with its message; the loop goes on. It ends after answering an op registered with {@link
 * #onLast} (e.g. {@code stop}), or when the input closes (the parent is gone). What a child hosts
 * (scale nodes, later KV nodes) is only its set of handlers.
 *
 * <p>Threading: runs on the caller's thread; handlers run there one at a time, in order.
 */
public final class HostLoop {
  /** What an op does with its request; its result is the answer's value. */
  @FunctionalInterface
  public interface Handler {
    Object handle(HostMessages.Request request) throws Exception;
  }

  private final Map<String, Handler> handlers = new HashMap<>();
  private final Map<String, Boolean> last = new HashMap<>();

  /** Registers the handler of {@code op}. */
  public HostLoop on(String op, Handler handler) {
    handlers.put(op, handler);
    return this;
  }

  /** Registers the handler of {@code op}, after whose answer the loop ends. */
  public HostLoop onLast(String op, Handler handler) {
    last.put(op, true);
    return on(op, handler);
  }

  /** Serves requests until a last op was answered (true) or the input closed (false). */
  public boolean run(InputStream in, PrintStream out) throws IOException {
    BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    String line;
    while ((line = r.readLine()) != null) {
      if (line.isBlank()) {
        continue;
      }
      HostMessages.Request request;
      try {
        request = HostMessages.parseRequest(line);
      } catch (IllegalArgumentException e) {
        answer(out, HostMessages.error(-1, e.getMessage()));
        continue;
      }
      Handler h = handlers.get(request.op());
      if (h == null) {
        answer(out, HostMessages.error(request.id(), "unknown op '" + request.op() + "'"));
        continue;
      }
      try {
        answer(out, HostMessages.ok(request.id(), h.handle(request)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        answer(out, HostMessages.error(request.id(), "interrupted"));
        return false;
      } catch (Exception | Error e) {
        answer(out, HostMessages.error(request.id(), e.toString()));
      }
      if (last.containsKey(request.op())) {
        return true;
      }
    }
    return false;
  }

  private static void answer(PrintStream out, String line) {
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }
}
