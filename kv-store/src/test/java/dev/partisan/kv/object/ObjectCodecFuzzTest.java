package dev.partisan.kv.object;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the stored-object codec, which reads what replicas send in handoff, repair and
 * anti-entropy: any bytes decode or raise {@link MalformedDataException}, never another exception.
 * What {@link ObjectCodec#decode} accepts, the structural readers ({@link ObjectCodec#shape},
 * {@link ObjectCodec#liveIndexes}) accept too and agree with, and encoding it gives bytes that
 * decode to the same encoding again. Corpus: src/test/resources/dev/partisan/kv/object/
 * ObjectCodecFuzzTestInputs/decode.
 */
class ObjectCodecFuzzTest {
  @FuzzTest(maxDuration = "")
  void decode(byte[] bytes) {
    KvObject object;
    try {
      object = ObjectCodec.decode(bytes);
    } catch (MalformedDataException expected) {
      structuralReadersRefuseCleanly(bytes);
      return;
    }
    ObjectCodec.Shape shape = ObjectCodec.shape(bytes);
    assertThat(shape.siblings()).isEqualTo(object.siblings().size());
    boolean live = object.siblings().stream().anyMatch(s -> !s.deleted());
    assertThat(ObjectCodec.liveIndexes(bytes) != null).isEqualTo(live);
    byte[] encoded = ObjectCodec.encode(object);
    assertThat(ObjectCodec.encode(ObjectCodec.decode(encoded))).isEqualTo(encoded);
    assertThat(ObjectCodec.shape(encoded).versionHash())
        .as("the version hash depends on the causal state only")
        .isEqualTo(ObjectCodec.versionHash(ObjectCodec.encode(ObjectCodec.decode(encoded))));
  }

  /** The lighter readers check less (no UTF-8, no record invariants) but must not crash either. */
  private static void structuralReadersRefuseCleanly(byte[] bytes) {
    try {
      ObjectCodec.shape(bytes);
    } catch (MalformedDataException expected) {
      // refused: fine
    }
    try {
      ObjectCodec.liveIndexes(bytes);
    } catch (MalformedDataException expected) {
      // refused: fine
    }
  }
}
