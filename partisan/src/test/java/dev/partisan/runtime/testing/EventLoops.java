package dev.partisan.runtime.testing;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;

/** Which event loop group a thread belongs to: how tests check where frames were decoded. */
public final class EventLoops {
  private EventLoops() {}

  public static boolean runsIn(EventLoopGroup group, Thread t) {
    for (EventExecutor e : group) {
      if (e.inEventLoop(t)) {
        return true;
      }
    }
    return false;
  }
}
