package dev.partisan.kv.coverage;

import java.util.List;

/**
 * What an index query returned: its results in (value, key) order, and a {@code continuation} to
 * pass back for the next page, or null when there is nothing more.
 */
public record IndexPage(List<IndexResult> results, String continuation) {
  public IndexPage {
    results = List.copyOf(results);
  }
}
