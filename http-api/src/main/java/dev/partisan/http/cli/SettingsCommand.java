package dev.partisan.http.cli;

import dev.partisan.http.config.Setting;
import dev.partisan.http.config.SettingsCatalog;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Prints every setting with its environment variable and default. */
@Command(
    name = "settings",
    description = "List every setting, its environment variable and default.")
public final class SettingsCommand implements Callable<Integer> {
  @Option(
      names = "--markdown",
      description = "Print Markdown tables (as in docs/configuration.md).")
  boolean markdown;

  @Override
  public Integer call() {
    print("Node settings", SettingsCatalog.NODE);
    print("Runtime settings (parsed by RuntimeSettings)", SettingsCatalog.RUNTIME);
    return 0;
  }

  private void print(String title, List<Setting> settings) {
    if (markdown) {
      System.out.println("| key | environment variable | default | meaning |");
      System.out.println("| --- | --- | --- | --- |");
      for (Setting s : settings) {
        System.out.println(s.markdownRow());
      }
      System.out.println();
      return;
    }
    System.out.println(title + ":");
    for (Setting s : settings) {
      System.out.printf(
          "  %-28s %-40s default %s%n      %s%n",
          s.key(),
          s.environmentVariable(),
          s.defaultValue().isEmpty() ? "(none)" : s.defaultValue(),
          s.description());
    }
    System.out.println();
  }
}
