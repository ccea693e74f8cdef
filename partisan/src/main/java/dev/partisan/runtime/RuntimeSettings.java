package dev.partisan.runtime;

import dev.partisan.runtime.channel.ChannelSpec;
import dev.partisan.runtime.channel.TrafficClass;
import dev.partisan.runtime.overlay.OverlayKey;
import dev.partisan.runtime.overlay.Overlays;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads runtime settings from plain key/value pairs — a properties file, or environment variables
 * ({@code PARTISAN_OVERLAY=hyparview} is the key {@code overlay}; {@code
 * PARTISAN_CHANNEL_REQUEST_PARALLELISM=4} is {@code channel.request.parallelism}). This is how the
 * overlay and the channels are chosen without touching code. Unknown keys are an error, so a typo
 * never silently falls back to a default.
 *
 * <p>Keys: {@code cluster.name}, {@code cluster.secret}, {@code host}, {@code port}, {@code
 * advertise_host}, {@code advertise_port}, {@code overlay} (one of {@link Overlays#kinds()}), the
 * overlays' keys {@code overlay.NAME} ({@link Overlays#keys()}: each overlay reads its own, and a
 * key of another overlay is checked but ignored), {@code baseline}, {@code heartbeat_interval_ms},
 * {@code detection_time_ms}, {@code gossip_interval_ms}, {@code news_batch_ms}, {@code
 * max_frame_bytes}, {@code mailbox_capacity}, {@code ack_timeout_ms}, {@code idle_timeout_ms},
 * {@code bulk_event_loop_threads}, {@code transport} ({@code auto}, {@code io_uring}, {@code epoll}
 * or {@code nio}), {@code event_loop_spin_us}, and per channel {@code
 * channel.NAME.parallelism|monotonic|compression|max_queued_bytes|ack|class} (class: {@code
 * latency} or {@code bulk}).
 */
public final class RuntimeSettings {
  private static final String ENV_PREFIX = "PARTISAN_";

  private RuntimeSettings() {}

  /** The settings among environment variables ({@code PARTISAN_*}), as keys. */
  public static Map<String, String> fromEnvironment(Map<String, String> env) {
    Map<String, String> out = new TreeMap<>();
    for (Map.Entry<String, String> e : env.entrySet()) {
      if (e.getKey().startsWith(ENV_PREFIX)) {
        out.put(envToKey(e.getKey().substring(ENV_PREFIX.length())), e.getValue());
      }
    }
    return out;
  }

  private static String envToKey(String env) {
    String lower = env.toLowerCase(java.util.Locale.ROOT);
    if (lower.startsWith("channel_")) {
      // channel_<name>_<option>: the option is the last word, or the last two for two-word ones.
      String rest = lower.substring("channel_".length());
      for (String option :
          List.of("max_queued_bytes", "parallelism", "monotonic", "compression", "ack", "class")) {
        if (rest.endsWith("_" + option)) {
          String name = rest.substring(0, rest.length() - option.length() - 1).replace('_', '-');
          return "channel." + name + "." + option;
        }
      }
      return "channel." + rest;
    }
    for (String group : List.of("cluster", "overlay")) {
      if (lower.startsWith(group + "_")) {
        return group + "." + lower.substring(group.length() + 1);
      }
    }
    return lower;
  }

  /** Applies settings to a builder; throws IllegalArgumentException naming a bad key or value. */
  public static RuntimeConfig.Builder apply(RuntimeConfig.Builder b, Map<String, String> settings) {
    if (settings.containsKey("overlay")) {
      b.overlay(settings.get("overlay"));
    }
    Map<String, Map<String, String>> channels = new LinkedHashMap<>();
    Map<String, String> overlayValues = new HashMap<>();
    for (Map.Entry<String, String> e : new TreeMap<>(settings).entrySet()) {
      String key = e.getKey();
      String v = e.getValue().trim();
      try {
        switch (key) {
          case "overlay" -> {}
          case "cluster.name" -> b.clusterName(v);
          case "cluster.secret" -> b.clusterSecret(v);
          case "host" -> b.host(v);
          case "port" -> b.port(Integer.parseInt(v));
          case "advertise_host", "advertise_port" -> {} // together, below
          case "baseline" -> b.baseline(parseBoolean(v));
          case "heartbeat_interval_ms" -> b.heartbeatInterval(Duration.ofMillis(Long.parseLong(v)));
          case "detection_time_ms" -> b.detectionTime(Duration.ofMillis(Long.parseLong(v)));
          case "gossip_interval_ms" -> b.gossipInterval(Duration.ofMillis(Long.parseLong(v)));
          case "news_batch_ms" -> b.newsBatchInterval(Duration.ofMillis(Long.parseLong(v)));
          case "max_frame_bytes" -> b.maxFrameBytes(Integer.parseInt(v));
          case "mailbox_capacity" -> b.mailboxCapacity(Integer.parseInt(v));
          case "ack_timeout_ms" -> b.ackTimeout(Duration.ofMillis(Long.parseLong(v)));
          case "idle_timeout_ms" -> b.idleTimeout(Duration.ofMillis(Long.parseLong(v)));
          case "bulk_event_loop_threads" -> b.bulkEventLoopThreads(atLeastOne(key, v));
          case "transport" -> b.transport(v);
          case "event_loop_spin_us" -> b.eventLoopSpinMicros(Long.parseLong(v));
          default -> {
            if (isOverlayKey(key)) {
              // Read by the overlays' factories, below.
              overlayValues.put(key.substring(OverlayKey.PREFIX.length()), v);
            } else if (key.startsWith("channel.") && key.lastIndexOf('.') > "channel.".length()) {
              String name = key.substring("channel.".length(), key.lastIndexOf('.'));
              channels
                  .computeIfAbsent(name, k -> new LinkedHashMap<>())
                  .put(key.substring(key.lastIndexOf('.') + 1), v);
            } else {
              throw new IllegalArgumentException("unknown setting '" + key + "'");
            }
          }
        }
      } catch (NumberFormatException ex) {
        throw new IllegalArgumentException("setting '" + key + "' needs a number, got '" + v + "'");
      }
    }
    if (settings.containsKey("advertise_host") || settings.containsKey("advertise_port")) {
      String host = settings.getOrDefault("advertise_host", "").trim();
      String port = settings.getOrDefault("advertise_port", "0").trim();
      try {
        b.advertise(host.isEmpty() ? null : host, Integer.parseInt(port));
      } catch (NumberFormatException ex) {
        throw new IllegalArgumentException(
            "setting 'advertise_port' needs a number, got '" + port + "'");
      }
    }
    b.overlay(Overlays.configure(b.overlaySettings(), overlayValues));
    for (Map.Entry<String, Map<String, String>> c : channels.entrySet()) {
      b.channel(channel(c.getKey(), c.getValue()));
    }
    return b;
  }

  private static boolean isOverlayKey(String key) {
    return key.startsWith(OverlayKey.PREFIX)
        && Overlays.isKey(key.substring(OverlayKey.PREFIX.length()));
  }

  private static ChannelSpec channel(String name, Map<String, String> options) {
    ChannelSpec spec = ChannelSpec.named(name);
    for (Map.Entry<String, String> e : options.entrySet()) {
      String v = e.getValue();
      spec =
          switch (e.getKey()) {
            case "parallelism" -> spec.withParallelism(Integer.parseInt(v));
            case "monotonic" -> spec.withMonotonic(parseBoolean(v));
            case "compression" -> spec.withCompression(parseBoolean(v));
            case "max_queued_bytes" -> spec.withMaxQueuedBytes(Long.parseLong(v));
            case "ack" -> spec.withAck(parseBoolean(v));
            case "class" -> spec.withTrafficClass(trafficClass(name, v));
            default ->
                throw new IllegalArgumentException(
                    "unknown channel option '" + e.getKey() + "' for channel " + name);
          };
    }
    return spec;
  }

  private static int atLeastOne(String key, String v) {
    int n = Integer.parseInt(v);
    if (n < 1) {
      throw new IllegalArgumentException(
          "setting '" + key + "' must be at least 1, got '" + v + "'");
    }
    return n;
  }

  private static TrafficClass trafficClass(String channel, String v) {
    try {
      return TrafficClass.parse(v);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "setting 'channel." + channel + ".class': " + e.getMessage(), e);
    }
  }

  private static boolean parseBoolean(String v) {
    return switch (v.toLowerCase(java.util.Locale.ROOT)) {
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0" -> false;
      default -> throw new IllegalArgumentException("expected true or false, got '" + v + "'");
    };
  }
}
