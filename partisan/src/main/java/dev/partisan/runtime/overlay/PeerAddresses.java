package dev.partisan.runtime.overlay;

import dev.partisan.runtime.overlay.MembershipMessages.Member;
import dev.partisan.runtime.overlay.MembershipMessages.Status;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * What changed entries mean for the transport: a member's address is learned as soon as its entry
 * arrives; a member that left is forgotten two seconds later (unless it came back with a new
 * incarnation meanwhile); a member alive again is no longer down in the failure detector, and its
 * clock restarts if this node monitors it — one clock per monitored peer, not one per member.
 *
 * <p>Not thread-safe: owned by the membership actor.
 */
final class PeerAddresses {
  private final OverlayHost host;
  private final FailureDetector detector;
  private final MembershipView view;
  private final Predicate<String> monitored;
  private final Consumer<String> onLeft;

  PeerAddresses(
      OverlayHost host,
      FailureDetector detector,
      MembershipView view,
      Predicate<String> monitored,
      Consumer<String> onLeft) {
    this.host = host;
    this.detector = detector;
    this.view = view;
    this.monitored = monitored;
    this.onLeft = onLeft;
  }

  void learn(List<Member> changed) {
    for (Member m : changed) {
      String name = m.id().name();
      if (name.equals(host.self().name())) {
        continue;
      }
      if (m.status() == Status.LEFT) {
        onLeft.accept(name);
        host.scheduler().schedule(() -> forgetIfStillGone(m), 2, TimeUnit.SECONDS);
      } else {
        host.learn(m.id());
        if (m.status() == Status.ALIVE) {
          if (monitored.test(name)) {
            host.touch(name);
          }
          detector.alive(name);
        }
      }
    }
  }

  private void forgetIfStillGone(Member m) {
    if (view.memberId(m.id().name()) == null) {
      host.forget(m.id().name());
    } // else it came back with a new incarnation
  }
}
