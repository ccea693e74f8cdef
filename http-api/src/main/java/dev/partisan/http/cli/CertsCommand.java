package dev.partisan.http.cli;

import dev.partisan.runtime.tls.DevCertificates;
import dev.partisan.runtime.tls.DevCertificates.Authority;
import dev.partisan.runtime.tls.TlsConfigException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code partisan-kv admin certs create}: a development certificate authority and node certificates
 * as PEM files, for the {@code tls.*} settings. Runs locally; no node is involved.
 */
@Command(
    name = "certs",
    mixinStandardHelpOptions = true,
    description = "Development TLS certificates (runs locally, no node needed).",
    subcommands = {CertsCommand.Create.class})
public final class CertsCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Writes the CA (or reuses the one in DIR) and a certificate and key per node. */
  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = {
        "Write a development CA (ca.pem, ca-key.pem) and, per node, NODE.pem and NODE-key.pem"
            + " into DIR. A CA already in DIR is reused (so more nodes can be added later) and"
            + " existing node files are kept; --force makes a new CA and reissues every node named.",
        "Each node certificate names the node, localhost, 127.0.0.1 and every --hosts entry, and"
            + " serves both as server and client certificate. Keys are written owner-only."
      })
  static final class Create implements Callable<Integer> {
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write.")
    Path out;

    @Option(
        names = "--nodes",
        required = true,
        split = ",",
        paramLabel = "NODE[,NODE...]",
        description = "Node names: file names and DNS names in the certificates.")
    List<String> nodes;

    @Option(
        names = "--hosts",
        split = ",",
        paramLabel = "HOST[,HOST...]",
        description = "More host names or IP addresses for every node certificate.")
    List<String> hosts = new ArrayList<>();

    @Option(
        names = "--ca-name",
        defaultValue = "partisan-kv development CA",
        description = "The new CA's common name (default: ${DEFAULT-VALUE}).")
    String caName;

    @Option(
        names = "--days",
        defaultValue = "365",
        description = "Validity of new certificates in days (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--force", description = "Make a new CA even if DIR has one; reissue nodes.")
    boolean force;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter stdout = spec.commandLine().getOut();
      PrintWriter stderr = spec.commandLine().getErr();
      try {
        check();
        Duration validity = Duration.ofDays(days);
        Authority ca = authority(validity, stdout);
        for (String node : new LinkedHashSet<>(nodes)) {
          Path cert = out.resolve(node + ".pem");
          Path key = out.resolve(node + "-key.pem");
          if (!force && (Files.exists(cert) || Files.exists(key))) {
            stdout.printf("%s: kept the existing %s (--force reissues it)%n", node, cert);
            continue;
          }
          List<String> names = alternativeNames(node);
          ca.issue(node, names, validity).write(cert, key);
          stdout.printf("%s: wrote %s and %s for %s%n", node, cert, key, String.join(", ", names));
        }
        stdout.flush();
        return 0;
      } catch (IllegalArgumentException | TlsConfigException e) {
        stderr.println("partisan-kv admin certs create: " + e.getMessage());
        stderr.flush();
        return 2;
      }
    }

    private void check() {
      if (days < 1) {
        throw new IllegalArgumentException("--days must be at least 1");
      }
      for (String node : nodes) {
        if (!SAFE_NAME.matcher(node).matches()) {
          throw new IllegalArgumentException(
              "node name '" + node + "' must be letters, digits, '.', '_' or '-' (it names files)");
        }
      }
    }

    /** The CA in DIR, or a new one (written first, so node files never outlive a lost CA). */
    private Authority authority(Duration validity, PrintWriter stdout) {
      Path cert = out.resolve("ca.pem");
      Path key = out.resolve("ca-key.pem");
      boolean haveCert = Files.exists(cert);
      boolean haveKey = Files.exists(key);
      if (!force && haveCert && haveKey) {
        Authority ca = Authority.read(cert, key);
        stdout.printf(
            "reusing the CA in %s (%s)%n", cert, ca.certificate().getSubjectX500Principal());
        return ca;
      }
      if (!force && (haveCert || haveKey)) {
        throw new IllegalArgumentException(
            (haveCert ? key : cert)
                + " is missing, so the CA in "
                + out
                + " cannot issue certificates; --force replaces it with a new CA");
      }
      Authority ca = DevCertificates.createAuthority(caName, validity);
      ca.write(cert, key);
      stdout.printf("wrote the CA %s and its key %s (keep the key private)%n", cert, key);
      return ca;
    }

    private List<String> alternativeNames(String node) {
      Set<String> names = new LinkedHashSet<>(List.of(node, "localhost", "127.0.0.1"));
      for (String h : hosts) {
        if (!h.isBlank()) {
          names.add(h.trim());
        }
      }
      return List.copyOf(names);
    }
  }
}
