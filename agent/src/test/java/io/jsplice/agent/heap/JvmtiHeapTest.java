package io.jsplice.agent.heap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The native heap library, loaded into this test JVM, finds exactly the objects of a class. */
class JvmtiHeapTest {
  static class Widget {}

  static class SpecialWidget extends Widget {}

  static final class Linked {
    final Linked next;

    Linked(Linked next) {
      this.next = next;
    }
  }

  @Test
  void reachableInstancesOf_findsEveryLiveObjectOfExactlyThatClass()
      throws HeapUnavailableException {
    Heap heap = JvmtiHeap.get();
    assertThat(heap.problem()).isNull();
    assertThat(heap.available()).isTrue();
    List<Widget> held = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      held.add(new Widget());
    }
    SpecialWidget special = new SpecialWidget();

    List<Object> found = heap.reachableInstancesOf(List.of(Widget.class));

    assertThat(found).hasSize(3).allMatch(o -> held.stream().anyMatch(h -> h == o));
    assertThat(heap.reachableInstancesOf(List.of(Widget.class, SpecialWidget.class)))
        .hasSize(4)
        .anyMatch(o -> o == special);
  }

  @Test
  void instancesOf_findsEveryLiveObjectOfTheClassAndItsSubclasses_andMaybeGarbage()
      throws HeapUnavailableException {
    Heap heap = JvmtiHeap.get();
    List<Widget> held = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      held.add(new Widget());
    }
    new Widget(); // garbage at once
    SpecialWidget special = new SpecialWidget();

    List<Object> found = heap.instancesOf(List.of(Widget.class));

    assertThat(found).allMatch(o -> o instanceof Widget).hasSizeGreaterThanOrEqualTo(4);
    for (Widget w : held) {
      assertThat(found).anyMatch(o -> o == w);
    }
    assertThat(found).as("subclasses come with their class").anyMatch(o -> o == special);
    List<Object> both = heap.instancesOf(List.of(Widget.class, SpecialWidget.class));
    java.util.Set<Object> distinct = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    distinct.addAll(both);
    assertThat(distinct).as("each object once").hasSameSizeAs(both).contains(special);
  }

  @Test
  void reachableInstancesOf_findsObjectsReachableOnlyThroughAnotherOfTheClass()
      throws HeapUnavailableException {
    Heap heap = JvmtiHeap.get();
    Linked chain = new Linked(new Linked(new Linked(null)));

    List<Object> found = heap.reachableInstancesOf(List.of(Linked.class));

    assertThat(found)
        .hasSize(3)
        .anyMatch(o -> o == chain)
        .anyMatch(o -> o == chain.next)
        .anyMatch(o -> o == chain.next.next);
  }

  @Test
  void instancesOf_leavesNoTagBehind_soASecondWalkSeesTheSame() throws HeapUnavailableException {
    Heap heap = JvmtiHeap.get();
    Widget one = new Widget();
    assertThat(heap.reachableInstancesOf(List.of(SpecialWidget.class))).isEmpty();
    List<Object> first = heap.reachableInstancesOf(List.of(Widget.class));
    List<Object> second = heap.reachableInstancesOf(List.of(Widget.class));
    assertThat(heap.instancesOf(List.of(Widget.class))).anyMatch(o -> o == one);
    assertThat(second).hasSameSizeAs(first).anyMatch(o -> o == one);
  }

  @Test
  void resourceFor_namesThePlatformTheBuildNamedTheDirectoryAfter() {
    assertThat(JvmtiHeap.resourceFor("Linux", "amd64"))
        .isEqualTo("io/jsplice/agent/heap/native/linux-amd64/libjsplice-heap.so");
  }

  @Test
  void unavailable_refusesWithItsReason() {
    Heap heap = Heap.unavailable("no library for this platform");
    assertThat(heap.available()).isFalse();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> heap.instancesOf(List.of(Widget.class)))
        .isInstanceOf(HeapUnavailableException.class)
        .hasMessage("no library for this platform");
  }
}
