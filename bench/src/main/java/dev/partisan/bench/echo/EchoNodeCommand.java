package dev.partisan.bench.echo;

import dev.partisan.bench.process.Address;
import dev.partisan.bench.process.BenchProcess;
import dev.partisan.bench.process.ChildOptions;
import dev.partisan.bench.process.SecretFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench node}: node B of {@code bench echo} in a process of its own, on this machine or
 * another, for {@code bench echo --nodes processes} (which starts it) and {@code bench echo
 * --remote HOST:PORT} (started by hand). It serves every configuration on consecutive ports.
 */
@Command(
    name = "node",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Node B of bench echo in its own process: the echo actors, one runtime per configuration",
      "(configuration i of baseline, parallel, parallel-affinity, channels,",
      "channels-parallel-affinity listens on the --listen port + i and advertises the",
      "--advertise port + i). Prints a line per configuration and a ready line, then serves",
      "until Ctrl-C or --duration. Run bench echo with --remote HOST:PORT (the advertised",
      "address) and the same --lanes, --channels and --secret-file."
    })
public final class EchoNodeCommand implements Callable<Integer> {
  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      description =
          "Address of the first configuration's socket (default: ${DEFAULT-VALUE}; 0.0.0.0:PORT"
              + " for other machines, with --advertise).")
  String listen = "127.0.0.1:9400";

  @Option(
      names = "--advertise",
      paramLabel = "HOST:PORT",
      description =
          "Address peers dial for the first configuration: this machine's address as the other"
              + " machine reaches it, or a link proxy in front of it (default: --listen).")
  String advertise;

  @Option(names = "--configs", split = ",", description = "Configurations to serve (default: all).")
  List<String> configs = new ArrayList<>(EchoConfig.names());

  @Option(names = "--lanes", description = "Lanes of the parallel configurations (default: 16).")
  int lanes = 16;

  @Option(
      names = "--channels",
      description = "Channels of the channel configurations (default: 4).")
  int channels = 4;

  @Option(
      names = "--echo-actors",
      description = "Echo actors, one per sender of the bench (default: ${DEFAULT-VALUE}).")
  int echoActors = 128;

  @Option(
      names = "--secret-file",
      required = true,
      paramLabel = "FILE",
      description =
          "The cluster secret, the file's first line: the same file as bench echo's (never on the"
              + " command line).")
  Path secretFile;

  @Option(
      names = "--duration",
      description = "Seconds to serve, then stop; 0: until Ctrl-C (default: ${DEFAULT-VALUE}).")
  double durationSeconds = 0;

  @Mixin final ChildOptions child = new ChildOptions();

  @Override
  public Integer call() throws Exception {
    child.begin();
    Address listenAt = Address.parse("--listen", listen);
    Address advertised = advertise == null ? listenAt : Address.parse("--advertise", advertise);
    if (advertised.isWildcard()) {
      throw new IllegalArgumentException(
          "--listen "
              + listen
              + " is a wildcard: give --advertise HOST:PORT, the address peers"
              + " dial");
    }
    configs.forEach(EchoServer::offset); // unknown names fail here, before anything starts
    String secret = SecretFile.read(secretFile);
    EchoServer server =
        EchoServer.start(configs, lanes, channels, secret, listenAt, advertised, echoActors);
    CountDownLatch done = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              server.close();
              done.countDown();
            },
            "bench-node-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    server.describe().forEach(System.out::println);
    System.out.println(
        BenchProcess.READY
            + " bench node pid "
            + ProcessHandle.current().pid()
            + ", lanes "
            + lanes
            + ", channels "
            + channels
            + ", echo actors "
            + echoActors);
    System.out.flush();
    if (durationSeconds > 0) {
      if (!done.await((long) (durationSeconds * 1000), TimeUnit.MILLISECONDS)) {
        Runtime.getRuntime().removeShutdownHook(hook);
        server.close();
      }
    } else {
      done.await();
    }
    return 0;
  }
}
