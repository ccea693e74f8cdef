package dev.partisan.http.config;

/**
 * One documented setting: its key (as in a properties file), its default as text (empty when there
 * is none) and what it does. The environment variable is derived from the key.
 */
public record Setting(String key, String defaultValue, String description) {

  /** {@code kv.ring_size} is {@code PARTISAN_KV_RING_SIZE}; dots and dashes become underscores. */
  public String environmentVariable() {
    return "PARTISAN_" + key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** This setting as a row of the tables in docs/configuration.md. */
  public String markdownRow() {
    return String.format(
        "| `%s` | `%s` | %s | %s |",
        key,
        environmentVariable(),
        defaultValue.isEmpty() ? "(none)" : "`" + defaultValue + "`",
        description);
  }
}
