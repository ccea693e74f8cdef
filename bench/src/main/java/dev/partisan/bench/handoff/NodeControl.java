package dev.partisan.bench.handoff;

import dev.partisan.bench.process.HostLoop;
import java.time.Instant;
import java.util.List;

/**
 * The operations a run asks of a node in another process ({@link ProcessRunNode}), served by the
 * child ({@code bench handoff-node}) over bench's host protocol ({@link HostLoop}, one JSON line
 * each way), one per {@link RunNode} operation:
 *
 * <pre>
 * state        {"sinceEpochMillis": M}                 -> NodeState
 * settled      {"nodes": N}                            -> true or false
 * form         {"members": ["node1", ...]}             -> owners, one per partition
 * client-props {}                                      -> null
 * handoff      {"bytesPerSecond": B, "concurrency": C} -> null
 * </pre>
 */
final class NodeControl {
  static final String STATE = "state";
  static final String SETTLED = "settled";
  static final String FORM = "form";
  static final String CLIENT_PROPS = "client-props";
  static final String HANDOFF = "handoff";

  record StateArgs(long sinceEpochMillis) {}

  record SettledArgs(int nodes) {}

  record FormArgs(List<String> members) {}

  record HandoffArgs(long bytesPerSecond, int concurrency) {}

  private NodeControl() {}

  /** The child's loop: each operation handed to {@code node}. */
  static HostLoop loop(RunNode node) {
    return new HostLoop()
        .on(
            STATE,
            r -> node.state(Instant.ofEpochMilli(r.args(StateArgs.class).sinceEpochMillis())))
        .on(SETTLED, r -> node.settled(r.args(SettledArgs.class).nodes()))
        .on(FORM, r -> node.formCluster(r.args(FormArgs.class).members()))
        .on(
            CLIENT_PROPS,
            r -> {
              node.setClientProps();
              return null;
            })
        .on(
            HANDOFF,
            r -> {
              HandoffArgs a = r.args(HandoffArgs.class);
              node.resumeHandoff(a.bytesPerSecond(), a.concurrency());
              return null;
            });
  }
}
