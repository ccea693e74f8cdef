package dev.partisan.http.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.partisan.kv.BucketExtras;
import dev.partisan.kv.BucketExtras.ModFun;
import dev.partisan.kv.BucketExtras.ReplMode;
import dev.partisan.kv.BucketExtras.SyncOnWrite;
import dev.partisan.kv.BucketProps;
import dev.partisan.kv.DataType;
import dev.partisan.kv.Quorum;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The JSON shape of bucket properties, property by property. */
class BucketPropsJsonTest {
  private static BucketProps apply(BucketProps p, String props) {
    return BucketPropsJson.apply(p, ("{\"props\":" + props + "}").getBytes(StandardCharsets.UTF_8));
  }

  /** Writes {@code p} and reads it back onto the defaults. */
  private static BucketProps roundTrip(BucketProps p) throws Exception {
    JsonNode written = BucketPropsJson.write("default", "b", p);
    return BucketPropsJson.apply(
        BucketProps.DEFAULTS, BucketPropsJson.JSON.writeValueAsBytes(written));
  }

  @Nested
  class EveryPropertyRoundTrips {
    @Test
    void withNoneAtItsDefault() throws Exception {
      BucketExtras x =
          new BucketExtras(
              Quorum.ALL,
              true,
              false,
              new ModFun("m1", "f1"),
              new ModFun("m2", "f2"),
              1,
              2,
              3,
              4,
              false,
              "be",
              true,
              "idx",
              ReplMode.REALTIME,
              true,
              true,
              10,
              2,
              SyncOnWrite.ALL,
              true);
      BucketProps p =
          new BucketProps(
              5,
              false,
              true,
              Quorum.ONE,
              Quorum.of(2),
              Quorum.ALL,
              Quorum.of(1),
              Quorum.of(0),
              DataType.HLL,
              x);
      assertThat(roundTrip(p)).isEqualTo(p);
    }

    @Test
    void withTheDefaults() throws Exception {
      assertThat(roundTrip(BucketProps.DEFAULTS)).isEqualTo(BucketProps.DEFAULTS);
    }

    @ParameterizedTest
    @EnumSource(ReplMode.class)
    void everyReplMode(ReplMode m) throws Exception {
      BucketProps p =
          BucketProps.DEFAULTS.withExtras(BucketExtras.DEFAULTS.toBuilder().repl(m).build());
      assertThat(roundTrip(p)).isEqualTo(p);
    }

    @ParameterizedTest
    @EnumSource(DataType.class)
    void everyDataType(DataType t) throws Exception {
      BucketProps p = BucketProps.DEFAULTS.withDatatype(t);
      assertThat(roundTrip(p)).isEqualTo(p);
    }
  }

  @Test
  void riaksShapes() {
    JsonNode p = BucketPropsJson.write("t", "b", BucketProps.DEFAULTS).get("props");
    assertThat(p.get("precommit").isArray()).isTrue();
    assertThat(p.get("chash_keyfun").get("mod").asText()).isEqualTo("riak_core_util");
    assertThat(p.get("r").asText()).isEqualTo("quorum");
    assertThat(p.get("pr").isInt()).isTrue();
    BucketProps repl =
        BucketProps.DEFAULTS.withExtras(
            BucketExtras.DEFAULTS.toBuilder().repl(ReplMode.TRUE).build());
    assertThat(BucketPropsJson.write("t", "b", repl).at("/props/repl").isBoolean()).isTrue();
    assertThat(apply(BucketProps.DEFAULTS, "{\"repl\":\"both\"}").extras().repl())
        .isEqualTo(ReplMode.TRUE);
  }

  @Test
  void aPutChangesOnlyWhatItNames() {
    BucketProps p = apply(BucketProps.DEFAULTS, "{\"n_val\":1,\"notfound_ok\":false}");
    assertThat(p)
        .isEqualTo(
            BucketProps.DEFAULTS
                .withNVal(1)
                .withExtras(BucketExtras.DEFAULTS.toBuilder().notfoundOk(false).build()));
  }

  @Test
  void commitHooksAreRefusedButTheEmptyListIsNot() {
    assertThat(apply(BucketProps.DEFAULTS, "{\"precommit\":[],\"postcommit\":[]}"))
        .isEqualTo(BucketProps.DEFAULTS);
    assertThatThrownBy(() -> apply(BucketProps.DEFAULTS, "{\"precommit\":[{\"name\":\"h\"}]}"))
        .isInstanceOf(HttpError.class)
        .hasMessageContaining("bucket property precommit: commit hooks are not supported");
    assertThatThrownBy(
            () -> apply(BucketProps.DEFAULTS, "{\"postcommit\":[{\"mod\":\"m\",\"fun\":\"f\"}]}"))
        .hasMessageContaining("bucket property postcommit");
  }

  @Test
  void readOnlyPropertiesAreIgnored() {
    assertThat(
            apply(
                BucketProps.DEFAULTS,
                "{\"name\":\"x\",\"type\":\"t\",\"active\":false,\"claimant\":\"n\","
                    + "\"has_precommit\":true}"))
        .isEqualTo(BucketProps.DEFAULTS);
  }

  @Test
  void anUnknownDataTypeNamesTheKnownOnes() {
    assertThatThrownBy(() -> apply(BucketProps.DEFAULTS, "{\"datatype\":\"gset\"}"))
        .isInstanceOf(HttpError.class)
        .hasMessageContaining("datatype")
        .hasMessageContaining("counter, set, map, hll");
  }
}
