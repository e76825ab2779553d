package io.jsplice.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentArgumentsTest {
  @Test
  void format_isReadBackByParseAsTheSameArguments() {
    AgentArguments given =
        new AgentArguments(
            List.of(Path.of("/etc/jsplice/a.pem"), Path.of("/etc/jsplice/certs")),
            Path.of("/var/lib/jsplice"),
            "billing",
            "/var/log/jsplice.log",
            false,
            List.of());

    String text = given.format();

    assertThat(text)
        .isEqualTo(
            "trust=/etc/jsplice/a.pem:/etc/jsplice/certs,state=/var/lib/jsplice,service=billing,"
                + "log=/var/log/jsplice.log,jmx=false");
    assertThat(AgentArguments.parse(text)).isEqualTo(given);
    assertThat(AgentArguments.parse(text).warnings()).isEmpty();
  }

  @Test
  void of_makesTrustedPathsAbsoluteAndLeavesOutWhatIsNotGiven() {
    AgentArguments arguments = AgentArguments.of(List.of(Path.of("keys/k.pem")), null);

    assertThat(arguments.format())
        .isEqualTo("trust=" + Path.of("keys/k.pem").toAbsolutePath().normalize());
    assertThat(AgentArguments.of(List.of(), null).format()).isEmpty();
    assertThat(AgentArguments.parse("").equals(AgentArguments.NONE)).isTrue();
  }

  @Test
  void format_refusesValuesTheOptionStringCannotCarry() {
    assertThatThrownBy(() -> AgentArguments.of(List.of(Path.of("/a,b.pem")), null).format())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("contains ','");
    assertThatThrownBy(() -> AgentArguments.of(List.of(Path.of("/a:b.pem")), null).format())
        .hasMessageContaining("':'");
    assertThatThrownBy(() -> AgentArguments.of(List.of(), "../up").format())
        .hasMessageContaining("service name '../up'");
  }

  @Test
  void parse_tellsStderrLoggingFromAFileNamedStderr() {
    assertThat(AgentArguments.parse("log=stderr").logToStderr()).isTrue();
    assertThat(AgentArguments.parse("log=./stderr").logToStderr()).isFalse();
  }

  @Test
  void isSocketName_followsTheDefaultPaths() {
    assertThat(DefaultPaths.socketPath(1000, 42)).isEqualTo(Path.of("/tmp/.jsplice-1000/42.sock"));
    assertThat(DefaultPaths.socketDirectoryPrefix(1000)).isEqualTo(".jsplice-1000-");
  }
}
