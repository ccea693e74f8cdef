package dev.partisan.bench.adcounter;

import dev.partisan.bench.handoff.Polling;
import dev.partisan.kv.BKey;
import dev.partisan.kv.BucketProps;
import dev.partisan.kv.BucketType;
import dev.partisan.kv.DataType;
import dev.partisan.kv.KvNode;
import dev.partisan.kv.Quorum;
import dev.partisan.kv.RequestOptions;
import dev.partisan.kv.datatype.DtOp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The ads as data types in the store: one counter per ad (its impressions), in a bucket type whose
 * {@code datatype} is {@code counter}, and one set of the enabled ads' names, in a bucket type of
 * {@code set}s. Disabling an ad removes it from the set with the context of a fetch, as a Riak
 * client must; the set (rather than a flag per ad in a map) mirrors Lasp's ad counter, where the
 * ads are a set that ads leave, and lets a client learn every enabled ad with one fetch. Immutable;
 * its methods block the calling thread.
 */
record AdCampaign(int ads) {
  static final String COUNTER_TYPE = "adcounter_counters";
  static final String SET_TYPE = "adcounter_sets";
  static final String BUCKET = "ads";
  static final BKey ENABLED = BKey.of(SET_TYPE, BUCKET, "enabled");

  static String ad(int i) {
    return String.format(Locale.ROOT, "ad-%04d", i);
  }

  /** The index of the ad named {@code ad} (the inverse of {@link #ad}). */
  static int index(String ad) {
    return Integer.parseInt(ad.substring(3));
  }

  static BKey counter(String ad) {
    return BKey.of(COUNTER_TYPE, BUCKET, ad);
  }

  List<String> names() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < ads; i++) {
      names.add(ad(i));
    }
    return names;
  }

  /**
   * Creates and activates both bucket types through {@code first} and waits until every node has
   * them active, then enables every ad.
   */
  void setUp(List<KvNode> nodes, Duration timeout) throws Exception {
    KvNode first = nodes.get(0);
    createActive(nodes, COUNTER_TYPE, DataType.COUNTER, timeout);
    createActive(nodes, SET_TYPE, DataType.SET, timeout);
    first
        .client()
        .updateDatatype(
            ENABLED,
            DtOp.SetOp.add(names().toArray(String[]::new)),
            null,
            RequestOptions.defaults())
        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static void createActive(
      List<KvNode> nodes, String type, DataType datatype, Duration timeout) throws Exception {
    KvNode first = nodes.get(0);
    first.bucketTypes().create(type, BucketProps.DEFAULTS.withDatatype(datatype));
    // Activation waits for every ring member to know the type; retried until they do.
    Polling.waitFor(
        "bucket type " + type + " to activate",
        timeout.toSeconds(),
        () -> {
          try {
            return first.bucketTypes().activate(type).join().active();
          } catch (RuntimeException notReadyYet) {
            return false;
          }
        });
    Polling.waitFor(
        "every node to see bucket type " + type + " active",
        timeout.toSeconds(),
        () ->
            nodes.stream()
                .allMatch(n -> n.bucketTypes().status(type).map(BucketType::active).orElse(false)));
  }

  /** Every ad's counter as all its replicas agree to read it (R=all), in ad order. */
  long[] finalCounts(KvNode node, Duration timeout) throws Exception {
    long[] counts = new long[ads];
    RequestOptions all = RequestOptions.defaults().r(Quorum.ALL);
    for (int i = 0; i < ads; i++) {
      counts[i] =
          node.client()
              .fetchDatatype(counter(ad(i)), all)
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
              .value()
              .counter();
    }
    return counts;
  }
}
