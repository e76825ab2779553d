package io.jsplice.fleet.daemon.agents;

import io.jsplice.fleet.api.JvmInventory;
import io.jsplice.model.control.FailureCause;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Bounds how long the daemon waits for one JVM: each call runs on its own thread, and a JVM that
 * does not answer in time costs that call, not the daemon's poll. The JDK's attach channel has no
 * read timeout, so a JVM stopped (SIGSTOP) or wedged after its attach listener started would
 * otherwise hold the daemon forever.
 *
 * <p>A call that timed out keeps its thread until the JVM answers or exits (then it ends by
 * itself); until then, every further call for that JVM run is refused at once, so a hung JVM holds
 * at most one thread. An apply that finishes after its timeout shows in the next inventory, and the
 * daemon counts it then.
 *
 * <p>Thread-safe.
 */
public final class TimeBoundAgentAccess implements AgentAccess {
  private final AgentAccess delegate;
  private final Duration inventoryTimeout;
  private final Duration applyTimeout;
  private final ExecutorService threads =
      Executors.newCachedThreadPool(
          r -> {
            Thread thread = new Thread(r, "jsplice-daemon-jvm-call");
            thread.setDaemon(true);
            return thread;
          });
  private final Map<String, Future<?>> inFlight = new ConcurrentHashMap<>();

  public TimeBoundAgentAccess(
      AgentAccess delegate, Duration inventoryTimeout, Duration applyTimeout) {
    this.delegate = delegate;
    this.inventoryTimeout = inventoryTimeout;
    this.applyTimeout = applyTimeout;
  }

  @Override
  public List<ManagedJvm> discover() {
    return delegate.discover();
  }

  @Override
  public JvmInventory inventory(ManagedJvm jvm) throws AgentAccessException {
    return bounded(jvm, "reading what it runs", inventoryTimeout, () -> delegate.inventory(jvm));
  }

  @Override
  public void apply(ManagedJvm jvm, Path file, String updateId) throws AgentAccessException {
    apply(jvm, file, updateId, false);
  }

  @Override
  public void apply(ManagedJvm jvm, Path file, String updateId, boolean acceptLeftOut)
      throws AgentAccessException {
    bounded(
        jvm,
        "applying " + updateId,
        applyTimeout,
        () -> {
          delegate.apply(jvm, file, updateId, acceptLeftOut);
          return null;
        });
  }

  @Override
  public void undo(ManagedJvm jvm, String updateId) throws AgentAccessException {
    bounded(
        jvm,
        "undoing " + updateId,
        applyTimeout,
        () -> {
          delegate.undo(jvm, updateId);
          return null;
        });
  }

  @Override
  public io.jsplice.protocol.message.ReadingsReply readings(ManagedJvm jvm, List<String> attributes)
      throws AgentAccessException {
    return bounded(
        jvm, "reading its health", inventoryTimeout, () -> delegate.readings(jvm, attributes));
  }

  @Override
  public io.jsplice.protocol.message.TripwiresReply tripwires(ManagedJvm jvm, long after)
      throws AgentAccessException {
    return bounded(
        jvm, "reading its tripwires", inventoryTimeout, () -> delegate.tripwires(jvm, after));
  }

  private <T> T bounded(ManagedJvm jvm, String what, Duration timeout, Call<T> call)
      throws AgentAccessException {
    Future<?> earlier = inFlight.get(jvm.key());
    if (earlier != null && !earlier.isDone()) {
      throw new AgentAccessException(
          FailureCause.AGENT_UNAVAILABLE,
          jvm.display()
              + " has not answered an earlier request yet (stopped or hung?); trying again at a"
              + " later poll",
          null);
    }
    Future<T> future = threads.submit((Callable<T>) call::run);
    inFlight.put(jvm.key(), future);
    try {
      T result = future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      inFlight.remove(jvm.key(), future);
      return result;
    } catch (TimeoutException e) {
      throw new AgentAccessException(
          FailureCause.AGENT_UNAVAILABLE,
          jvm.display()
              + " did not answer within "
              + timeout.toSeconds()
              + " s while "
              + what
              + " (stopped or hung?); trying again at a later poll",
          e);
    } catch (ExecutionException e) {
      inFlight.remove(jvm.key(), future);
      if (e.getCause() instanceof AgentAccessException failure) {
        throw failure;
      }
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new AgentAccessException(
          FailureCause.INTERNAL, what + " in " + jvm.display() + " failed: " + e.getCause(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AgentAccessException(
          FailureCause.INTERNAL, "interrupted while " + what + " in " + jvm.display(), e);
    }
  }

  @FunctionalInterface
  private interface Call<T> {
    T run() throws AgentAccessException;
  }
}
