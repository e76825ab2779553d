package io.jsplice.cli.procfs;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reading a file another user controls, within a bound. Java opens no file with {@code O_NONBLOCK}:
 * opening a FIFO waits for a writer, reading one or a hung mount waits for data, and neither
 * returns to an interrupt. So the read runs on a daemon thread of its own and the caller stops
 * waiting at the bound; the thread ends when the file does (a writer, the mount, the process's
 * exit), as the fleet daemon's calls to a hung JVM do ({@code TimeBoundAgentAccess}).
 *
 * <p>Thread-safe.
 */
final class BoundedRead {
  private static final ExecutorService THREADS =
      Executors.newCachedThreadPool(
          r -> {
            Thread thread = new Thread(r, "jsplice-bounded-read");
            thread.setDaemon(true);
            return thread;
          });

  private BoundedRead() {}

  /** What is read. */
  @FunctionalInterface
  interface Read<T> {
    T run() throws IOException;
  }

  /**
   * @param path the file, for the message
   * @throws IOException what {@code read} threw, or that {@code path} was not read within {@code
   *     bound}
   */
  static <T> T within(Duration bound, Path path, Read<T> read) throws IOException {
    Future<T> future = THREADS.submit(read::run);
    try {
      return future.get(bound.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true); // closes a channel blocked in a read; an open stays blocked
      throw new IOException(
          path + " could not be read within " + bound.toSeconds() + " s (a FIFO, or a hung mount?)",
          e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException("reading " + path + " failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading " + path, e);
    }
  }
}
