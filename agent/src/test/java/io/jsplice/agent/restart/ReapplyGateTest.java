package io.jsplice.agent.restart;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.agent.log.AgentLog;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReapplyGateTest {
  private static final AgentLog LOG = AgentLog.discarding("test");

  @Test
  void aHeldClassLoadsOnlyOnceItsUpdateIsReleased() throws Exception {
    ReapplyGate gate = new ReapplyGate(Map.of("fix-1", List.of("p.Held$Inner")), LOG);

    CompletableFuture<Void> loading = CompletableFuture.runAsync(() -> load(gate, "p/Held$Inner"));
    Thread.sleep(200);
    assertThat(loading).isNotDone();

    gate.release("fix-1");
    loading.get(5, TimeUnit.SECONDS);
  }

  @Test
  void otherClassesRetransformationsAndTheWorkerAreNeverHeld() throws Exception {
    ReapplyGate gate = new ReapplyGate(Map.of("fix-1", List.of("p.Held")), LOG);

    CompletableFuture.runAsync(() -> load(gate, "p/Other")).get(5, TimeUnit.SECONDS);
    CompletableFuture.runAsync(
            () -> gate.transform(null, null, "p/Held", String.class, null, new byte[0]))
        .get(5, TimeUnit.SECONDS);
    Thread worker = new Thread(() -> load(gate, "p/Held"));
    gate.workOn(worker);
    worker.start();
    worker.join(5000);
    assertThat(worker.isAlive()).isFalse();
  }

  @Test
  void aClassOfTwoUpdatesWaitsForTheLater() throws Exception {
    Map<String, List<String>> byUpdate = new LinkedHashMap<>();
    byUpdate.put("fix-1", List.of("p.Shared"));
    byUpdate.put("fix-2", List.of("p.Shared"));
    ReapplyGate gate = new ReapplyGate(byUpdate, LOG);

    CompletableFuture<Void> loading = CompletableFuture.runAsync(() -> load(gate, "p/Shared"));
    gate.release("fix-1");
    Thread.sleep(200);
    assertThat(loading).isNotDone();

    gate.releaseAll();
    loading.get(5, TimeUnit.SECONDS);
  }

  private static void load(ReapplyGate gate, String internalName) {
    assertThat(gate.transform(null, null, internalName, null, null, new byte[0])).isNull();
  }
}
