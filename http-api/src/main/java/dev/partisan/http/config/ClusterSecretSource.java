package dev.partisan.http.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Where a node's cluster secret (the HMAC key of the peer handshake) comes from. There is no shared
 * default: the first of these that applies wins.
 *
 * <ol>
 *   <li>{@code cluster.secret}: the secret itself ({@link Given}).
 *   <li>{@code cluster.secret_file}: a file that holds it ({@link FromFile}), which keeps it out of
 *       process lists, shell history and compose files.
 *   <li>Neither: the node generates a random secret on its first start and keeps it in {@code
 *       cluster.generated_secret_file} (default {@code <kv.data_dir>/cluster.secret}), reusing it
 *       on later starts ({@link Generated}). Nodes that name the same file (a shared volume) share
 *       the secret: the first to start creates it, the others read it.
 * </ol>
 *
 * <p>An empty value counts as not set, so that a compose file can pass {@code
 * ${PARTISAN_CLUSTER_SECRET:-}}. Setting both {@code cluster.secret} and {@code
 * cluster.secret_file} is an error. Nothing here ever logs, prints or puts in an exception the
 * secret's value; files are named, contents never.
 */
public sealed interface ClusterSecretSource {
  String SECRET = "cluster.secret";
  String SECRET_FILE = "cluster.secret_file";
  String GENERATED_FILE = "cluster.generated_secret_file";

  /** The settings read here (the runtime's parser never sees them). */
  Set<String> KEYS = Set.of(SECRET, SECRET_FILE, GENERATED_FILE);

  /** The name of the generated secret's file in the data folder. */
  String DEFAULT_FILE_NAME = "cluster.secret";

  /**
   * The secret. May read a file and, for {@link Generated}, create it; throws {@link
   * IllegalArgumentException} naming the setting and the file when that fails.
   */
  String load();

  /**
   * Checks what can be checked before the node starts, creating nothing: an operator's secret file
   * must be readable and not empty (a generated one is made only by {@link #load()}).
   */
  default void check() {}

  /** Where the secret is, for people (never the secret itself). */
  String where();

  /**
   * Decides the source from a node's settings; {@code dataDir} holds the default generated file.
   */
  static ClusterSecretSource of(Map<String, String> settings, Path dataDir) {
    String secret = settings.getOrDefault(SECRET, "").trim();
    String file = settings.getOrDefault(SECRET_FILE, "").trim();
    if (!secret.isEmpty() && !file.isEmpty()) {
      throw new IllegalArgumentException(
          "set either '" + SECRET + "' or '" + SECRET_FILE + "', not both");
    }
    if (!secret.isEmpty()) {
      return new Given(secret);
    }
    if (!file.isEmpty()) {
      return new FromFile(Path.of(file));
    }
    String generated = settings.getOrDefault(GENERATED_FILE, "").trim();
    return new Generated(
        generated.isEmpty() ? dataDir.resolve(DEFAULT_FILE_NAME) : Path.of(generated));
  }

  /** {@code cluster.secret}: the value itself. */
  record Given(String secret) implements ClusterSecretSource {
    @Override
    public String load() {
      return secret;
    }

    @Override
    public String where() {
      return "the setting " + SECRET;
    }

    @Override
    public String toString() {
      return "Given[" + SECRET + "]"; // never the value
    }
  }

  /** {@code cluster.secret_file}: a file the operator wrote (it must exist and not be empty). */
  record FromFile(Path file) implements ClusterSecretSource {
    @Override
    public void check() {
      SecretFiles.read(SECRET_FILE, file);
    }

    @Override
    public String load() {
      String secret = SecretFiles.read(SECRET_FILE, file);
      SecretFiles.LOG.info("cluster secret read from {} ({})", file, SECRET_FILE);
      return secret;
    }

    @Override
    public String where() {
      return file + " (" + SECRET_FILE + ")";
    }
  }

  /** Neither setting given: a random secret kept in {@code file}, made on first use. */
  record Generated(Path file) implements ClusterSecretSource {
    @Override
    public String load() {
      SecretFiles.Loaded loaded = SecretFiles.readOrCreate(GENERATED_FILE, file);
      if (loaded.created()) {
        SecretFiles.LOG.info(
            "no {} or {} given: generated a random cluster secret and kept it in {} (a node joins"
                + " this cluster only with the same secret: point its {} at a copy of this file)",
            SECRET,
            SECRET_FILE,
            file,
            SECRET_FILE);
      } else {
        SecretFiles.LOG.info(
            "cluster secret read from {}, generated earlier (by this node or one sharing the file)",
            file);
      }
      return loaded.secret();
    }

    @Override
    public String where() {
      return file + " (generated on first start)";
    }
  }
}
