package dev.partisan.bench.runtime;

import dev.partisan.runtime.channel.ChannelSpec;
import dev.partisan.runtime.channel.LaneSelector;
import java.util.ArrayList;
import java.util.List;

/**
 * One node configuration under test. Both configurations declare the same application channels and
 * the workers use the same (channel, partition key) routes; only {@code baseline} differs, so the
 * comparison isolates what separate connections buy.
 *
 * @param name short identifier used in the CSV
 * @param baseline every channel and lane on a single connection per peer pair
 * @param channels application channels declared (bench0, bench1, ...)
 * @param parallelism lanes (connections) per channel when not in baseline mode
 */
record Topology(String name, boolean baseline, int channels, int parallelism) {

  static Topology baseline(int channels, int parallelism) {
    return new Topology("baseline", true, channels, parallelism);
  }

  static Topology multiChannel(int channels, int parallelism) {
    return new Topology("channels-" + channels + "x" + parallelism, false, channels, parallelism);
  }

  List<ChannelSpec> channelSpecs() {
    List<ChannelSpec> specs = new ArrayList<>();
    for (int c = 0; c < channels; c++) {
      specs.add(ChannelSpec.named(channelName(c)).withParallelism(parallelism));
    }
    return specs;
  }

  static String channelName(int c) {
    return "bench" + c;
  }

  /**
   * Connections between the two nodes once every route has been used: one per lane, plus the
   * membership channel's own connection outside baseline mode.
   */
  int expectedConnections() {
    return baseline ? 1 : channels * parallelism + 1;
  }

  String describe() {
    return baseline
        ? "baseline: one TCP connection per node pair for every channel and lane ("
            + channels
            + " channels x parallelism "
            + parallelism
            + " declared, all multiplexed)"
        : channels + " channels x parallelism " + parallelism + " (one TCP connection per lane)";
  }

  /**
   * Routes for {@code workers} concurrent workers: worker i uses channel {@code i % channels} and a
   * partition key chosen so that it hashes to lane {@code (i / channels) % parallelism}. With 16
   * workers on 4x4 every one of the 16 connections carries exactly one worker.
   */
  List<Route> routes(int workers) {
    List<Route> routes = new ArrayList<>(workers);
    for (int i = 0; i < workers; i++) {
      int channel = i % channels;
      int lane = (i / channels) % parallelism;
      routes.add(new Route(channelName(channel), keyForLane("w" + i, lane), lane));
    }
    return routes;
  }

  private String keyForLane(String prefix, int lane) {
    for (int n = 0; ; n++) {
      String key = prefix + "-" + n;
      if (LaneSelector.lane(key, parallelism) == lane) {
        return key;
      }
    }
  }

  /** Where one worker's messages go: a channel and a partition key (which fixes the lane). */
  record Route(String channel, String key, int lane) {}
}
