package dev.partisan.bench.handoff;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The line protocol between a run and a node in another process: {@link ProcessRunNode} writes one
 * command per line to the child's standard input, and the child ({@code bench handoff-node})
 * answers each with one line on its standard output, {@code reply: ok [result]} or {@code reply:
 * error MESSAGE}. Commands, one per {@link RunNode} operation:
 *
 * <pre>
 * state SINCE_EPOCH_MILLIS      -> reply: ok upMembers=3 ringMembers=3 ... (NodeState.toLine)
 * form NODE,NODE,...            -> reply: ok OWNER,OWNER,... (one per partition)
 * client-props                  -> reply: ok
 * handoff BYTES_PER_S CONCURRENCY -> reply: ok
 * </pre>
 *
 * <p>Not thread-safe: the child's command loop owns it.
 */
final class NodeControl {
  static final String REPLY = "reply: ";
  static final String OK = "ok";
  static final String ERROR = "error";

  private final RunNode node;

  NodeControl(RunNode node) {
    this.node = node;
  }

  /** The reply line to {@code command}; a bad command or a failed operation is an error reply. */
  String handle(String command) {
    try {
      return REPLY + OK + result(command.trim().split("\\s+")).map(r -> " " + r).orElse("");
    } catch (RuntimeException e) {
      return REPLY + ERROR + " " + String.valueOf(e.getMessage()).replace('\n', ' ');
    }
  }

  private Optional<String> result(String[] words) {
    switch (words[0]) {
      case "state" -> {
        expect(words, 2, "state SINCE_EPOCH_MILLIS");
        return Optional.of(node.state(Instant.ofEpochMilli(Long.parseLong(words[1]))).toLine());
      }
      case "form" -> {
        expect(words, 2, "form NODE,NODE,...");
        List<String> owners = node.formCluster(Arrays.asList(words[1].split(",")));
        return Optional.of(String.join(",", owners));
      }
      case "client-props" -> {
        expect(words, 1, "client-props");
        node.setClientProps();
        return Optional.empty();
      }
      case "handoff" -> {
        expect(words, 3, "handoff BYTES_PER_S CONCURRENCY");
        node.resumeHandoff(Long.parseLong(words[1]), Integer.parseInt(words[2]));
        return Optional.empty();
      }
      default -> throw new IllegalArgumentException("unknown command '" + words[0] + "'");
    }
  }

  private static void expect(String[] words, int n, String usage) {
    if (words.length != n) {
      throw new IllegalArgumentException("usage: " + usage);
    }
  }
}
