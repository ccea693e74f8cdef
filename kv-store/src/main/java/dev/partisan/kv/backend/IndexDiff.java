package dev.partisan.kv.backend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * What replacing an object's stored value changes in its index: the index keys to remove (the old
 * value had them, the new one has not) and those to add. Keys in both stay untouched.
 */
record IndexDiff(List<byte[]> removed, List<byte[]> added) {
  static final IndexDiff NONE = new IndexDiff(List.of(), List.of());

  /** The change from {@code oldValue} to {@code newValue} (either null: nothing stored). */
  static IndexDiff of(IndexExtractor extractor, byte[] key, byte[] oldValue, byte[] newValue) {
    if (extractor == IndexExtractor.NONE) {
      return NONE;
    }
    Collection<byte[]> before = oldValue == null ? List.of() : extractor.indexKeys(key, oldValue);
    Collection<byte[]> after = newValue == null ? List.of() : extractor.indexKeys(key, newValue);
    if (before.isEmpty() && after.isEmpty()) {
      return NONE;
    }
    TreeSet<byte[]> old = sorted(before);
    TreeSet<byte[]> now = sorted(after);
    List<byte[]> removed = new ArrayList<>();
    for (byte[] k : old) {
      if (!now.contains(k)) {
        removed.add(k);
      }
    }
    List<byte[]> added = new ArrayList<>();
    for (byte[] k : now) {
      if (!old.contains(k)) {
        added.add(k);
      }
    }
    return new IndexDiff(removed, added);
  }

  private static TreeSet<byte[]> sorted(Collection<byte[]> keys) {
    TreeSet<byte[]> set = new TreeSet<>(Arrays::compareUnsigned);
    set.addAll(keys);
    return set;
  }
}
