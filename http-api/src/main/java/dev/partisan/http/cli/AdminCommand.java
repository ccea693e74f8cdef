package dev.partisan.http.cli;

import dev.partisan.runtime.tls.TlsConfigException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;

/**
 * {@code partisan-kv admin ...}: riak-admin's commands over a node's HTTP admin API. Every command
 * takes {@code --url} (default http://127.0.0.1:8098) and {@code --json}; an https URL may come
 * with {@code --cacert} (whom to trust) and {@code --cert}/{@code --key} (a client certificate).
 */
@Command(
    name = "admin",
    mixinStandardHelpOptions = true,
    description = "Administer a running node over HTTP (riak-admin's commands).",
    subcommands = {
      AdminCommand.Cluster.class,
      AdminCommand.MemberStatus.class,
      AdminCommand.RingStatus.class,
      AdminCommand.Transfers.class,
      AdminCommand.TransferLimit.class,
      AdminCommand.TransferRate.class,
      AdminCommand.AaeStatus.class,
      BucketTypeCommand.class,
      SecurityCommand.class,
      AdminCommand.Partition.class,
      AdminCommand.Heal.class,
      AdminCommand.Faults.class,
      AdminCommand.Ping.class,
      CertsCommand.class
    })
public final class AdminCommand implements Runnable {
  @Option(
      names = "--url",
      defaultValue = "http://127.0.0.1:8098",
      scope = ScopeType.INHERIT,
      description = "The node's HTTP address (default ${DEFAULT-VALUE}).")
  String url;

  @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print JSON instead of text.")
  boolean json;

  @Option(
      names = "--cacert",
      paramLabel = "FILE",
      scope = ScopeType.INHERIT,
      description = "PEM authorities to trust for an https --url (default: the JDK's).")
  Path caCert;

  @Option(
      names = "--cert",
      paramLabel = "FILE",
      scope = ScopeType.INHERIT,
      description = "PEM client certificate to present over https (with --key).")
  Path cert;

  @Option(
      names = "--key",
      paramLabel = "FILE",
      scope = ScopeType.INHERIT,
      description = "The client certificate's unencrypted PKCS#8 PEM key.")
  Path key;

  @Option(
      names = "--user",
      scope = ScopeType.INHERIT,
      description =
          "User for HTTP Basic auth (https only); the password comes from --password-file or"
              + " PARTISAN_PASSWORD, never from the command line; with --cert it may be left"
              + " out (a certificate source).")
  String user;

  @Option(
      names = "--password-file",
      paramLabel = "FILE",
      scope = ScopeType.INHERIT,
      description = "File whose first line is --user's password.")
  Path passwordFile;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Base of the leaf commands: reaches the admin options through the parent chain. */
  abstract static class Leaf implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec leafSpec;

    abstract AdminCommand admin();

    /** A client printing to this command's writers (tests capture them). */
    AdminClient client() {
      CommandLine cl = leafSpec.commandLine();
      AdminCommand a = admin();
      SSLContext tls;
      String authorization;
      try {
        tls = AdminTls.context(a.caCert, a.cert, a.key);
        authorization =
            AdminCredentials.header(
                a.user,
                a.passwordFile,
                System.getenv(AdminCredentials.PASSWORD_ENV),
                a.url,
                a.cert != null);
      } catch (IllegalArgumentException | TlsConfigException e) {
        throw new CommandLine.ParameterException(cl, e.getMessage());
      }
      return new AdminClient(a.url, a.json, tls, authorization, cl.getOut(), cl.getErr());
    }
  }

  abstract static class TopLevel extends Leaf {
    @ParentCommand AdminCommand parent;

    @Override
    AdminCommand admin() {
      return parent;
    }
  }

  @Command(
      name = "cluster",
      mixinStandardHelpOptions = true,
      description = "Stage, plan and commit cluster changes.",
      subcommands = {
        Cluster.Join.class,
        Cluster.Leave.class,
        Cluster.Remove.class,
        Cluster.Plan.class,
        Cluster.Commit.class,
        Cluster.Clear.class
      })
  public static final class Cluster implements Runnable {
    @ParentCommand AdminCommand parent;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      spec.commandLine().usage(System.out);
    }

    abstract static class ClusterLeaf extends Leaf {
      @ParentCommand Cluster cluster;

      @Override
      AdminCommand admin() {
        return cluster.parent;
      }
    }

    @Command(
        name = "join",
        description = "Join this node to the cluster of SEED (host:cluster-port).")
    static final class Join extends ClusterLeaf {
      @Parameters(paramLabel = "SEED", description = "host:port of a member's cluster port")
      String seed;

      @Override
      public Integer call() {
        return client().post("/admin/cluster/join", Map.of("seed", seed));
      }
    }

    @Command(name = "leave", description = "Stage a leave of this node (or NODE).")
    static final class Leave extends ClusterLeaf {
      @Parameters(arity = "0..1", paramLabel = "NODE")
      String node;

      @Override
      public Integer call() {
        return client()
            .post("/admin/cluster/leave", node == null ? Map.of() : Map.of("node", node));
      }
    }

    @Command(name = "remove", description = "Stage the removal of NODE (its replicas are dropped).")
    static final class Remove extends ClusterLeaf {
      @Parameters(paramLabel = "NODE")
      String node;

      @Override
      public Integer call() {
        return client().post("/admin/cluster/remove", Map.of("node", node));
      }
    }

    @Command(name = "plan", description = "Show what the staged changes will do.")
    static final class Plan extends ClusterLeaf {
      @Override
      public Integer call() {
        return client().get("/admin/cluster/plan", Map.of());
      }
    }

    @Command(name = "commit", description = "Apply the planned changes.")
    static final class Commit extends ClusterLeaf {
      @Override
      public Integer call() {
        return client().post("/admin/cluster/commit", Map.of());
      }
    }

    @Command(name = "clear", description = "Drop the staged changes.")
    static final class Clear extends ClusterLeaf {
      @Override
      public Integer call() {
        return client().post("/admin/cluster/clear", Map.of());
      }
    }
  }

  @Command(name = "member-status", description = "Members, their status and ring share.")
  static final class MemberStatus extends TopLevel {
    @Override
    public Integer call() {
      return client().get("/admin/member-status", Map.of());
    }
  }

  @Command(
      name = "ring-status",
      description = "Claimant, pending ownership transfers, unreachable nodes.")
  static final class RingStatus extends TopLevel {
    @Override
    public Integer call() {
      return client().get("/admin/ring-status", Map.of());
    }
  }

  @Command(name = "transfers", description = "Pending ownership transfers.")
  static final class Transfers extends TopLevel {
    @Override
    public Integer call() {
      return client().get("/admin/transfers", Map.of());
    }
  }

  @Command(
      name = "transfer-limit",
      description = "Show or set this node's handoff concurrency (0 pauses handoff).")
  static final class TransferLimit extends TopLevel {
    @Parameters(arity = "0..1", paramLabel = "LIMIT")
    Integer limit;

    @Override
    public Integer call() {
      return limit == null
          ? client().get("/admin/transfer-limit", Map.of())
          : client().post("/admin/transfer-limit", Map.of("limit", limit.toString()));
    }
  }

  @Command(
      name = "transfer-rate",
      description = "Show or set this node's outbound handoff rate in bytes/s (0: unlimited).")
  static final class TransferRate extends TopLevel {
    @Parameters(arity = "0..1", paramLabel = "BYTES_PER_SECOND")
    Long rate;

    @Override
    public Integer call() {
      return rate == null
          ? client().get("/admin/transfer-rate", Map.of())
          : client().post("/admin/transfer-rate", Map.of("bytes_per_second", rate.toString()));
    }
  }

  @Command(
      name = "aae-status",
      description = "Active anti-entropy: trees, exchanges and repairs per partition.")
  static final class AaeStatus extends TopLevel {
    @Override
    public Integer call() {
      return client().get("/admin/aae-status", Map.of());
    }
  }

  @Command(name = "partition", description = "Cut this node off from NODE... (both directions).")
  static final class Partition extends TopLevel {
    @Parameters(arity = "1..*", paramLabel = "NODE")
    List<String> nodes;

    @Override
    public Integer call() {
      return client().post("/admin/faults/partition", Map.of("nodes", String.join(",", nodes)));
    }
  }

  @Command(name = "heal", description = "Remove this node's partitions and fault rules.")
  static final class Heal extends TopLevel {
    @Override
    public Integer call() {
      return client().post("/admin/faults/heal", Map.of());
    }
  }

  @Command(name = "faults", description = "Show this node's injected faults.")
  static final class Faults extends TopLevel {
    @Override
    public Integer call() {
      return client().get("/admin/faults", Map.of());
    }
  }

  @Command(name = "ping", description = "Check that the node answers.")
  static final class Ping extends TopLevel {
    @Override
    public Integer call() {
      return client().get("/ping", Map.of());
    }
  }
}
