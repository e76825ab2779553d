package io.jsplice.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentOptionsTest {
  private static final Path HOME = Path.of("/home/app");

  @Test
  void parse_defaultsUnderTheHomeDirectoryAndNamesTheLogForThePid() {
    AgentOptions options = AgentOptions.parse(null, HOME, 4711);

    assertThat(options.stateDir()).isEqualTo(Path.of("/home/app/.jsplice/state"));
    assertThat(options.logFile()).isEqualTo(Path.of("/home/app/.jsplice/state/agent-4711.log"));
    assertThat(options.trust()).isEmpty();
    assertThat(options.service()).isNull();
    assertThat(options.jmx()).isTrue();
    assertThat(options.warnings()).isEmpty();
  }

  @Test
  void parse_readsEveryKey() {
    AgentOptions options =
        AgentOptions.parse(
            " trust=/etc/jsplice/a.pem:/etc/jsplice/certs , state=/var/lib/jsplice,service=billing,"
                + "log=/var/log/jsplice.log,jmx=false",
            HOME,
            1);

    assertThat(options.trust())
        .containsExactly(Path.of("/etc/jsplice/a.pem"), Path.of("/etc/jsplice/certs"));
    assertThat(options.stateDir()).isEqualTo(Path.of("/var/lib/jsplice"));
    assertThat(options.service()).isEqualTo("billing");
    assertThat(options.logFile()).isEqualTo(Path.of("/var/log/jsplice.log"));
    assertThat(options.jmx()).isFalse();
    assertThat(options.warnings()).isEmpty();
  }

  @Test
  void parse_namesTheDefaultLogForTheServiceInTheStateDirectory() {
    AgentOptions options = AgentOptions.parse("state=/srv/state,service=billing", HOME, 1);

    assertThat(options.logFile()).isEqualTo(Path.of("/srv/state/billing.log"));
  }

  @Test
  void parse_logsToStderrOnlyWhenAsked() {
    assertThat(AgentOptions.parse("log=stderr", HOME, 1).logToStderr()).isTrue();
    assertThat(AgentOptions.parse("", HOME, 1).logToStderr()).isFalse();
  }

  @Test
  void parse_warnsAboutUnknownKeysAndBadValuesAndKeepsTheDefaults() {
    AgentOptions options =
        AgentOptions.parse("colour=blue,verbose,service=no/slashes,jmx=maybe,state=", HOME, 7);

    assertThat(options.service()).isNull();
    assertThat(options.jmx()).isTrue();
    assertThat(options.stateDir()).isEqualTo(Path.of("/home/app/.jsplice/state"));
    assertThat(options.warnings())
        .hasSize(5)
        .anySatisfy(w -> assertThat(w).contains("unknown option 'colour'"))
        .anySatisfy(w -> assertThat(w).contains("'verbose' ignored: write key=value"))
        .anySatisfy(w -> assertThat(w).contains("service='no/slashes' ignored"))
        .anySatisfy(w -> assertThat(w).contains("jmx='maybe' ignored"))
        .anySatisfy(w -> assertThat(w).contains("state= ignored"));
  }

  @Test
  void parse_refusesServiceNamesThatWouldLeaveTheStateDirectory() {
    // The service names a directory of its record under the state directory.
    for (String bad : java.util.List.of("..", ".")) {
      AgentOptions options = AgentOptions.parse("service=" + bad, HOME, 1);
      assertThat(options.service()).as(bad).isNull();
      assertThat(options.warnings()).singleElement().asString().contains("ignored");
    }
  }

  @Test
  void parse_lastValueOfARepeatedKeyWinsWithAWarning() {
    AgentOptions options = AgentOptions.parse("service=a,service=b", HOME, 1);

    assertThat(options.service()).isEqualTo("b");
    assertThat(options.warnings()).singleElement().asString().contains("given twice");
  }

  @Test
  void reloadedWith_replacesTrustAndServiceAndKeepsWhatIsNotGiven() {
    AgentOptions first = AgentOptions.parse("trust=/a.pem,service=one", HOME, 1);

    AgentOptions second = first.reloadedWith("trust=/b.pem:/c.pem");
    AgentOptions third = second.reloadedWith("service=two");

    assertThat(second.trust()).isEqualTo(List.of(Path.of("/b.pem"), Path.of("/c.pem")));
    assertThat(second.service()).isEqualTo("one");
    assertThat(third.trust()).isEqualTo(second.trust());
    assertThat(third.service()).isEqualTo("two");
    assertThat(third.warnings()).isEmpty();
  }

  @Test
  void reloadedWith_keepsStateLogAndJmxFixedWithAWarning() {
    AgentOptions first = AgentOptions.parse("state=/s,log=/l.log", HOME, 1);

    AgentOptions second = first.reloadedWith("state=/other,log=stderr,jmx=false,state=/s");
    AgentOptions same = first.reloadedWith("state=/s,log=/l.log,jmx=true");

    assertThat(second.stateDir()).isEqualTo(Path.of("/s"));
    assertThat(second.logFile()).isEqualTo(Path.of("/l.log"));
    assertThat(second.jmx()).isTrue();
    assertThat(second.warnings())
        .anySatisfy(w -> assertThat(w).startsWith("log= cannot change"))
        .anySatisfy(w -> assertThat(w).startsWith("jmx= cannot change"));
    assertThat(same.warnings()).isEmpty();
  }
}
