package dev.partisan.runtime.overlay;

import dev.partisan.runtime.SendOptions;
import java.util.Collection;

/**
 * The view publisher's questions, answered by an overlay's hooks and state. Called on the overlay's
 * membership actor, like the publisher itself.
 */
final class OverlayViewSource implements ViewPublisher.Source {
  private final MembershipOverlay<?> overlay;

  OverlayViewSource(MembershipOverlay<?> overlay) {
    this.overlay = overlay;
  }

  @Override
  public boolean isMonitored(String name) {
    return overlay.isMonitored(name);
  }

  @Override
  public Collection<String> monitoredPeers() {
    return overlay.monitoredPeers();
  }

  @Override
  public boolean left() {
    return overlay.hasLeft();
  }

  @Override
  public void onPublished() {
    overlay.onPublished();
  }

  @Override
  public boolean queueFlushMessage() {
    if (overlay.self == null) {
      return false; // not started yet
    }
    overlay.host.tell(overlay.self, new ViewPublisher.Flush(), SendOptions.DEFAULT);
    return true;
  }
}
