package dev.partisan.http.api;

import dev.partisan.kv.Content;

/** Riak's vtag of a sibling: see {@link dev.partisan.kv.Vtags}, shared with the PB API. */
public final class Vtags {
  private Vtags() {}

  public static String of(Content c) {
    return dev.partisan.kv.Vtags.of(c);
  }
}
