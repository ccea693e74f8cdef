package dev.partisan.bench.process;

/**
 * A child started by {@link BenchProcess} exits when its parent does, even if the parent was killed
 * without running its shutdown hooks: it would otherwise serve on, holding ports and cores.
 */
public final class ParentWatch {
  private ParentWatch() {}

  /** If {@code pid} is positive, exits this JVM (status 3) once that process has ended. */
  public static void exitWith(long pid) {
    if (pid <= 0) {
      return;
    }
    ProcessHandle.of(pid)
        .ifPresentOrElse(
            parent ->
                parent
                    .onExit()
                    .thenRun(
                        () -> {
                          System.err.println("the parent process " + pid + " ended: exiting");
                          System.exit(3);
                        }),
            () -> System.exit(3));
  }
}
