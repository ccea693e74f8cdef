package dev.partisan.bench.handoff;

import dev.partisan.bench.process.Address;
import dev.partisan.bench.process.BenchProcess;
import dev.partisan.bench.process.ChildOptions;
import dev.partisan.bench.process.SecretFile;
import dev.partisan.kv.KvConfig;
import dev.partisan.kv.KvNode;
import dev.partisan.runtime.RuntimeConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench handoff-node}: one node of {@code bench handoff} or {@code bench overlays} with
 * {@code --processes}, in its own JVM. It is configured as the in-process nodes are ({@link
 * NodeSpec}), opens the store the bench seeded under {@code --data-dir/NAME}, joins the seed's
 * overlay, prints its ready line, then answers {@link NodeControl}'s operations from its standard
 * input (bench's host protocol) until the input closes or it is stopped. Started by the bench, not
 * by hand.
 */
@Command(
    name = "handoff-node",
    hidden = true,
    description = "One node of bench handoff/overlays --processes (started by the bench).")
public final class HandoffNodeCommand implements Callable<Integer> {
  @Option(names = "--name", required = true)
  String name;

  @Option(names = "--data-dir", required = true, description = "The run's folder of stores.")
  Path dataDir;

  @Option(names = "--mode", required = true, converter = ChannelMode.Converter.class)
  ChannelMode mode;

  @Option(names = "--overlay", required = true)
  String overlay;

  @Option(names = "--nodes", required = true)
  int nodes;

  @Option(names = "--ring-size", required = true)
  int ringSize;

  @Option(names = "--parallelism", required = true)
  int parallelism;

  @Option(names = "--aae")
  boolean aae;

  @Option(names = "--kv")
  Map<String, String> kv = new LinkedHashMap<>();

  @Option(names = "--runtime")
  Map<String, String> runtime = new LinkedHashMap<>();

  @Option(names = "--listen", required = true, description = "HOST:PORT to listen on.")
  String listen;

  @Option(names = "--advertise", description = "HOST:PORT peers dial (default: --listen).")
  String advertise;

  @Option(names = "--seed", description = "HOST:PORT of the node whose overlay to join.")
  String seed;

  @Option(names = "--secret-file", required = true, description = "The cluster secret's file.")
  Path secretFile;

  @Mixin final ChildOptions child = new ChildOptions();

  @Override
  public Integer call() throws Exception {
    child.begin();
    NodeSpec spec = NodeSpec.of(overlay, nodes, ringSize, parallelism, aae, kv, runtime);
    Address at = Address.parse("--listen", listen);
    Address advertised = advertise == null ? at : Address.parse("--advertise", advertise);
    KvConfig store = spec.kvConfig(mode, name, dataDir);
    RuntimeConfig.Builder rt =
        spec.runtime(mode, name, SecretFile.read(secretFile), store)
            .host(at.host())
            .port(at.port())
            .advertise(advertised.host(), advertised.port());
    KvNode node = KvNode.start(store, rt);
    Thread hook = new Thread(node::close, "handoff-node-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    if (seed != null) {
      Address s = Address.parse("--seed", seed);
      node.runtime().join(s.host(), s.port()).get(20, TimeUnit.SECONDS);
    }
    System.out.println(
        BenchProcess.READY + " handoff node " + name + " pid " + ProcessHandle.current().pid());
    System.out.flush();
    NodeControl.loop(new LocalRunNode(node)).run(System.in, System.out);
    Runtime.getRuntime().removeShutdownHook(hook);
    node.close(); // the bench closed our input: it is done with this node
    return 0;
  }
}
