package io.jsplice.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApplyPreloadTest {
  /** A class renamed or removed would otherwise just stop being preloaded, silently. */
  @Test
  void names_areEachAClassOfTheAgent() throws ClassNotFoundException {
    assertThat(ApplyPreload.names()).doesNotHaveDuplicates().hasSizeGreaterThan(50);
    for (String name : ApplyPreload.names()) {
      assertThat(Class.forName(name, false, ApplyPreload.class.getClassLoader()).getName())
          .isEqualTo(name);
    }
  }
}
