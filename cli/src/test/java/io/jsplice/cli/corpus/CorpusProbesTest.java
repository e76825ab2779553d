package io.jsplice.cli.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.cli.corpus.CorpusCase.Release;
import io.jsplice.cli.live.ProbedJvm;
import io.jsplice.testkit.Jdk;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The behaviour probes themselves, without jsplice: every case's probe, started on the vulnerable
 * release, shows the vulnerable behaviour, and started on the fixed release (the same probe
 * classes, the fixed jars, a cold start) shows the fixed behaviour and not the vulnerable one; at
 * every probe, on JDK 17 and 25. A probe that cannot tell the two releases apart cannot judge a
 * live update ({@link CorpusLiveUpdateTest}).
 */
class CorpusProbesTest {

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (CorpusCase c : CorpusCases.all()) {
      for (Jdk jdk : Jdk.underTest()) {
        for (Release release : Release.values()) {
          out.add(Arguments.of(c, release, jdk));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1} on {2}")
  @MethodSource("cases")
  void probe_showsTheBehaviourOfTheReleaseItRuns(CorpusCase c, Release release, Jdk jdk)
      throws IOException {
    try (ProbedJvm jvm = CorpusProbes.start(c, release, jdk, List.of())) {
      // Twice: the live test probes before and after each step, and a probe may add to its
      // observation from its second answer on (JACKSON's mapper held since start).
      for (String when : List.of("first probe", "second probe")) {
        String observation = jvm.probe();
        String what = release + " release, " + when + "\n" + jvm.outputs();
        assertThat(observation).as(what).contains(c.result(release));
        if (release == Release.FIXED) {
          assertThat(observation).as(what).doesNotContain(c.vulnerableResult());
        }
      }
    }
  }
}
