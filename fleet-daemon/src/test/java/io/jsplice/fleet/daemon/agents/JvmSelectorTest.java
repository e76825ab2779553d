package io.jsplice.fleet.daemon.agents;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class JvmSelectorTest {
  @Test
  void aGlobMatchesTheWholeCommandLine() {
    JvmSelector selector = new JvmSelector(List.of("*-Dfleet.host=a *"));
    assertThat(selector.matches("java -Dfleet.host=a -cp app Main")).isTrue();
    assertThat(selector.matches("java -Dfleet.host=ab -cp app Main")).isFalse();
    assertThat(selector.matches("java -cp app Main")).isFalse();
  }

  @Test
  void questionMarkIsOneCharacter_andRegexCharactersAreLiteral() {
    JvmSelector selector = new JvmSelector(List.of("java -cp a.b ?ain"));
    assertThat(selector.matches("java -cp a.b Main")).isTrue();
    assertThat(selector.matches("java -cp axb Main")).isFalse();
    assertThat(selector.matches("java -cp a.b MMain")).isFalse();
  }

  @Test
  void anyOfSeveralGlobs_andEveryJvmWithoutOne() {
    JvmSelector two = new JvmSelector(List.of("*orders*", "*billing*"));
    assertThat(two.matches("java -jar billing.jar")).isTrue();
    assertThat(two.matches("java -jar search.jar")).isFalse();
    assertThat(JvmSelector.all().matches("java -jar search.jar")).isTrue();
  }

  @Test
  void jspliceItselfIsNeverManaged() {
    assertThat(JvmSelector.all().matches("java -cp x io.jsplice.cli.Jsplice daemon")).isFalse();
    assertThat(JvmSelector.all().matches("/usr/bin/java -jar /opt/jsplice/lib/jsplice.jar server"))
        .isFalse();
    assertThat(new JvmSelector(List.of("*")).matches("java -jar /opt/jsplice/lib/jsplice.jar x"))
        .isFalse();
  }
}
