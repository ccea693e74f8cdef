package dev.partisan.jepsen;

/**
 * Where one scenario's operations go: a fresh allow_mult bucket (the set under {@link #SET_KEY} and
 * the unique plain keys) and a fresh last-write-wins bucket (the same set workload), so one
 * scenario never sees another's data.
 */
record Workload(String multBucket, String lwwBucket) {

  static final String SET_KEY = "set";

  static Workload forScenario(String scenario) {
    return new Workload("jepsen-" + scenario + "-mult", "jepsen-" + scenario + "-lww");
  }

  /** The bucket properties each configuration needs (PUT /buckets/B/props). */
  static String multProps() {
    return "{\"props\":{\"allow_mult\":true,\"last_write_wins\":false}}";
  }

  static String lwwProps() {
    return "{\"props\":{\"allow_mult\":false,\"last_write_wins\":true}}";
  }
}
