package io.jsplice.fleet.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.fleet.api.ApiError;
import io.jsplice.fleet.api.ErrorCode;
import io.jsplice.fleet.api.FleetJson;
import io.jsplice.fleet.api.client.FleetClient;
import io.jsplice.fleet.api.client.FleetException;
import io.jsplice.fleet.testkit.TestUpdates;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed and refused requests: each gets a 4xx with a one-line message that says what was wrong,
 * and nothing is stored or changed.
 */
class BadRequestsTest {
  private static final long UPDATE_LIMIT = 1024 * 1024;

  @TempDir static Path dir;
  private static RunningServer server;
  private static String hostSecret;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void fleet() throws Exception {
    server =
        RunningServer.start(
            ServerConfig.embedded(dir, List.of(TestUpdates.get().trustedCertificate()))
                .withLimits(new ServerLimits(UPDATE_LIMIT, 64 * 1024, 16 * 1024)));
    hostSecret = server.enrolment("web-1").secret();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HttpResponse<String> send(
      String method, String path, String credential, String contentType, byte[] body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(server.server().url() + path))
            .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
    if (credential != null) {
      request.header("Authorization", "Bearer " + credential);
    }
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * The answer to a request that announces a body of {@code length} bytes and sends none of it.
   *
   * <p>The server refuses a body too large by its announced length, before reading it, and then
   * closes the connection. A client still writing the body may read only the reset (this failed
   * once in CI), and the JDK client's {@code Expect: 100-continue} hung on another; announcing the
   * length and waiting for the answer is what the refusal is for, so the test does exactly that, on
   * a plain socket.
   */
  private static RawResponse announce(String path, String credential, String type, long length)
      throws Exception {
    URI url = URI.create(server.server().url() + path);
    try (Socket socket = new Socket(url.getHost(), url.getPort())) {
      // A guard against a hang, not a timing assumption: the answer needs no body from us.
      socket.setSoTimeout(120_000);
      String head =
          "POST "
              + url.getRawPath()
              + " HTTP/1.1\r\nHost: "
              + url.getHost()
              + ":"
              + url.getPort()
              + "\r\nAuthorization: Bearer "
              + credential
              + "\r\nContent-Type: "
              + type
              + "\r\nContent-Length: "
              + length
              + "\r\n\r\n";
      socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      String status = line(in);
      int contentLength = -1;
      for (String header; !(header = line(in)).isEmpty(); ) {
        int colon = header.indexOf(':');
        if (header.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
          contentLength = Integer.parseInt(header.substring(colon + 1).trim());
        }
      }
      assertThat(contentLength).as("the refusal's Content-Length").isNotNegative();
      byte[] body = new byte[contentLength];
      in.readFully(body);
      return new RawResponse(
          Integer.parseInt(status.split(" ")[1]), new String(body, StandardCharsets.UTF_8));
    }
  }

  private static String line(DataInputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c; (c = in.read()) != '\n'; ) {
      if (c < 0) {
        throw new EOFException("the server closed the connection mid-answer: " + line);
      }
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }

  private record RawResponse(int statusCode, String body) {}

  private static ApiError error(RawResponse response) throws Exception {
    ApiError error = FleetJson.read(response.body().getBytes(), ApiError.class);
    assertThat(error.status()).isEqualTo(response.statusCode());
    assertThat(error.message()).doesNotContain("\n");
    return error;
  }

  private static ApiError error(HttpResponse<String> response) throws Exception {
    ApiError error = FleetJson.read(response.body().getBytes(), ApiError.class);
    assertThat(error.status()).isEqualTo(response.statusCode());
    assertThat(error.message()).doesNotContain("\n");
    return error;
  }

  private static String admin() {
    return server.secret("admin.token");
  }

  private static void nothingStored() throws FleetException {
    FleetClient admin = server.admin();
    assertThat(admin.updates().updates()).isEmpty();
    assertThat(admin.host("web-1").jvms()).isEmpty();
    assertThat(admin.reports("web-1").reports()).isEmpty();
    assertThat(admin.audit(0, 100).entries())
        .extracting(e -> e.action())
        .containsOnly("host.enrol");
  }

  @Test
  void malformedJson_is400WithWhereItBroke() throws Exception {
    HttpResponse<String> response =
        send("POST", "/api/v1/host/report", hostSecret, "application/json", "{\"id\": ".getBytes());
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(error(response).message()).startsWith("malformed JSON at line 1, column ");
    nothingStored();
  }

  @Test
  void jsonOfTheWrongShape_is400NamingTheField() throws Exception {
    HttpResponse<String> response =
        send(
            "POST",
            "/api/v1/host/report",
            hostSecret,
            "application/json",
            "{\"id\": \"r1\", \"jvms\": [{\"key\": \"1@2\", \"pid\": \"not a number\"}]}"
                .getBytes());
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(error(response).message()).startsWith("invalid HostReport at jvms[0].pid:");
    nothingStored();
  }

  @Test
  void aReportWithoutId_is400() throws Exception {
    HttpResponse<String> response =
        send("POST", "/api/v1/host/report", hostSecret, "application/json", "{}".getBytes());
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(error(response).message())
        .isEqualTo("the report needs an id of 1 to 64 characters (a UUID)");
    nothingStored();
  }

  @Test
  void anEmptyBody_is400() throws Exception {
    HttpResponse<String> response =
        send("POST", "/api/v1/enrol", server.secret("enrol.key"), "application/json", new byte[0]);
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(error(response).message())
        .isEqualTo("the request has no body; send a JSON Enrolment");
  }

  @Test
  void anInvalidHostName_is400() throws Exception {
    HttpResponse<String> response =
        send(
            "POST",
            "/api/v1/enrol",
            server.secret("enrol.key"),
            "application/json",
            "{\"name\": \"../etc\"}".getBytes());
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(error(response).message()).startsWith("host name \"../etc\" is not valid:");
    assertThat(server.admin().hosts().hosts()).extracting(h -> h.name()).containsExactly("web-1");
  }

  @Test
  void anOversizedUpload_is413AndNotStored() throws Exception {
    RawResponse response =
        announce("/api/v1/updates", admin(), "application/octet-stream", UPDATE_LIMIT + 1);
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(error(response).message())
        .isEqualTo("the update file is larger than this server accepts (more than 1048576 bytes)");
    nothingStored();
  }

  @Test
  void anOversizedReport_is413() throws Exception {
    RawResponse response =
        announce("/api/v1/host/report", hostSecret, "application/json", 70 * 1024);
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(error(response).message())
        .isEqualTo(
            "the HostReport request is larger than this server accepts (more than 65536 bytes)");
    nothingStored();
  }

  @Test
  void anUnsignedUpdate_is422NotSigned() throws Exception {
    refused(TestUpdates.get().unsigned(), "NOT_SIGNED", "the upload is not signed; sign it");
  }

  @Test
  void anUpdateSignedByAnUntrustedKey_is422UntrustedSigner() throws Exception {
    refused(
        TestUpdates.get().otherSigner(),
        "UNTRUSTED_SIGNER",
        "the upload is signed by \"CN=jsplice fleet tests other\"");
  }

  @Test
  void anUpdateChangedAfterSigning_is422SignatureMismatch() throws Exception {
    refused(
        TestUpdates.get().tampered(),
        "SIGNATURE_MISMATCH",
        "the upload was modified after it was signed");
  }

  @Test
  void bytesThatAreNoUpdate_are422CorruptUpdate() throws Exception {
    HttpResponse<String> response =
        send(
            "POST",
            "/api/v1/updates",
            admin(),
            "application/octet-stream",
            "this is not a jar".getBytes());
    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(error(response).cause()).isEqualTo("CORRUPT_UPDATE");
    nothingStored();
  }

  private static void refused(Path file, String cause, String message) throws Exception {
    HttpResponse<String> response =
        send(
            "POST",
            "/api/v1/updates",
            admin(),
            "application/octet-stream",
            TestUpdates.get().bytes(file));
    assertThat(response.statusCode()).isEqualTo(422);
    ApiError error = error(response);
    assertThat(error.error()).isEqualTo(ErrorCode.UPDATE_REJECTED);
    assertThat(error.cause()).isEqualTo(cause);
    assertThat(error.message()).startsWith(message).doesNotContain(dir.toString());
    nothingStored();
  }

  @Test
  void unknownHosts_are404NamingThem() throws Exception {
    for (String method : List.of("GET", "DELETE")) {
      HttpResponse<String> response =
          send(method, "/api/v1/hosts/nosuch", admin(), null, new byte[0]);
      assertThat(response.statusCode()).isEqualTo(404);
      assertThat(error(response).message())
          .isEqualTo("there is no host named \"nosuch\"; `jsplice hosts` lists the enrolled hosts");
    }
    HttpResponse<String> response =
        send("POST", "/api/v1/hosts/nosuch/deactivate", admin(), null, new byte[0]);
    assertThat(response.statusCode()).isEqualTo(404);
    nothingStored();
  }

  @Test
  void unknownUpdatesGroupsAndRoutes_are404() throws Exception {
    assertThat(send("GET", "/api/v1/updates/nosuch", admin(), null, new byte[0]).statusCode())
        .isEqualTo(404);
    HttpResponse<String> group =
        send(
            "PUT",
            "/api/v1/hosts/web-1/group",
            admin(),
            "application/json",
            "{\"group\": \"nosuch\"}".getBytes());
    assertThat(group.statusCode()).isEqualTo(404);
    HttpResponse<String> route = send("GET", "/api/v1/nosuch", admin(), null, new byte[0]);
    assertThat(route.statusCode()).isEqualTo(404);
    assertThat(error(route).message())
        .isEqualTo("no route GET /api/v1/nosuch; the API is described at /api/v1/openapi.yaml");
    nothingStored();
  }

  @Test
  void badPaging_is400() throws Exception {
    HttpResponse<String> response =
        send("GET", "/api/v1/audit?limit=abc", admin(), null, new byte[0]);
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(error(response).message()).isEqualTo("limit must be a whole number; got \"abc\"");
  }
}
