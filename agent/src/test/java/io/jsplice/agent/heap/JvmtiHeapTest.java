package io.jsplice.agent.heap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The native heap library, loaded into this test JVM, finds exactly the objects of a class. */
class JvmtiHeapTest {
  static class Widget {}

  static class SpecialWidget extends Widget {}

  @Test
  void instancesOf_findsEveryLiveObjectOfExactlyThatClass() throws HeapUnavailableException {
    Heap heap = JvmtiHeap.get();
    assertThat(heap.problem()).isNull();
    assertThat(heap.available()).isTrue();
    List<Widget> held = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      held.add(new Widget());
    }
    SpecialWidget special = new SpecialWidget();

    List<Object> found = heap.instancesOf(List.of(Widget.class));

    assertThat(found).hasSize(3).allMatch(o -> held.stream().anyMatch(h -> h == o));
    assertThat(heap.instancesOf(List.of(Widget.class, SpecialWidget.class)))
        .hasSize(4)
        .anyMatch(o -> o == special);
  }

  @Test
  void instancesOf_leavesNoTagBehind_soASecondWalkSeesTheSame() throws HeapUnavailableException {
    Heap heap = JvmtiHeap.get();
    Widget one = new Widget();
    assertThat(heap.instancesOf(List.of(SpecialWidget.class))).isEmpty();
    List<Object> first = heap.instancesOf(List.of(Widget.class));
    List<Object> second = heap.instancesOf(List.of(Widget.class));
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
