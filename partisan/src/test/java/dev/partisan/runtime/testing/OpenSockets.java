package dev.partisan.runtime.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The TCP sockets this process holds a descriptor for (Linux: /proc/self/fd joined with
 * /proc/net/tcp and tcp6 by inode), for tests that check what a closed node left open.
 */
public final class OpenSockets {
  private OpenSockets() {}

  /** One socket: its local and remote ports (0 remote: listening) and TCP state code. */
  public record Socket(int localPort, int remotePort, String state) {
    public boolean involves(int port) {
      return localPort == port || remotePort == port;
    }

    public boolean established() {
      return state.equals("01");
    }

    /** The far end closed; this end has not yet. */
    public boolean closeWait() {
      return state.equals("08");
    }
  }

  /** Whether this platform lets a test see them. */
  public static boolean available() {
    return Files.isDirectory(Path.of("/proc/self/fd")) && Files.exists(Path.of("/proc/net/tcp"));
  }

  /** The TCP sockets with a descriptor in this process now. */
  public static List<Socket> withDescriptor() {
    Set<String> inodes = socketInodes();
    List<Socket> out = new ArrayList<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path p = Path.of(table);
      if (!Files.exists(p)) {
        continue;
      }
      try {
        List<String> lines = Files.readAllLines(p); // read once: the table changes all the time
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
          String[] f = line.trim().split("\\s+");
          if (f.length > 9 && inodes.contains(f[9])) {
            out.add(new Socket(port(f[1]), port(f[2]), f[3]));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  private static int port(String address) {
    return Integer.parseInt(address.substring(address.indexOf(':') + 1), 16);
  }

  private static Set<String> socketInodes() {
    Set<String> inodes = new HashSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      fds.forEach(
          fd -> {
            try {
              String target = Files.readSymbolicLink(fd).toString();
              if (target.startsWith("socket:[")) {
                inodes.add(target.substring(8, target.length() - 1));
              }
            } catch (IOException | UnsupportedOperationException e) {
              // closed while listing: not open
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return inodes;
  }
}
