package dev.partisan.runtime.overlay;

import dev.partisan.runtime.overlay.OverlaySettings.HyParView;
import java.util.List;
import java.util.Map;

/** The {@code hyparview} overlay: view sizes, random walks, shuffles and Plumtree's timers. */
final class HyParViewFactory implements OverlayFactory<HyParView> {
  private static final HyParView D = HyParView.defaults();
  private static final OverlayKey ACTIVE =
      key("active_view", D.activeViewSize(), "hyparview active view size");
  private static final OverlayKey ACTIVE_MIN =
      key("active_view_min", D.activeViewMin(), "hyparview active view minimum");
  private static final OverlayKey PASSIVE =
      key("passive_view", D.passiveViewSize(), "hyparview passive view size");
  private static final OverlayKey ARWL =
      key("arwl", D.activeRandomWalkLength(), "hyparview active random walk length");
  private static final OverlayKey PRWL =
      key("prwl", D.passiveRandomWalkLength(), "hyparview passive random walk length");
  private static final OverlayKey SHUFFLE =
      key("shuffle_interval_ms", D.shuffleInterval().toMillis(), "hyparview shuffle period");
  private static final OverlayKey SHUFFLE_ACTIVE =
      key("shuffle_active", D.shuffleActive(), "hyparview shuffle sample (active)");
  private static final OverlayKey SHUFFLE_PASSIVE =
      key("shuffle_passive", D.shufflePassive(), "hyparview shuffle sample (passive)");

  private static final OverlayKey LAZY_PUSH =
      key(
          "lazy_push_interval_ms",
          D.lazyPushInterval().toMillis(),
          "plumtree: how long IHAVE announcements are batched");
  private static final OverlayKey GRAFT =
      key(
          "graft_timeout_ms",
          D.graftTimeout().toMillis(),
          "plumtree: wait for an announced message before the first graft");
  private static final OverlayKey GRAFT_MAX =
      key(
          "graft_timeout_max_ms",
          D.graftTimeoutMax().toMillis(),
          "plumtree: cap of the doubling wait between grafts of one message");

  private static OverlayKey key(String name, long defaultValue, String description) {
    return new OverlayKey(name, Long.toString(defaultValue), description);
  }

  @Override
  public HyParView defaults() {
    return D;
  }

  @Override
  public List<OverlayKey> keys() {
    return List.of(
        ACTIVE,
        ACTIVE_MIN,
        PASSIVE,
        ARWL,
        PRWL,
        SHUFFLE,
        SHUFFLE_ACTIVE,
        SHUFFLE_PASSIVE,
        LAZY_PUSH,
        GRAFT,
        GRAFT_MAX);
  }

  @Override
  public HyParView configure(HyParView base, Map<String, String> values) {
    return new HyParView(
        ACTIVE.intValue(values, base.activeViewSize()),
        ACTIVE_MIN.intValue(values, base.activeViewMin()),
        PASSIVE.intValue(values, base.passiveViewSize()),
        ARWL.intValue(values, base.activeRandomWalkLength()),
        PRWL.intValue(values, base.passiveRandomWalkLength()),
        SHUFFLE.millis(values, base.shuffleInterval()),
        SHUFFLE_ACTIVE.intValue(values, base.shuffleActive()),
        SHUFFLE_PASSIVE.intValue(values, base.shufflePassive()),
        LAZY_PUSH.millis(values, base.lazyPushInterval()),
        GRAFT.millis(values, base.graftTimeout()),
        GRAFT_MAX.millis(values, base.graftTimeoutMax()),
        base.routeTtl());
  }

  @Override
  public Overlay create(OverlayHost host, HyParView settings, FailureDetection failureDetection) {
    return new HyParViewOverlay(host, settings, failureDetection);
  }
}
