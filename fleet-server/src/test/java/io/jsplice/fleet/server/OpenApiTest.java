package io.jsplice.fleet.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.jsplice.fleet.api.ApiError;
import io.jsplice.fleet.api.FleetJson;
import io.jsplice.fleet.server.http.Access;
import io.jsplice.fleet.server.http.PublicRoutes;
import io.jsplice.fleet.server.http.Route;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI description in the repository ({@code openapi.yaml}) against the server: the same
 * routes with the same credentials, every route really served, and every schema the same fields as
 * the record it describes.
 */
class OpenApiTest {
  private static final Map<Access, String> SCHEMES =
      Map.of(Access.ADMIN, "adminToken", Access.HOST, "hostSecret", Access.ENROL, "enrolKey");

  @TempDir static Path dir;
  private static RunningServer server;
  private static JsonNode spec;

  @BeforeAll
  static void start() throws Exception {
    server = RunningServer.start(ServerConfig.embedded(dir, List.of()));
    spec = new ObjectMapper(new YAMLFactory()).readTree(PublicRoutes.openapi());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static Set<String> documented() {
    Set<String> out = new TreeSet<>();
    spec.get("paths")
        .fields()
        .forEachRemaining(
            path ->
                path.getValue()
                    .fieldNames()
                    .forEachRemaining(
                        method -> out.add(method.toUpperCase() + " " + path.getKey())));
    return out;
  }

  @Test
  void describesExactlyTheRoutesTheServerServes() {
    Set<String> served = new TreeSet<>();
    for (Route route : server.server().routes()) {
      served.add(route.method().name() + " " + route.path());
    }
    assertThat(documented()).isEqualTo(served);
  }

  @Test
  void eachRouteDeclaresTheCredentialItTakes() {
    for (Route route : server.server().routes()) {
      JsonNode operation =
          spec.get("paths").get(route.path()).get(route.method().name().toLowerCase());
      JsonNode security = operation.get("security");
      assertThat(security).as(route.toString()).isNotNull();
      List<String> schemes = new ArrayList<>();
      security.forEach(requirement -> requirement.fieldNames().forEachRemaining(schemes::add));
      if (route.access() == Access.PUBLIC) {
        assertThat(schemes).as(route.path()).isEmpty();
      } else {
        assertThat(schemes).as(route.path()).containsExactly(SCHEMES.get(route.access()));
        assertThat(operation.get("responses").has("401")).as(route.path()).isTrue();
        assertThat(operation.get("responses").has("403")).as(route.path()).isTrue();
      }
    }
  }

  @Test
  void everyDocumentedRouteIsServedAndRefusesCallersWithoutCredentials() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    for (Route route : server.server().routes()) {
      String path =
          route.path().replace("{name}", "web-1").replace("{id}", "X").replace("{group}", "g");
      path = path.replace("{artifact}", "g:a").replace("{cve}", "CVE-2022-42889");
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(server.server().url() + path))
              .method(route.method().name(), HttpRequest.BodyPublishers.noBody())
              .build();
      HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      if (route.access() == Access.PUBLIC) {
        assertThat(response.statusCode()).as(path).isEqualTo(200);
      } else {
        assertThat(response.statusCode()).as(path).isEqualTo(401);
        assertThat(FleetJson.read(response.body(), ApiError.class).message())
            .as(path)
            .startsWith("no credentials:");
      }
    }
  }

  @Test
  void eachSchemaHasTheFieldsOfItsRecord() throws Exception {
    Iterator<Map.Entry<String, JsonNode>> schemas = spec.get("components").get("schemas").fields();
    int checked = 0;
    while (schemas.hasNext()) {
      Map.Entry<String, JsonNode> schema = schemas.next();
      Class<?> type;
      try {
        type = Class.forName("io.jsplice.fleet.api." + schema.getKey());
      } catch (ClassNotFoundException e) {
        continue;
      }
      if (type.isEnum()) {
        List<String> values = new ArrayList<>();
        schema.getValue().get("enum").forEach(v -> values.add(v.asText()));
        assertThat(values)
            .as(schema.getKey())
            .containsExactlyElementsOf(
                Arrays.stream(type.getEnumConstants()).map(c -> ((Enum<?>) c).name()).toList());
      } else {
        assertThat(type.isRecord()).as(schema.getKey()).isTrue();
        List<String> properties = new ArrayList<>();
        schema.getValue().get("properties").fieldNames().forEachRemaining(properties::add);
        assertThat(properties)
            .as(schema.getKey())
            .containsExactlyElementsOf(
                Arrays.stream(type.getRecordComponents()).map(c -> c.getName()).toList());
      }
      checked++;
    }
    assertThat(checked).isGreaterThan(30);
  }
}
