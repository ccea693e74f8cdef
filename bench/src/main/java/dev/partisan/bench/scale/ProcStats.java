package dev.partisan.bench.scale;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Process and socket counters read from Linux's /proc; every reader returns -1 where /proc is
 * unavailable (another OS), so the experiment still runs and reports the column as unknown.
 */
final class ProcStats {
  private ProcStats() {}

  private static final Path FD_DIR = Path.of("/proc/self/fd");

  /** Open file descriptors of this process (sockets, files, epoll, pipes). */
  static long openFds() {
    if (!Files.isDirectory(FD_DIR)) {
      return -1;
    }
    long n = 0;
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(FD_DIR)) {
      for (Path ignored : fds) {
        n++;
      }
    } catch (IOException | UncheckedIOException e) {
      return -1;
    }
    return n;
  }

  /** The soft limit on open files (what {@code ulimit -n} shows), or -1. */
  static long maxOpenFiles() {
    return limit("Max open files");
  }

  private static long limit(String name) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
        if (line.startsWith(name)) {
          String soft = line.substring(name.length()).trim().split("\\s+")[0];
          return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /** Resident set size in bytes, or -1. */
  static long rssBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          String[] f = line.substring(6).trim().split("\\s+");
          return Long.parseLong(f[0]) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /**
   * Counts of TCP sockets touching a set of ports, by state. {@code withDescriptor} counts the
   * sockets of any state that some process still holds open (inode not 0): closed sockets lingering
   * in FIN_WAIT or TIME_WAIT belong to the kernel alone.
   */
  record TcpCount(long established, long otherOpen, long timeWait, long withDescriptor) {}

  /**
   * Reads /proc/net/tcp and counts the sockets whose local or remote port is one of {@code ports}
   * (the nodes' listening ports), in /proc/net/tcp and /proc/net/tcp6: each in-process connection
   * appears twice, once per end. LISTEN sockets are not counted. {@code otherOpen} is the states
   * that still hold a descriptor (SYN_SENT, SYN_RECV, FIN_WAIT, CLOSE_WAIT, LAST_ACK, CLOSING);
   * TIME_WAIT holds none.
   */
  static TcpCount tcp(Set<Integer> ports) {
    long established = 0;
    long other = 0;
    long timeWait = 0;
    long withDescriptor = 0;
    boolean any = false;
    // Netty's epoll transport opens IPv6 sockets where it can: IPv4 peers show up in tcp6.
    for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path table = Path.of(file);
      if (!Files.isReadable(table)) {
        continue;
      }
      List<String> lines;
      try {
        lines = Files.readAllLines(table);
      } catch (IOException e) {
        continue;
      }
      any = true;
      for (int i = 1; i < lines.size(); i++) {
        String[] f = lines.get(i).trim().split("\\s+");
        if (f.length < 4) {
          continue;
        }
        int local = port(f[1]);
        int remote = port(f[2]);
        if (!ports.contains(local) && !ports.contains(remote)) {
          continue;
        }
        if (f.length > 9 && !f[9].equals("0") && !f[3].equals("0A")) {
          withDescriptor++;
        }
        switch (f[3]) {
          case "01" -> established++;
          case "0A" -> {} // LISTEN
          case "06" -> timeWait++;
          default -> other++;
        }
      }
    }
    return any
        ? new TcpCount(established, other, timeWait, withDescriptor)
        : new TcpCount(-1, -1, -1, -1);
  }

  private static int port(String hexAddress) {
    int colon = hexAddress.indexOf(':');
    return colon < 0 ? -1 : Integer.parseInt(hexAddress.substring(colon + 1), 16);
  }
}
