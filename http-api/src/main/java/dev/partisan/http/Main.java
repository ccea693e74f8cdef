package dev.partisan.http;

import dev.partisan.http.cli.AdminCommand;
import dev.partisan.http.cli.DevClusterCommand;
import dev.partisan.http.cli.SettingsCommand;
import dev.partisan.http.cli.StartCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The node executable: {@code partisan-kv start | dev-cluster | admin | settings}. */
@Command(
    name = "partisan-kv",
    mixinStandardHelpOptions = true,
    version = "partisan-kv 0.1.0",
    description = "A Riak-style distributed key-value store on the Partisan actor runtime.",
    subcommands = {
      StartCommand.class,
      DevClusterCommand.class,
      AdminCommand.class,
      SettingsCommand.class
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }
}
