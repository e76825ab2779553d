package io.jsplice.fleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The systemd units the build ships ({@code dist/src/main/systemd}) start the verbs with options
 * the verbs accept: their {@code ExecStart} lines, with sample values for the environment, parse as
 * the verbs' command lines.
 */
class UnitFilesTest {
  private static final Path UNITS = Path.of("..", "dist", "src", "main", "systemd");
  private static final Map<String, String> ENVIRONMENT =
      Map.of(
          "${JSPLICE_SERVER}", "https://fleet.example:8440",
          "$JSPLICE_DAEMON_OPTS",
              "--select *orders* --group production --server-ca /etc/jsplice/server-ca.pem"
                  + " --proxy http://proxy.example:3128"
                  + " --proxy-credentials /etc/jsplice/proxy.login",
          "${CREDENTIALS_DIRECTORY}", "/run/credentials/jsplice-server.service",
          "$JSPLICE_SERVER_OPTS", "--db jdbc:postgresql://db:5432/jsplice --db-user jsplice");

  private static List<String> execStart(Path unit) throws Exception {
    String text = Files.readString(unit).replace("\\\n", " ");
    String line = text.lines().filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow();
    for (Map.Entry<String, String> variable : ENVIRONMENT.entrySet()) {
      line = line.replace(variable.getKey(), variable.getValue());
    }
    List<String> words =
        new ArrayList<>(Arrays.asList(line.substring("ExecStart=".length()).trim().split("\\s+")));
    assertThat(words.remove(0)).isEqualTo("/opt/jsplice/bin/jsplice");
    return words;
  }

  @Test
  void theDaemonsUnit_startsTheDaemonWithOptionsItAccepts() throws Exception {
    List<String> words = execStart(UNITS.resolve("jsplice-daemon.service"));
    assertThat(words.get(0)).isEqualTo("daemon");
    DaemonCommand daemon = new DaemonCommand();
    new CommandLine(daemon).parseArgs(words.subList(1, words.size()).toArray(String[]::new));
    assertThat(daemon.state).isEqualTo(Path.of("/var/lib/jsplice/daemon"));
    assertThat(daemon.trust).containsExactly(Path.of("/etc/jsplice/trusted.pem"));
    assertThat(daemon.select).containsExactly("*orders*");
    assertThat(daemon.connection.serverCa).containsExactly(Path.of("/etc/jsplice/server-ca.pem"));
    assertThat(daemon.connection.proxy).isEqualTo("http://proxy.example:3128");
    assertThat(daemon.connection.proxyCredentials).isEqualTo(Path.of("/etc/jsplice/proxy.login"));
  }

  @Test
  void theServersUnit_startsTheServerWithOptionsItAccepts() throws Exception {
    List<String> words = execStart(UNITS.resolve("jsplice-server.service"));
    assertThat(words.get(0)).isEqualTo("server");
    ServerCommand server = new ServerCommand();
    new CommandLine(server).parseArgs(words.subList(1, words.size()).toArray(String[]::new));
    assertThat(server.data).isEqualTo(Path.of("/var/lib/jsplice/server"));
    assertThat(server.bind).isEqualTo("0.0.0.0");
    assertThat(server.db).isEqualTo("jdbc:postgresql://db:5432/jsplice");
    assertThat(server.tlsCert)
        .isEqualTo(Path.of("/run/credentials/jsplice-server.service/tls-chain"));
    assertThat(server.tlsKey).isEqualTo(Path.of("/run/credentials/jsplice-server.service/tls-key"));
  }

  @Test
  void theServersUnit_hasSystemdHandItTheTlsKeyAsACredential() throws Exception {
    String unit = Files.readString(UNITS.resolve("jsplice-server.service"));
    assertThat(unit)
        .contains(
            "LoadCredential=tls-chain:/etc/jsplice/tls/server-chain.pem",
            "LoadCredential=tls-key:/etc/jsplice/tls/server-key.pem");
  }

  @Test
  void theDaemonsUnit_keepsTmpSharedAndItsStatePrivate() throws Exception {
    String unit = Files.readString(UNITS.resolve("jsplice-daemon.service"));
    assertThat(unit)
        .contains("PrivateTmp=no", "StateDirectoryMode=0700", "UMask=0077", "User=root");
  }
}
