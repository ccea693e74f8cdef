package dev.partisan.http.console;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What a {@link BrowserSession} leaves when its quit fails: processes and its temporary directory.
 * Every chromium process of a session carries {@code --user-data-dir=<dir>/profile}, chromedriver
 * {@code --log-path=<dir>/chromedriver.log}, so the directory finds them all: a hung or crashed
 * quit must not leave browsers behind on CI's two cores.
 */
final class BrowserLeftovers {
  private BrowserLeftovers() {}

  /** The live processes whose command line names a file under {@code dir}. */
  static List<ProcessHandle> processes(Path dir) {
    String marker = dir + File.separator;
    return ProcessHandle.allProcesses()
        .filter(
            p -> p.isAlive() && p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
        .toList();
  }

  /** Kills (SIGKILL) those processes and their descendants, waiting a little for each. */
  static void kill(Path dir) {
    List<ProcessHandle> left = processes(dir);
    for (ProcessHandle p : left) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    for (ProcessHandle p : left) {
      try {
        p.onExit().get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        // Best effort: a process that outlives SIGKILL for 5 s is not ours to fix.
      }
    }
  }

  /** Deletes {@code dir} and everything in it, quietly: a leftover temporary file is harmless. */
  static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // Already gone, or unreadable: nothing to do.
    }
  }
}
