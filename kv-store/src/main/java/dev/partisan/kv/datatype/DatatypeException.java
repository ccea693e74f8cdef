package dev.partisan.kv.datatype;

/** An operation that a data type refuses (a remove without a context, a type mismatch, ...). */
public final class DatatypeException extends IllegalArgumentException {
  public DatatypeException(String message) {
    super(message);
  }
}
