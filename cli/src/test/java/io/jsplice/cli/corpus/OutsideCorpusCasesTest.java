package io.jsplice.cli.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The cases outside the development corpus are outside it: a fix of the corpus tried again "as a
 * new user" measures nothing new, and, as the probes' work directories are named by CVE, its probe
 * would run in place of the corpus case's (nimbus-jose-jwt 9.37.2 was added twice, and the corpus
 * tests then ran the other probe).
 */
class OutsideCorpusCasesTest {

  @Test
  void noCaseIsAFixOfTheDevelopmentCorpus() {
    Set<String> corpus =
        CorpusCases.all().stream().map(CorpusCase::cve).collect(Collectors.toSet());
    Stream<CorpusCase> outside =
        Stream.concat(
            OutsideCorpusCases.LIVE.stream(), OutsideCorpusCases.PARTLY.keySet().stream());
    assertThat(outside.map(CorpusCase::cve).filter(corpus::contains)).isEmpty();
  }

  @Test
  void noTwoCasesShareACve() {
    var all =
        Stream.concat(OutsideCorpusCases.LIVE.stream(), OutsideCorpusCases.PARTLY.keySet().stream())
            .map(CorpusCase::cve)
            .toList();
    assertThat(all).doesNotHaveDuplicates();
  }
}
