package io.jsplice.cli.corpus;

import io.jsplice.testkit.Jdk;
import java.io.IOException;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fixes outside the development corpus that are in force live ({@link OutsideCorpusCases}),
 * judged as {@link CorpusLiveUpdateTest} judges the corpus: the exploit works before {@code jsplice
 * apply}, fails after it (for the state the program built at start too), works again after {@code
 * undo}, and fails after a second apply; on JDK 17 and 25, agent attached and loaded at start.
 */
class OutsideCorpusLiveTest {
  @BeforeAll
  static void keys() throws IOException {
    CorpusLiveUpdateTest.keys();
  }

  static Stream<Arguments> cases() {
    return CorpusLiveUpdateTest.onEachJdkBothWays(
        CorpusLiveUpdateTest.selected(OutsideCorpusCases.LIVE.stream()));
  }

  static Stream<Arguments> partlyInForce() {
    return CorpusLiveUpdateTest.selected(OutsideCorpusCases.PARTLY.keySet().stream())
        .map(c -> Arguments.of(c, OutsideCorpusCases.PARTLY.get(c)));
  }

  @ParameterizedTest(name = "{0} on {1}, agent by {2}", allowZeroInvocations = true) // ditto
  @MethodSource("cases")
  void apply_putsTheFixInForce_andUndoTakesItOut(CorpusCase c, Jdk jdk, String mode)
      throws IOException {
    new CorpusLiveUpdateTest().apply_putsTheFixInForce_andUndoTakesItOut(c, jdk, mode);
  }

  static Stream<Arguments> firstLoad() {
    return CorpusLiveUpdateTest.selected(OutsideCorpusCases.FIRST_LOAD.keySet().stream())
        .flatMap(
            c ->
                Jdk.underTest().stream()
                    .map(jdk -> Arguments.of(c, jdk, OutsideCorpusCases.FIRST_LOAD.get(c))));
  }

  @ParameterizedTest(name = "{0} on {1}", allowZeroInvocations = true) // none under some "only"
  @MethodSource("firstLoad")
  void apply_installsAtFirstLoad_andUndoIsRefusedOnceLoaded(
      CorpusCase c, Jdk jdk, String firstLoaded) throws IOException {
    new CorpusLiveUpdateTest()
        .apply_installsAtFirstLoad_andUndoIsRefusedOnceLoaded(c, jdk, firstLoaded);
  }

  /** On the default JDK, agent attached: what is named does not depend on either. */
  @ParameterizedTest(name = "{0}", allowZeroInvocations = true) // none under some "only"
  @MethodSource("partlyInForce")
  void apply_namesThePartThatKeepsTheOldBehaviour(CorpusCase c, String part) throws IOException {
    new CorpusLiveUpdateTest().apply_namesThePartThatKeepsTheOldBehaviour(c, part);
  }
}
