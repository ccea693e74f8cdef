package dev.partisan.http.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Console;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code partisan-kv admin security ...}: riak-admin security's commands and argument order, over
 * the node's {@code /admin/security} endpoints. A password given as {@code password=...} shows in
 * process lists; {@code password-file=PATH} or {@code --prompt-password} keep it out of them.
 */
@Command(
    name = "security",
    mixinStandardHelpOptions = true,
    description = "Users, sources and permissions (riak-admin security).",
    subcommands = {
      SecurityCommand.Enable.class,
      SecurityCommand.Disable.class,
      SecurityCommand.Status.class,
      SecurityCommand.AddUser.class,
      SecurityCommand.AlterUser.class,
      SecurityCommand.DelUser.class,
      SecurityCommand.AddSource.class,
      SecurityCommand.DelSource.class,
      SecurityCommand.Grant.class,
      SecurityCommand.Revoke.class
    })
public final class SecurityCommand implements Runnable {
  private static final ObjectMapper JSON = new ObjectMapper();

  @ParentCommand AdminCommand parent;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  abstract static class SecurityLeaf extends AdminCommand.Leaf {
    @ParentCommand SecurityCommand security;

    @Override
    AdminCommand admin() {
      return security.parent;
    }

    /** A usage error: printed, exit code 2, nothing sent. */
    int usage(String message) {
      CommandLine cl = leafSpec.commandLine();
      cl.getErr().println("partisan-kv admin security " + leafSpec.name() + ": " + message);
      cl.getErr().flush();
      return 2;
    }
  }

  static String userPath(String name) {
    return "/admin/security/users/"
        + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
  }

  static List<String> commaList(String text) {
    return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /** {@code key=value} arguments as a map; IllegalArgumentException for one without '='. */
  static Map<String, String> options(List<String> args) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String a : args == null ? List.<String>of() : args) {
      int eq = a.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("expected key=value, got '" + a + "'");
      }
      out.put(a.substring(0, eq), a.substring(eq + 1));
    }
    return out;
  }

  @Command(name = "enable", description = "Enforce security (needs an admin who can log in).")
  static final class Enable extends SecurityLeaf {
    @Override
    public Integer call() {
      return client().post("/admin/security/enable", Map.of());
    }
  }

  @Command(name = "disable", description = "Stop enforcing security.")
  static final class Disable extends SecurityLeaf {
    @Override
    public Integer call() {
      return client().post("/admin/security/disable", Map.of());
    }
  }

  @Command(name = "status", description = "Whether security is enabled; users, sources, grants.")
  static final class Status extends SecurityLeaf {
    @Override
    public Integer call() {
      return client().get("/admin/security", Map.of());
    }
  }

  /** add-user and alter-user: NAME and options, the password from the line, a file or a prompt. */
  abstract static class UserChange extends SecurityLeaf {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(
        index = "1..*",
        paramLabel = "OPTION",
        description = "password=... or password-file=PATH")
    List<String> args;

    @Option(
        names = "--prompt-password",
        description = "Read the password from the console (not echoed).")
    boolean prompt;

    abstract String method();

    @Override
    public Integer call() {
      Map<String, String> options;
      try {
        options = options(args);
        String file = options.remove("password-file");
        if (file != null) {
          options.put("password", firstLine(Path.of(file)));
        }
        if (prompt) {
          Console console = System.console();
          if (console == null) {
            return usage("no console to prompt on: use password-file=PATH");
          }
          char[] pw = console.readPassword("Password for %s: ", name);
          if (pw == null) {
            return usage("no password read");
          }
          options.put("password", new String(pw));
          Arrays.fill(pw, '\0');
        }
      } catch (IllegalArgumentException e) {
        return usage(e.getMessage());
      } catch (IOException e) {
        return usage("cannot read the password file: " + e.getMessage());
      }
      ObjectNode body = JSON.createObjectNode();
      options.forEach(body::put);
      return client().send(method(), userPath(name), Map.of(), body.toString());
    }

    private static String firstLine(Path file) throws IOException {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      return lines.isEmpty() ? "" : lines.get(0);
    }
  }

  @Command(name = "add-user", description = "Add user NAME [password=...|password-file=PATH].")
  static final class AddUser extends UserChange {
    @Override
    String method() {
      return "POST";
    }
  }

  @Command(name = "alter-user", description = "Change NAME's password=...|password-file=PATH.")
  static final class AlterUser extends UserChange {
    @Override
    String method() {
      return "PUT";
    }
  }

  @Command(name = "del-user", description = "Delete NAME with its sources and grants.")
  static final class DelUser extends SecurityLeaf {
    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
      return client().send("DELETE", userPath(name), Map.of(), null);
    }
  }

  @Command(
      name = "add-source",
      description =
          "Let USERS (comma-separated, or all) from CIDR log in by trust|password|certificate.")
  static final class AddSource extends SecurityLeaf {
    @Parameters(index = "0", paramLabel = "USERS")
    String users;

    @Parameters(index = "1", paramLabel = "CIDR")
    String cidr;

    @Parameters(index = "2", paramLabel = "METHOD")
    String method;

    @Parameters(index = "3..*", paramLabel = "OPTION")
    List<String> args;

    @Override
    public Integer call() {
      ObjectNode body = JSON.createObjectNode();
      commaList(users).forEach(body.putArray("users")::add);
      body.put("cidr", cidr).put("method", method);
      try {
        options(args).forEach(body.putObject("options")::put);
      } catch (IllegalArgumentException e) {
        return usage(e.getMessage());
      }
      return client().send("POST", "/admin/security/sources", Map.of(), body.toString());
    }
  }

  @Command(name = "del-source", description = "Remove the source of USERS (or all) on CIDR.")
  static final class DelSource extends SecurityLeaf {
    @Parameters(index = "0", paramLabel = "USERS")
    String users;

    @Parameters(index = "1", paramLabel = "CIDR")
    String cidr;

    @Override
    public Integer call() {
      return client()
          .send(
              "DELETE",
              "/admin/security/sources",
              Map.of("users", String.join(",", commaList(users)), "cidr", cidr),
              null);
    }
  }

  /** grant and revoke: {@code PERMS on any|TYPE [BUCKET] to|from USERS}. */
  abstract static class GrantChange extends SecurityLeaf {
    @Parameters(paramLabel = "ARGS", description = "PERMS on any|TYPE|TYPE BUCKET to|from USERS")
    List<String> words;

    abstract String action();

    abstract String preposition();

    @Override
    public Integer call() {
      String form = "PERMS on any|TYPE|TYPE BUCKET " + preposition() + " USERS";
      int n = words == null ? 0 : words.size();
      if (n < 5 || n > 6 || !words.get(1).equals("on") || !words.get(n - 2).equals(preposition())) {
        return usage("expected " + form);
      }
      ObjectNode body = JSON.createObjectNode();
      commaList(words.get(0)).forEach(body.putArray("permissions")::add);
      if (n == 6) {
        body.put("type", words.get(2)).put("bucket", words.get(3));
      } else if (!words.get(2).equals("any")) {
        body.put("type", words.get(2));
      }
      commaList(words.get(n - 1)).forEach(body.putArray("users")::add);
      return client().send("POST", "/admin/security/" + action(), Map.of(), body.toString());
    }
  }

  @Command(name = "grant", description = "Grant PERMS on any|TYPE|TYPE BUCKET to USERS (or all).")
  static final class Grant extends GrantChange {
    @Override
    String action() {
      return "grant";
    }

    @Override
    String preposition() {
      return "to";
    }
  }

  @Command(name = "revoke", description = "Revoke PERMS on any|TYPE|TYPE BUCKET from USERS.")
  static final class Revoke extends GrantChange {
    @Override
    String action() {
      return "revoke";
    }

    @Override
    String preposition() {
      return "from";
    }
  }
}
