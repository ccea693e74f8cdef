package dev.partisan.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.basho.riak.client.api.RiakClient;
import com.basho.riak.client.api.commands.datatypes.Context;
import com.basho.riak.client.api.commands.datatypes.CounterUpdate;
import com.basho.riak.client.api.commands.datatypes.FetchCounter;
import com.basho.riak.client.api.commands.datatypes.FetchDatatype;
import com.basho.riak.client.api.commands.datatypes.FetchHll;
import com.basho.riak.client.api.commands.datatypes.FetchMap;
import com.basho.riak.client.api.commands.datatypes.FetchSet;
import com.basho.riak.client.api.commands.datatypes.FlagUpdate;
import com.basho.riak.client.api.commands.datatypes.HllUpdate;
import com.basho.riak.client.api.commands.datatypes.MapUpdate;
import com.basho.riak.client.api.commands.datatypes.RegisterUpdate;
import com.basho.riak.client.api.commands.datatypes.SetUpdate;
import com.basho.riak.client.api.commands.datatypes.UpdateCounter;
import com.basho.riak.client.api.commands.datatypes.UpdateHll;
import com.basho.riak.client.api.commands.datatypes.UpdateMap;
import com.basho.riak.client.api.commands.datatypes.UpdateSet;
import com.basho.riak.client.core.query.Location;
import com.basho.riak.client.core.query.Namespace;
import com.basho.riak.client.core.query.crdt.types.RiakMap;
import com.basho.riak.client.core.util.BinaryValue;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Riak's data types through riak-client 2.1.1, unmodified, over PB against a 3-node RocksDB cluster
 * in this JVM: counters, sets, maps with nested fields of every type, hll, contexts and removes,
 * server-named keys, and the errors a client sees for a bucket of plain objects.
 */
class RiakClientDatatypeTest {
  @TempDir static Path dir;
  static HttpTestCluster cluster;
  static RiakClient client;

  @BeforeAll
  static void start() throws Exception {
    cluster = HttpTestCluster.start(dir, 3, Map.of());
    for (String dt : new String[] {"counter", "set", "map", "hll"}) {
      cluster.createActiveType(dt + "s", "{\"props\":{\"datatype\":\"" + dt + "\"}}");
    }
    cluster.createActiveType("plain", "{\"props\":{}}");
    client = RiakClients.of(cluster, 1, 2, 3);
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null) {
      client.shutdown().get(10, TimeUnit.SECONDS);
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static Location at(String type, String key) {
    return new Location(new Namespace(type, "b"), key);
  }

  private static Set<String> strings(Set<BinaryValue> values) {
    return values.stream().map(BinaryValue::toString).collect(Collectors.toSet());
  }

  @Test
  void counterCountsAcrossNodes() throws Exception {
    Location loc = at("counters", "visits");
    assertThat(client.execute(new FetchCounter.Builder(loc).build()).getDatatype().view()).isZero();
    client.execute(new UpdateCounter.Builder(loc, new CounterUpdate(5)).build());
    var updated =
        client.execute(
            new UpdateCounter.Builder(loc, new CounterUpdate(-2)).withReturnDatatype(true).build());
    assertThat(updated.getDatatype().view()).isEqualTo(3L);
    assertThat(client.execute(new FetchCounter.Builder(loc).build()).getDatatype().view())
        .isEqualTo(3L);
  }

  @Test
  void counterUnderAServerNamedKey() throws Exception {
    var r =
        client.execute(
            new UpdateCounter.Builder(new Namespace("counters", "b"), new CounterUpdate(7))
                .withReturnDatatype(true)
                .build());
    assertThat(r.hasGeneratedKey()).isTrue();
    Location loc = new Location(new Namespace("counters", "b"), r.getGeneratedKey());
    assertThat(client.execute(new FetchCounter.Builder(loc).build()).getDatatype().view())
        .isEqualTo(7L);
  }

  @Test
  void setAddsAndRemovesWithTheFetchedContext() throws Exception {
    Location loc = at("sets", "tags");
    client.execute(new UpdateSet.Builder(loc, new SetUpdate().add("a").add("b").add("c")).build());
    var fetched = client.execute(new FetchSet.Builder(loc).build());
    assertThat(strings(fetched.getDatatype().view())).containsExactlyInAnyOrder("a", "b", "c");
    assertThat(fetched.hasContext()).isTrue();
    Context ctx = fetched.getContext();
    var after =
        client.execute(
            new UpdateSet.Builder(loc, new SetUpdate().remove("b").add("d"))
                .withContext(ctx)
                .withReturnDatatype(true)
                .build());
    assertThat(strings(after.getDatatype().view())).containsExactlyInAnyOrder("a", "c", "d");
    assertThat(after.hasContext()).isTrue();
    assertThat(strings(client.execute(new FetchSet.Builder(loc).build()).getDatatype().view()))
        .containsExactlyInAnyOrder("a", "c", "d");
  }

  @Test
  void fetchWithoutContextWhenAsked() throws Exception {
    Location loc = at("sets", "no-context");
    client.execute(new UpdateSet.Builder(loc, new SetUpdate().add("x")).build());
    var fetched =
        client.execute(
            new FetchSet.Builder(loc)
                .withOption(FetchDatatype.Option.INCLUDE_CONTEXT, false)
                .build());
    assertThat(fetched.hasContext()).isFalse();
    assertThat(strings(fetched.getDatatype().view())).containsExactly("x");
  }

  @Test
  void mapWithNestedFieldsOfEveryType() throws Exception {
    Location loc = at("maps", "user");
    MapUpdate address =
        new MapUpdate()
            .update("city", new RegisterUpdate("Lisbon"))
            .update("floors", new CounterUpdate(2))
            .update("inner", new MapUpdate().update("deep", new FlagUpdate(true)));
    MapUpdate user =
        new MapUpdate()
            .update("name", new RegisterUpdate("Ana"))
            .update("visits", new CounterUpdate(3))
            .update("tags", new SetUpdate().add("x").add("y"))
            .update("active", new FlagUpdate(true))
            .update("address", address);
    var written = client.execute(new UpdateMap.Builder(loc, user).withReturnDatatype(true).build());
    assertThat(written.getDatatype().getRegister("name").view().toString()).isEqualTo("Ana");

    RiakMap m = client.execute(new FetchMap.Builder(loc).build()).getDatatype();
    assertThat(m.getRegister("name").view().toString()).isEqualTo("Ana");
    assertThat(m.getCounter("visits").view()).isEqualTo(3L);
    assertThat(strings(m.getSet("tags").view())).containsExactlyInAnyOrder("x", "y");
    assertThat(m.getFlag("active").view()).isTrue();
    RiakMap a = m.getMap("address");
    assertThat(a.getRegister("city").view().toString()).isEqualTo("Lisbon");
    assertThat(a.getCounter("floors").view()).isEqualTo(2L);
    assertThat(a.getMap("inner").getFlag("deep").view()).isTrue();
  }

  @Test
  void mapRemovesFieldsWithTheFetchedContext() throws Exception {
    Location loc = at("maps", "removals");
    client.execute(
        new UpdateMap.Builder(
                loc,
                new MapUpdate()
                    .update("keep", new RegisterUpdate("k"))
                    .update("drop", new CounterUpdate(1))
                    .update(
                        "nested", new MapUpdate().update("s", new SetUpdate().add("1").add("2"))))
            .build());
    var fetched = client.execute(new FetchMap.Builder(loc).build());
    client.execute(
        new UpdateMap.Builder(
                loc,
                new MapUpdate()
                    .removeCounter("drop")
                    .update("nested", new MapUpdate().update("s", new SetUpdate().remove("1"))))
            .withContext(fetched.getContext())
            .build());
    RiakMap m = client.execute(new FetchMap.Builder(loc).build()).getDatatype();
    assertThat(m.getCounter("drop")).isNull();
    assertThat(m.getRegister("keep").view().toString()).isEqualTo("k");
    assertThat(strings(m.getMap("nested").getSet("s").view())).containsExactly("2");
  }

  @Test
  void hllEstimatesDistinctElements() throws Exception {
    Location loc = at("hlls", "visitors");
    client.execute(new UpdateHll.Builder(loc, new HllUpdate().add("a").add("b").add("a")).build());
    client.execute(new UpdateHll.Builder(loc, new HllUpdate().add("c")).build());
    assertThat(client.execute(new FetchHll.Builder(loc).build()).getCardinality()).isEqualTo(3L);
  }

  @Test
  void badUpdatesAreErrorsAndTheClientGoesOn() throws Exception {
    // A data-type operation on a bucket of plain objects (riak-client itself refuses type default).
    assertThatThrownBy(
            () ->
                client.execute(
                    new UpdateCounter.Builder(
                            new Location(new Namespace("plain", "b"), "k"), new CounterUpdate(1))
                        .build()))
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining("not a data-type bucket");
    // A set operation on a counter bucket.
    assertThatThrownBy(
            () ->
                client.execute(
                    new UpdateSet.Builder(at("counters", "wrong"), new SetUpdate().add("x"))
                        .build()))
        .isInstanceOf(ExecutionException.class);
    // An unknown bucket type.
    assertThatThrownBy(
            () -> client.execute(new FetchCounter.Builder(at("no-such-type", "k")).build()))
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining("no_type");
    // The connections are still good.
    assertThat(
            client
                .execute(new FetchCounter.Builder(at("counters", "after")).build())
                .getDatatype()
                .view())
        .isZero();
  }
}
