package dev.partisan.bench.process;

import java.util.Set;
import java.util.stream.Collectors;

/** For tests of commands that start child JVMs: which children of this JVM are alive. */
public final class ChildProcesses {
  private ChildProcesses() {}

  /** The pids of this JVM's live children (compare before and after a run: none may be left). */
  public static Set<Long> alive() {
    return ProcessHandle.current()
        .children()
        .filter(ProcessHandle::isAlive)
        .map(ProcessHandle::pid)
        .collect(Collectors.toSet());
  }
}
