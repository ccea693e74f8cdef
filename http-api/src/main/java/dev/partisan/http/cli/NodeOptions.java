package dev.partisan.http.cli;

import dev.partisan.http.config.NodeConfig;
import dev.partisan.runtime.overlay.Overlays;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Option;

/**
 * Options shared by {@code start} and {@code dev-cluster}: a config file and key=value settings.
 */
public final class NodeOptions {
  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "A properties file of settings (see docs/configuration.md).")
  Path config;

  @Option(
      names = {"-s", "--set"},
      paramLabel = "KEY=VALUE",
      description = "A setting, e.g. --set kv.ring_size=128 (repeatable; wins over file and env).")
  Map<String, String> set = new LinkedHashMap<>();

  @Option(
      names = "--overlay",
      paramLabel = "KIND",
      description = "One of: ${COMPLETION-CANDIDATES} (the setting 'overlay').",
      completionCandidates = OverlayKinds.class)
  String overlay;

  /** The overlay kinds, from the runtime's registry, for the option's help. */
  static final class OverlayKinds implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Overlays.kinds().iterator();
    }
  }

  /** File, then environment, then flags: the settings before per-command overrides. */
  Map<String, String> merged(Map<String, String> env, Map<String, String> flags) {
    Map<String, String> m = new TreeMap<>();
    if (config != null) {
      m.putAll(NodeConfig.readFile(config));
    }
    m.putAll(NodeConfig.fromEnvironment(env));
    if (overlay != null) {
      m.put("overlay", overlay);
    }
    m.putAll(flags);
    m.putAll(set);
    return m;
  }
}
