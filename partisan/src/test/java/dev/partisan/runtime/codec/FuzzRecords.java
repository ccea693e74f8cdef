package dev.partisan.runtime.codec;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Registered record types that use every component kind the record codec supports, for the fuzz
 * targets: scalars, containers, bulk bytes, a record that contains itself, a field declared as
 * {@code Object} (a tagged registered message) and a record whose constructor refuses some values.
 * Ids 1101 to 1106.
 */
public final class FuzzRecords {
  private FuzzRecords() {}

  public enum Colour {
    RED,
    GREEN,
    BLUE
  }

  public record Scalars(
      boolean flag,
      byte b,
      short s,
      char c,
      int i,
      long l,
      float f,
      double d,
      Integer boxed,
      String text,
      byte[] bytes,
      UUID id,
      Colour colour) {}

  public record Containers(
      List<String> list,
      Set<Integer> set,
      Map<String, Long> map,
      Optional<String> maybe,
      SharedBytes bulk) {}

  public record Tree(String label, List<Tree> children) {}

  public record Wrapper(Object payload) {}

  /** A record whose constructor checks its values, as many of the store's messages do. */
  public record Checked(String name, int count) {
    public Checked {
      if (name == null || name.isEmpty() || count < 0) {
        throw new IllegalArgumentException("a name and a count >= 0 are required");
      }
    }
  }

  public record Linked(int value, Linked next) {}

  public static final int FIRST_ID = 1101;

  public static void register(TypeRegistry types) {
    types.register(1101, Scalars.class);
    types.register(1102, Containers.class);
    types.register(1103, Tree.class);
    types.register(1104, Wrapper.class);
    types.register(1105, Checked.class);
    types.register(1106, Linked.class);
  }

  /** The registered ids, for a fuzz target to pick one from its input. */
  public static final int[] IDS = {1101, 1102, 1103, 1104, 1105, 1106};
}
