package io.jsplice.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ShadowFieldTest {

  /** Equal but distinct objects must not share a value: the key is identity, not equals(). */
  @Test
  void get_distinguishesEqualObjectsByIdentity() {
    ShadowField field = new ShadowField("test");
    String a = new String("same");
    String b = new String("same");
    field.set(a, 1);
    assertThat(field.get(a)).isEqualTo(1);
    assertThat(field.get(b)).isNull();
  }

  @Test
  void set_null_removesTheValue() {
    ShadowField field = new ShadowField("test");
    Object owner = new Object();
    field.set(owner, "x");
    field.set(owner, null);
    assertThat(field.get(owner)).isNull();
    assertThat(field.size()).isZero();
  }

  @Test
  void holdsManyObjectsAndRemovesAnyOfThem() {
    ShadowField field = new ShadowField("test");
    List<Object> owners = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      Object owner = new Object();
      owners.add(owner);
      field.set(owner, i);
    }
    for (int i = 0; i < owners.size(); i += 3) {
      field.set(owners.get(i), null);
    }
    for (int i = 0; i < owners.size(); i++) {
      assertThat(field.get(owners.get(i))).isEqualTo(i % 3 == 0 ? null : i);
    }
  }

  /** The shadow must not keep objects alive: once collected, their entries go. */
  @Test
  void doesNotKeepOwnersAlive() throws InterruptedException {
    ShadowField field = new ShadowField("test");
    for (int i = 0; i < 1000; i++) {
      field.set(new Object(), new byte[1024]);
    }
    for (int attempt = 0; attempt < 50 && field.size() > 0; attempt++) {
      System.gc();
      Thread.sleep(20);
      field.set(new Object(), null); // touching the stripes purges collected keys
    }
    assertThat(field.size()).isZero();
  }

  /**
   * Reads take no lock: while other objects come and go (inserts, removals, table growth), a value
   * that was set is never read as absent, which the getter would turn into the initial value.
   */
  @Test
  void lockFreeReads_neverMissAValueWhileOthersComeAndGo() throws Exception {
    ShadowField field = new ShadowField("test");
    Object watched = new Object();
    field.set(watched, 1);
    java.util.concurrent.atomic.AtomicBoolean stop =
        new java.util.concurrent.atomic.AtomicBoolean();
    Thread churn =
        new Thread(
            () -> {
              List<Object> owners = new ArrayList<>();
              for (int i = 0; !stop.get(); i++) {
                Object owner = new Object();
                owners.add(owner);
                field.set(owner, i);
                if (owners.size() > 5000) {
                  for (Object o : owners) {
                    field.set(o, null);
                  }
                  owners.clear();
                }
              }
            });
    churn.start();
    try {
      for (int i = 0; i < 2_000_000; i++) {
        field.set(watched, i); // lock-free update of an existing entry
        assertThat(field.get(watched)).isNotNull();
      }
    } finally {
      stop.set(true);
      churn.join();
    }
  }

  @Test
  void concurrentWritersToDifferentObjectsLoseNothing() throws Exception {
    ShadowField field = new ShadowField("test");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<List<Object>>> results = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      results.add(
          pool.submit(
              () -> {
                List<Object> mine = new ArrayList<>();
                for (int i = 0; i < 5000; i++) {
                  Object owner = new Object();
                  mine.add(owner);
                  field.set(owner, owner.hashCode());
                }
                return mine;
              }));
    }
    for (Future<List<Object>> result : results) {
      for (Object owner : result.get()) {
        assertThat(field.get(owner)).isEqualTo(owner.hashCode());
      }
    }
    pool.shutdown();
    assertThat(field.size()).isEqualTo(20_000);
  }
}
