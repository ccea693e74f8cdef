package dev.partisan.http.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code partisan-kv admin bucket-type create|activate|update|list|status}, as riak-admin has it:
 * {@code create NAME '{"props":{...}}'}, then {@code activate NAME} once every member knows it.
 */
@Command(
    name = "bucket-type",
    mixinStandardHelpOptions = true,
    description = "Create, activate, update, list and show bucket types.",
    subcommands = {
      BucketTypeCommand.Create.class,
      BucketTypeCommand.Activate.class,
      BucketTypeCommand.Update.class,
      BucketTypeCommand.ListTypes.class,
      BucketTypeCommand.Status.class
    })
public final class BucketTypeCommand implements Runnable {
  @ParentCommand AdminCommand parent;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  abstract static class TypeLeaf extends AdminCommand.Leaf {
    @ParentCommand BucketTypeCommand types;

    @Override
    AdminCommand admin() {
      return types.parent;
    }

    static String path(String name, String action) {
      return "/admin/bucket-types/"
          + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20")
          + (action.isEmpty() ? "" : "/" + action);
    }
  }

  @Command(
      name = "create",
      description = "Create NAME (not usable until activated) with properties '{\"props\":{...}}'.")
  static final class Create extends TypeLeaf {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1", arity = "0..1", paramLabel = "JSON")
    String json;

    @Override
    public Integer call() {
      return client().postJson(path(name, "create"), json == null ? "{\"props\":{}}" : json);
    }
  }

  @Command(name = "activate", description = "Activate NAME once every member knows it.")
  static final class Activate extends TypeLeaf {
    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
      return client().post(path(name, "activate"), Map.of());
    }
  }

  @Command(
      name = "update",
      description = "Change an active type's properties with '{\"props\":{...}}'.")
  static final class Update extends TypeLeaf {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1", paramLabel = "JSON")
    String json;

    @Override
    public Integer call() {
      return client().postJson(path(name, "update"), json);
    }
  }

  @Command(name = "list", description = "Every bucket type and whether it is active.")
  static final class ListTypes extends TypeLeaf {
    @Override
    public Integer call() {
      return client().get("/admin/bucket-types", Map.of());
    }
  }

  @Command(name = "status", description = "Whether NAME is active, and its properties.")
  static final class Status extends TypeLeaf {
    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
      return client().get(path(name, ""), Map.of());
    }
  }
}
