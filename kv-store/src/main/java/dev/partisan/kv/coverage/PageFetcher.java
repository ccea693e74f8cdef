package dev.partisan.kv.coverage;

import dev.partisan.kv.coverage.CoverageMessages.Page;
import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.PartisanRuntime;
import dev.partisan.runtime.SendOptions;
import dev.partisan.runtime.channel.ChannelSpec;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks a node's {@link PartitionReader} for a page: this node's reader directly, another node's
 * over the default channel. Stateless.
 */
final class PageFetcher {
  static final Duration PAGE_TIMEOUT = Duration.ofSeconds(30);

  private final PartisanRuntime runtime;
  private final PartitionReader local;

  PageFetcher(PartisanRuntime runtime, PartitionReader local) {
    this.runtime = runtime;
    this.local = local;
  }

  /** The page, started now; completes exceptionally (an IOException) when none comes. */
  CompletableFuture<Page> ask(String member, Object request) {
    if (member.equals(runtime.self().name())) {
      return CompletableFuture.completedFuture(local.answer(request));
    }
    return runtime
        .ask(
            ActorRef.of(member, CoverageService.READER),
            request,
            PAGE_TIMEOUT,
            SendOptions.on(ChannelSpec.DEFAULT))
        .thenApply(
            reply -> {
              if (reply instanceof Page page) {
                return page;
              }
              throw new CompletionException(
                  new IOException(member + " answered " + reply.getClass().getSimpleName()));
            });
  }

  /** Waits for a page started with {@link #ask}; a failed read of the partition is an error too. */
  static Page await(String member, CompletableFuture<Page> pending) throws IOException {
    Page page;
    try {
      page = pending.get(PAGE_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() instanceof CompletionException c ? c.getCause() : e.getCause();
      throw new IOException("no page from " + member + ": " + cause.getMessage(), cause);
    } catch (TimeoutException e) {
      throw new IOException("no page from " + member + " within " + PAGE_TIMEOUT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    if (!page.error().isEmpty()) {
      throw new IOException(member + ": " + page.error());
    }
    return page;
  }

  Page fetch(String member, Object request) throws IOException {
    return await(member, ask(member, request));
  }
}
