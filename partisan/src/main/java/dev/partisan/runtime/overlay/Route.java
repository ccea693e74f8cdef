package dev.partisan.runtime.overlay;

import java.util.List;

/** How to reach a member from here. */
public sealed interface Route {
  /** A neighbour: send directly. */
  record Direct() implements Route {}

  /** Hand the message to these neighbours (one for a known path, several to flood). */
  record Via(List<String> hops) implements Route {}

  /** Not a member, or no neighbour to go through. */
  record Unreachable(String why) implements Route {}

  Route DIRECT = new Direct();
}
