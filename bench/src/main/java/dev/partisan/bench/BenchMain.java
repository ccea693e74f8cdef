package dev.partisan.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Entry point of the bench jar; each experiment is a subcommand. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "partisan-kv benchmarks and experiments.",
    subcommands = {
      BenchMain.Jmh.class,
      dev.partisan.bench.runtime.RuntimeBenchCommand.class,
      dev.partisan.bench.kv.KvBenchCommand.class,
      dev.partisan.bench.scale.ScaleBenchCommand.class,
      dev.partisan.bench.handoff.HandoffBenchCommand.class,
      dev.partisan.bench.echo.EchoBenchCommand.class,
      dev.partisan.bench.handoff.OverlaysBenchCommand.class,
      dev.partisan.bench.handoff.HandoffNodeCommand.class,
      dev.partisan.bench.scale.KvScaleCommand.class,
      dev.partisan.bench.scale.KvHostCommand.class,
      dev.partisan.bench.adcounter.AdCounterBenchCommand.class,
      dev.partisan.bench.link.LinkCommand.class,
      dev.partisan.bench.echo.EchoNodeCommand.class,
      dev.partisan.bench.scale.ScaleHostCommand.class,
      dev.partisan.bench.echo.EchoCostCommand.class,
      dev.partisan.bench.sim.SimBenchCommand.class
    })
public final class BenchMain implements Callable<Integer> {

  public static void main(String[] args) {
    System.exit(
        new CommandLine(new BenchMain())
            .setExecutionExceptionHandler(BenchMain::reportBadArgument)
            .execute(args));
  }

  /** A command's own check of its options failed: say why in one line, as picocli does. */
  private static int reportBadArgument(
      Exception e, CommandLine command, CommandLine.ParseResult parsed) throws Exception {
    if (!(e instanceof IllegalArgumentException)) {
      throw e;
    }
    command.getErr().println(command.getCommandName() + ": " + e.getMessage());
    return command.getCommandSpec().exitCodeOnInvalidInput();
  }

  @Override
  public Integer call() {
    new CommandLine(this).usage(System.out);
    return 0;
  }

  /** Runs the JMH micro-benchmarks packaged in this jar (regular expression filter). */
  @Command(name = "jmh", description = "Run JMH benchmarks; arguments are passed to JMH.")
  static final class Jmh implements Callable<Integer> {
    @Parameters(arity = "0..*", description = "JMH arguments, e.g. a benchmark regex")
    String[] args = new String[0];

    @Override
    public Integer call() throws Exception {
      org.openjdk.jmh.Main.main(args);
      return 0;
    }
  }
}
