package dev.partisan.bench.echo;

import dev.partisan.bench.rounds.Spread;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * One cell of the echo experiment (section, RTT, cap, configuration, senders, payload) over every
 * round that measured it, in round order. Immutable.
 */
record EchoCell(List<EchoRow> rounds) {
  EchoCell {
    rounds = List.copyOf(rounds);
  }

  /** The first round's row, for the cell's coordinates. */
  EchoRow first() {
    return rounds.get(0);
  }

  /** A figure's median and min–max over the rounds. */
  Spread spread(ToDoubleFunction<EchoRow> figure) {
    return Spread.of(rounds.stream().map(figure::applyAsDouble).toList());
  }

  /**
   * Requests that failed, timed out or met a full queue, over all rounds: {refused, to, failed}.
   */
  long[] troubles() {
    long[] t = new long[3];
    for (EchoRow r : rounds) {
      t[0] += r.stats().queueFull();
      t[1] += r.stats().timeouts();
      t[2] += r.stats().failures();
    }
    return t;
  }

  /** The rows grouped by cell, in the order each cell first ran. */
  static List<EchoCell> group(List<EchoRow> rows) {
    Map<List<Object>, List<EchoRow>> byCell = new LinkedHashMap<>();
    for (EchoRow r : rows) {
      byCell.computeIfAbsent(key(r), k -> new ArrayList<>()).add(r);
    }
    return byCell.values().stream().map(EchoCell::new).toList();
  }

  private static List<Object> key(EchoRow r) {
    return List.of(r.section(), r.rttMs(), r.bandwidthMbit(), r.config(), r.actors(), r.payload());
  }
}
