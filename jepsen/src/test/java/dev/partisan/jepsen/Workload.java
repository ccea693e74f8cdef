package dev.partisan.jepsen;

/**
 * Where one scenario's operations go: a fresh allow_mult bucket (the set under {@link #SET_KEY} and
 * the unique plain keys), a fresh last-write-wins bucket (the same set workload), and fresh buckets
 * in the data-type bucket types {@link #COUNTER_TYPE} (the counter under {@link #COUNTER_KEY}) and
 * {@link #SET_TYPE} (the set data type under {@link #SET_KEY}), so one scenario never sees
 * another's data.
 */
record Workload(String multBucket, String lwwBucket, Datatype counter, Datatype dtSet) {

  /** One data-type object: bucket type, bucket, key; {@link #target()} names it in the history. */
  record Datatype(String type, String bucket, String key) {
    String target() {
      return type + "/" + bucket + "/" + key;
    }
  }

  static final String SET_KEY = "set";
  static final String COUNTER_KEY = "counter";

  /** Bucket types created and activated once per run (datatype counter and set). */
  static final String COUNTER_TYPE = "counters";

  static final String SET_TYPE = "sets";

  static Workload forScenario(String scenario) {
    String prefix = "jepsen-" + scenario;
    return new Workload(
        prefix + "-mult",
        prefix + "-lww",
        new Datatype(COUNTER_TYPE, prefix + "-counter", COUNTER_KEY),
        new Datatype(SET_TYPE, prefix + "-dtset", SET_KEY));
  }

  /** The bucket properties each configuration needs (PUT /buckets/B/props). */
  static String multProps() {
    return "{\"props\":{\"allow_mult\":true,\"last_write_wins\":false}}";
  }

  static String lwwProps() {
    return "{\"props\":{\"allow_mult\":false,\"last_write_wins\":true}}";
  }

  /** The properties of a data-type bucket type (POST /admin/bucket-types/T/create). */
  static String datatypeProps(String datatype) {
    return "{\"props\":{\"datatype\":\"" + datatype + "\"}}";
  }
}
