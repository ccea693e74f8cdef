package dev.partisan.kv.coverage;

import java.io.IOException;
import java.util.List;

/** Receives a coverage query's results a page at a time, in order; may write them to a client. */
@FunctionalInterface
public interface PageSink<T> {
  void accept(List<T> page) throws IOException;
}
