package io.jsplice.fleet.daemon.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jsplice.fleet.api.JvmInventory;
import io.jsplice.model.control.FailureCause;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A JVM that never answers costs one call, not the daemon; it holds one thread until it answers,
 * and no second call reaches it meanwhile. The stand-in JVM blocks on a latch, as a call to a
 * stopped JVM blocks on its attach socket.
 */
class TimeBoundAgentAccessTest {
  private static final ManagedJvm JVM =
      new ManagedJvm(42, "42@1", Instant.EPOCH, "java App", "App", 0, false);

  /** Applies block until {@link #resume} is counted down. */
  private static final class StoppedJvm implements AgentAccess {
    final CountDownLatch resume = new CountDownLatch(1);
    final AtomicInteger applies = new AtomicInteger();
    final AtomicInteger finished = new AtomicInteger();

    @Override
    public List<ManagedJvm> discover() {
      return List.of(JVM);
    }

    @Override
    public JvmInventory inventory(ManagedJvm jvm) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void apply(ManagedJvm jvm, Path file, String updateId) {
      applies.incrementAndGet();
      try {
        resume.await();
        finished.incrementAndGet();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Test
  void aCallThatDoesNotReturn_failsAsUnavailable_andNoSecondCallReachesTheJvm() throws Exception {
    StoppedJvm stopped = new StoppedJvm();
    AgentAccess bounded =
        new TimeBoundAgentAccess(stopped, Duration.ofMillis(50), Duration.ofMillis(50));
    assertThatThrownBy(() -> bounded.apply(JVM, Path.of("u.jsplice"), "U"))
        .isInstanceOfSatisfying(
            AgentAccessException.class,
            e -> {
              assertThat(e.failure()).isEqualTo(FailureCause.AGENT_UNAVAILABLE);
              assertThat(e.transientFailure()).isTrue();
            })
        .hasMessage(
            "JVM 42 (App) did not answer within 0 s while applying U (stopped or hung?); trying"
                + " again at a later poll");
    assertThatThrownBy(() -> bounded.apply(JVM, Path.of("u.jsplice"), "U"))
        .hasMessageContaining("has not answered an earlier request yet");
    assertThat(stopped.applies).hasValue(1);

    stopped.resume.countDown(); // the JVM runs again: its pending call ends, the next gets through
    while (true) {
      try {
        bounded.apply(JVM, Path.of("u.jsplice"), "U");
        break;
      } catch (AgentAccessException stillPending) {
        assertThat(stillPending).hasMessageContaining("has not answered an earlier request yet");
        Thread.onSpinWait();
      }
    }
    assertThat(stopped.applies).hasValue(2);
    assertThat(stopped.finished).hasValue(2);
  }
}
