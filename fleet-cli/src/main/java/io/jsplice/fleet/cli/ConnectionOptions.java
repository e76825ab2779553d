package io.jsplice.fleet.cli;

import io.jsplice.fleet.api.client.ClientTransport;
import io.jsplice.model.control.FailureCause;
import io.jsplice.model.control.FailureException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * How the daemon and the admin verbs reach the server: {@code --server-ca}, {@code --proxy}, {@code
 * --proxy-credentials} ({@link ClientTransport}).
 */
public final class ConnectionOptions {
  @Option(
      names = "--server-ca",
      paramLabel = "FILE",
      split = ",",
      description =
          "PEM certificates of the CAs trusted for the server's TLS certificate, instead of the"
              + " JDK's (a private CA, or a TLS-intercepting proxy's CA); repeatable.")
  List<Path> serverCa = new ArrayList<>();

  @Option(
      names = "--proxy",
      paramLabel = "URL",
      description =
          "An HTTP proxy, http://HOST:PORT (CONNECT for an https server), or direct. Default:"
              + " $https_proxy (or $HTTPS_PROXY) for an https server, $http_proxy for an http one,"
              + " unless $no_proxy names the server's host.")
  String proxy;

  @Option(
      names = "--proxy-credentials",
      paramLabel = "FILE",
      description = "A file whose first line is the proxy's USER:PASSWORD (Basic).")
  Path proxyCredentials;

  /** The transport to {@code server} these options ask for. */
  ClientTransport transport(URI server) throws FailureException {
    try {
      return ClientTransport.of(
          serverCa.stream().map(Path::toAbsolutePath).toList(),
          proxy == null ? null : proxy.strip(),
          proxyCredentials == null ? null : proxyCredentials.toAbsolutePath(),
          server,
          System.getenv());
    } catch (IllegalArgumentException e) {
      throw new FailureException(FailureCause.BAD_REQUEST, e.getMessage(), e);
    }
  }
}
