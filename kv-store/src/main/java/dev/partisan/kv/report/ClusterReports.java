package dev.partisan.kv.report;

import java.util.List;

/**
 * What one round of {@link NodeReports#collect} gathered.
 *
 * @param reports the reports that arrived in time, sorted by node name (the asking node's always)
 * @param missing members that were asked and did not answer in time, sorted
 */
public record ClusterReports(List<NodeReport> reports, List<String> missing) {
  public ClusterReports {
    reports = List.copyOf(reports);
    missing = List.copyOf(missing);
  }
}
