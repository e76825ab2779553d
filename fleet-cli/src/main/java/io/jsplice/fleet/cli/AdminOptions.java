package io.jsplice.fleet.cli;

import io.jsplice.fleet.api.client.FleetClient;
import io.jsplice.model.control.FailureCause;
import io.jsplice.model.control.FailureException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Where the fleet server is and the admin token to use: {@code --server URL --token-file FILE}, or
 * {@code $JSPLICE_SERVER} and {@code $JSPLICE_TOKEN_FILE}.
 */
public final class AdminOptions {
  static final String SERVER_ENV = "JSPLICE_SERVER";
  static final String TOKEN_FILE_ENV = "JSPLICE_TOKEN_FILE";

  @Option(
      names = "--server",
      paramLabel = "URL",
      description = "The fleet server, e.g. http://fleet.example:8440 (default: $JSPLICE_SERVER).")
  String server;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description =
          "The admin token, the server's DATA/admin.token (default: $JSPLICE_TOKEN_FILE).")
  Path tokenFile;

  @Mixin ConnectionOptions connection = new ConnectionOptions();

  /** A client for the server, authenticated as the admin. */
  FleetClient client() throws FailureException {
    URI url = server(server);
    return FleetClient.of(url, readToken(), connection.transport(url));
  }

  static URI server(String given) throws FailureException {
    String url = given != null ? given : System.getenv(SERVER_ENV);
    if (url == null || url.isBlank()) {
      throw new FailureException(
          FailureCause.BAD_REQUEST, "name the fleet server: --server URL, or set $" + SERVER_ENV);
    }
    try {
      URI uri = new URI(url.strip());
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
          || uri.getHost() == null) {
        throw new URISyntaxException(url, "not an http or https URL");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new FailureException(
          FailureCause.BAD_REQUEST,
          "\"" + url + "\" is not a server URL; give one like http://fleet.example:8440");
    }
  }

  private String readToken() throws FailureException {
    Path file = tokenFile;
    if (file == null && System.getenv(TOKEN_FILE_ENV) != null) {
      file = Path.of(System.getenv(TOKEN_FILE_ENV));
    }
    if (file == null) {
      throw new FailureException(
          FailureCause.BAD_REQUEST,
          "name the admin token: --token-file FILE (the server's DATA/admin.token), or set $"
              + TOKEN_FILE_ENV);
    }
    return secret(file, "admin token");
  }

  /** The first line of {@code file}, trimmed. */
  static String secret(Path file, String what) throws FailureException {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8).strip();
      int newline = text.indexOf('\n');
      String secret = newline < 0 ? text : text.substring(0, newline).strip();
      if (secret.isEmpty()) {
        throw new FailureException(
            FailureCause.BAD_REQUEST, file + " is empty; it should hold the " + what);
      }
      return secret;
    } catch (IOException e) {
      throw new FailureException(
          FailureCause.BAD_REQUEST,
          "cannot read the " + what + " from " + file + " (" + e.getMessage() + ")");
    }
  }
}
