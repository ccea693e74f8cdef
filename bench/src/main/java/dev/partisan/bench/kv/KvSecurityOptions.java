package dev.partisan.bench.kv;

import dev.partisan.runtime.tls.TlsProvider;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * {@code bench kv}'s TLS and authentication options: {@code --tls} puts the in-process cluster
 * under TLS (or running PB nodes behind RpbStartTls), {@code --cacert}, {@code --user} and {@code
 * --password-file} reach a secured running cluster. Set by picocli, then read on the command's
 * thread.
 */
final class KvSecurityOptions {
  @Option(
      names = "--tls",
      description = {
        "In-process targets: the cluster runs on development certificates, TLS 1.3 between the",
        "nodes (mutual authentication), HTTPS for http-local, RpbStartTls for pb. pb://: every",
        "connection starts with RpbStartTls (https:// URLs are TLS anyway)."
      })
  boolean tls;

  @Option(
      names = "--tls-provider",
      description = {
        "With TLS: auto (OpenSSL where it loads), jdk or openssl, for the cluster transport and",
        "the bench's PB and HTTP clients (default: auto)."
      })
  String tlsProvider = "auto";

  @Option(
      names = "--cacert",
      paramLabel = "FILE",
      description = {
        "Running nodes: the CA (PEM) their certificates chain to, for https:// and pb:// (pb://:",
        "implies --tls); default: the JDK's authorities."
      })
  Path caFile;

  @Option(
      names = "--user",
      paramLabel = "NAME",
      description = {
        "Running nodes with security on: HTTP Basic (https:// only) or RpbAuthReq (pb://, after",
        "RpbStartTls, which --user turns on)."
      })
  String user;

  @Option(
      names = "--password-file",
      paramLabel = "FILE",
      description = "--user's password: the file's first line (never on the command line).")
  Path passwordFile;

  /** Whether {@code target} names the cluster this JVM starts. */
  static boolean local(String target) {
    return target.equals("http-local") || target.equals("pb") || target.equals("client");
  }

  /** Refuses combinations that would not do what they say, before anything starts. */
  void check(String target) {
    TlsProvider.parse(tlsProvider);
    boolean remote = !local(target);
    if (!remote && (caFile != null || user != null || passwordFile != null)) {
      throw new IllegalArgumentException(
          "--cacert, --user and --password-file are for running nodes; the in-process cluster"
              + " makes its own certificates with --tls and runs without security");
    }
    if (user == null && passwordFile != null) {
      throw new IllegalArgumentException("--password-file needs --user");
    }
    if (target.startsWith("http://") && (tls || caFile != null || user != null)) {
      throw new IllegalArgumentException(
          "--tls, --cacert and --user need https:// URLs (--user would send a password in"
              + " plaintext)");
    }
    if (target.equals("scenarios") && (tls || caFile != null || user != null)) {
      throw new IllegalArgumentException("--target scenarios has no TLS or authentication");
    }
  }

  TlsProvider provider() {
    return TlsProvider.parse(tlsProvider);
  }

  /** PB to running nodes: RpbStartTls when asked for, or when a CA or a user is named. */
  boolean pbStartTls() {
    return tls || caFile != null || user != null;
  }

  /** The running nodes' trust, or null when no TLS applies. */
  KvTls remoteTls(String target) {
    boolean https = target.regionMatches(true, 0, "https://", 0, 8);
    boolean pb = target.startsWith("pb://") && pbStartTls();
    return https || pb ? KvTls.forRunningNodes(caFile, provider()) : null;
  }

  /** The user to authenticate as, or null. */
  KvCredentials credentials() {
    return user == null ? null : KvCredentials.read(user, passwordFile);
  }

  /**
   * The run's TLS provenance for its summary: {@code tls: off}, or {@code tls: on (provider X)} and
   * what runs over TLS.
   */
  static String describe(String target, KvTls tls, KvCredentials credentials) {
    String auth = credentials == null ? "" : "; authenticated as " + credentials.user();
    if (tls == null) {
      return "tls: off" + auth;
    }
    String provider = tls.resolvedProvider();
    String what =
        switch (target) {
          case "http-local" ->
              "cluster transport TLS 1.3 with mutual authentication; HTTPS (the node's Jetty: JDK"
                  + " provider; the bench's HTTP client: the provider named)";
          case "pb" -> "cluster transport TLS 1.3 with mutual authentication; PB over RpbStartTls";
          case "client" -> "cluster transport TLS 1.3 with mutual authentication";
          default ->
              target.startsWith("pb://")
                  ? "PB over RpbStartTls, trusting " + tls.trust()
                  : "HTTPS (the bench's HTTP client), trusting " + tls.trust();
        };
    return String.format(Locale.ROOT, "tls: on (provider %s): %s%s", provider, what, auth);
  }
}
