package dev.partisan.kv.object;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * One secondary-index entry of a sibling (riak's 2i): a field and a value. A field named {@code
 * *_bin} holds bytes; {@code *_int} holds an integer of any size, kept in its canonical decimal
 * text ({@code "007"} and {@code "+7"} become {@code "7"}), so equal integers are equal entries.
 */
public record IndexEntry(String field, byte[] value) implements Comparable<IndexEntry> {
  public static final int MAX_FIELD_CHARS = 255;
  public static final int MAX_VALUE_BYTES = 65_535;

  /** Digits an {@code _int} value may have: far beyond 64 bits, far below a denial of service. */
  public static final int MAX_INT_DIGITS = 1_000;

  public IndexEntry {
    checkField(field);
    Objects.requireNonNull(value, "index value");
    if (value.length > MAX_VALUE_BYTES) {
      throw new IllegalArgumentException(
          "index value of " + field + " is " + value.length + " bytes, over " + MAX_VALUE_BYTES);
    }
    value = isIntegerField(field) ? canonical(field, value) : value.clone();
  }

  /** A field and a text value (UTF-8 for {@code _bin}; decimal for {@code _int}). */
  public static IndexEntry of(String field, String value) {
    return new IndexEntry(field, value.getBytes(StandardCharsets.UTF_8));
  }

  public static IndexEntry of(String field, BigInteger value) {
    return of(field, value.toString());
  }

  /**
   * Checks a field name: it ends in {@code _bin} or {@code _int}, has a name before the suffix, and
   * is printable ASCII without separators (it travels in HTTP header names).
   */
  public static void checkField(String field) {
    if (field == null || field.isEmpty()) {
      throw new IllegalArgumentException("index field name is missing");
    }
    if (!field.endsWith("_bin") && !field.endsWith("_int") || field.length() <= 4) {
      throw new IllegalArgumentException(
          "index field '" + field + "' must end in _bin or _int after a name");
    }
    if (field.length() > MAX_FIELD_CHARS) {
      throw new IllegalArgumentException("index field name is over " + MAX_FIELD_CHARS + " chars");
    }
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c <= ' ' || c >= 0x7F || "()<>@,;:\\\"/[]?={}$".indexOf(c) >= 0) {
        throw new IllegalArgumentException(
            "index field '" + field + "' has a character not allowed in a field name");
      }
    }
  }

  public static boolean isIntegerField(String field) {
    return field.endsWith("_int");
  }

  /** An {@code _int} value as an integer; throws IllegalArgumentException when it is not one. */
  public static BigInteger parseInteger(String field, byte[] text) {
    String s = new String(text, StandardCharsets.US_ASCII).trim();
    if (s.isEmpty() || s.length() > MAX_INT_DIGITS + 1) {
      throw new IllegalArgumentException(
          "index value of "
              + field
              + " is not an integer of at most "
              + MAX_INT_DIGITS
              + " digits");
    }
    try {
      return new BigInteger(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "index value '" + s + "' of " + field + " is not an integer");
    }
  }

  private static byte[] canonical(String field, byte[] text) {
    return parseInteger(field, text).toString().getBytes(StandardCharsets.US_ASCII);
  }

  public boolean isInteger() {
    return isIntegerField(field);
  }

  /** The value of an {@code _int} entry. */
  public BigInteger integer() {
    return new BigInteger(new String(value, StandardCharsets.US_ASCII));
  }

  /**
   * The value as text: UTF-8 (invalid bytes replaced) for {@code _bin}, decimal for {@code _int}.
   */
  public String valueText() {
    return new String(value, StandardCharsets.UTF_8);
  }

  /** Entries sorted and without duplicates: the form siblings keep. */
  public static List<IndexEntry> normalize(Collection<IndexEntry> entries) {
    return entries == null || entries.isEmpty() ? List.of() : List.copyOf(new TreeSet<>(entries));
  }

  @Override
  public int compareTo(IndexEntry o) {
    int c = field.compareTo(o.field);
    return c != 0 ? c : Arrays.compareUnsigned(value, o.value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IndexEntry e && field.equals(e.field) && Arrays.equals(value, e.value);
  }

  @Override
  public int hashCode() {
    return 31 * field.hashCode() + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return field + "=" + valueText();
  }
}
