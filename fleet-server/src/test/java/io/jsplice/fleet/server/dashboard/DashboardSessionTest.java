package io.jsplice.fleet.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.fleet.api.HostState;
import io.jsplice.fleet.server.Backend;
import io.jsplice.fleet.server.RunningServer;
import io.jsplice.fleet.server.store.Credentials;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's login and its session cookie, over plain HTTP: who gets a session, what the
 * cookie opens (the admin routes, never a host's), and the CSRF defence on every change made with
 * it.
 */
class DashboardSessionTest {
  @TempDir static Path dir;
  private static RunningServer server;
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  @BeforeAll
  static void start() {
    server = RunningServer.start(Backend.H2, dir, "sessions");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static URI url(String path) {
    return URI.create(server.server().url() + path);
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> login(String token) throws Exception {
    return send(
        HttpRequest.newBuilder(url("/dashboard/login"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8))));
  }

  /** The session cookie ({@code name=value}) a successful login set. */
  private static String session() throws Exception {
    HttpResponse<String> response = login(server.secret(Credentials.ADMIN_FILE));
    String setCookie = response.headers().firstValue("Set-Cookie").orElseThrow();
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  private static String csrf(String cookie) throws Exception {
    HttpResponse<String> page =
        send(HttpRequest.newBuilder(url("/dashboard/")).header("Cookie", cookie).GET());
    Matcher m = Pattern.compile("name=\"csrf-token\" content=\"([^\"]+)\"").matcher(page.body());
    assertThat(m.find()).as(page.body()).isTrue();
    return m.group(1);
  }

  @Test
  void aPage_withoutASession_sendsTheBrowserToTheLoginPage() throws Exception {
    for (String path :
        new String[] {
          "/dashboard/",
          "/dashboard/hosts/web-1",
          "/dashboard/hosts/web-1/updates/some-update",
          "/dashboard/audit"
        }) {
      HttpResponse<String> response = send(HttpRequest.newBuilder(url(path)).GET());
      assertThat(response.statusCode()).as(path).isEqualTo(303);
      assertThat(response.headers().firstValue("Location")).contains("/dashboard/login");
    }
    HttpResponse<String> login = send(HttpRequest.newBuilder(url("/dashboard/login")).GET());
    assertThat(login.statusCode()).isEqualTo(200);
    assertThat(login.body()).contains("name=\"token\"");
  }

  @Test
  void login_withTheAdminToken_setsAnHttpOnlyStrictCookieThatOpensTheAdminRoutes()
      throws Exception {
    HttpResponse<String> response = login(server.secret(Credentials.ADMIN_FILE));
    assertThat(response.statusCode()).isEqualTo(303);
    assertThat(response.headers().firstValue("Location")).contains("/dashboard/");
    String setCookie = response.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(setCookie)
        .startsWith(Sessions.COOKIE + "=")
        .contains("; HttpOnly")
        .contains("; SameSite=Strict")
        .contains("; Path=/");
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));

    HttpResponse<String> hosts =
        send(HttpRequest.newBuilder(url("/api/v1/hosts")).header("Cookie", cookie).GET());
    assertThat(hosts.statusCode()).isEqualTo(200);
    HttpResponse<String> page =
        send(HttpRequest.newBuilder(url("/dashboard/")).header("Cookie", cookie).GET());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Security-Policy"))
        .hasValueSatisfying(csp -> assertThat(csp).contains("script-src 'self'"));
    assertThat(page.headers().firstValue("X-Frame-Options")).contains("DENY");
    assertThat(server.admin().audit(0, 100).entries())
        .extracting(e -> e.action())
        .contains("dashboard.login");
  }

  @Test
  void login_withAnyOtherCredential_isRefusedAndSetsNoCookie() throws Exception {
    String hostSecret = server.enrolment("login-probe").secret();
    for (String token :
        new String[] {
          hostSecret, server.secret(Credentials.ENROL_FILE), "jsa_not-a-token", "", "<script>"
        }) {
      HttpResponse<String> response = login(token);
      assertThat(response.statusCode()).as(token).isEqualTo(401);
      assertThat(response.headers().firstValue("Set-Cookie")).as(token).isEmpty();
      assertThat(response.body())
          .contains("not this server&#39;s admin token")
          .doesNotContain("<script>");
    }
  }

  @Test
  void aChange_madeWithTheCookie_needsTheSessionsCsrfTokenAndThisOrigin() throws Exception {
    server.enrolment("csrf-target");
    String cookie = session();
    String token = csrf(cookie);
    URI deactivate = url("/api/v1/hosts/csrf-target/deactivate");
    String body = "{\"reason\":\"csrf\"}";

    HttpResponse<String> noToken =
        send(
            HttpRequest.newBuilder(deactivate)
                .header("Cookie", cookie)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    assertThat(noToken.statusCode()).isEqualTo(403);
    assertThat(noToken.body()).contains("CSRF token");
    HttpResponse<String> wrongToken =
        send(
            HttpRequest.newBuilder(deactivate)
                .header("Cookie", cookie)
                .header(Sessions.CSRF_HEADER, token + "x")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    assertThat(wrongToken.statusCode()).isEqualTo(403);
    HttpResponse<String> otherSite =
        send(
            HttpRequest.newBuilder(deactivate)
                .header("Cookie", cookie)
                .header(Sessions.CSRF_HEADER, token)
                .header("Origin", "https://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    assertThat(otherSite.statusCode()).isEqualTo(403);
    assertThat(server.admin().host("csrf-target").host().state()).isEqualTo(HostState.ACTIVE);

    HttpResponse<String> allowed =
        send(
            HttpRequest.newBuilder(deactivate)
                .header("Cookie", cookie)
                .header(Sessions.CSRF_HEADER, token)
                .header("Origin", "http://" + deactivate.getRawAuthority())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(200);
    assertThat(server.admin().host("csrf-target").host().state()).isEqualTo(HostState.DEACTIVATED);
  }

  @Test
  void theCookie_opensNoHostRoute() throws Exception {
    String cookie = session();
    HttpResponse<String> response =
        send(HttpRequest.newBuilder(url("/api/v1/host/updates")).header("Cookie", cookie).GET());
    assertThat(response.statusCode()).isEqualTo(401);
  }

  @Test
  void logout_endsTheSession() throws Exception {
    String cookie = session();
    String token = csrf(cookie);
    HttpResponse<String> staleForm =
        send(
            HttpRequest.newBuilder(url("/dashboard/logout"))
                .header("Cookie", cookie)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("csrf=wrong")));
    assertThat(staleForm.statusCode()).isEqualTo(403);
    HttpResponse<String> logout =
        send(
            HttpRequest.newBuilder(url("/dashboard/logout"))
                .header("Cookie", cookie)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("csrf=" + token)));
    assertThat(logout.statusCode()).isEqualTo(303);
    assertThat(logout.headers().firstValue("Set-Cookie"))
        .hasValueSatisfying(c -> assertThat(c).contains("Max-Age=0"));
    HttpResponse<String> after =
        send(HttpRequest.newBuilder(url("/api/v1/hosts")).header("Cookie", cookie).GET());
    assertThat(after.statusCode()).isEqualTo(401);
    assertThat(after.body()).contains("log in again");
  }

  @Test
  void theAssets_areServedByTheServerAndReferToNoOtherSite() throws Exception {
    String cookie = session();
    for (String path :
        new String[] {
          "/dashboard/", "/dashboard/login", "/dashboard/assets/app.js", "/dashboard/assets/app.css"
        }) {
      HttpResponse<String> response =
          send(HttpRequest.newBuilder(url(path)).header("Cookie", cookie).GET());
      assertThat(response.statusCode()).as(path).isIn(200, 303);
      assertThat(response.body()).as(path).doesNotContainPattern("(src|href)=\"(https?:)?//");
      assertThat(response.body()).as(path).doesNotContainPattern("url\\((https?:)?//");
      assertThat(response.body()).as(path).doesNotContainPattern("fetch\\(['\"]https?:");
    }
    assertThat(
            send(HttpRequest.newBuilder(url("/dashboard/assets/app.js")).GET())
                .headers()
                .firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/javascript"));
    assertThat(send(HttpRequest.newBuilder(url("/dashboard/assets/nothing.js")).GET()).statusCode())
        .isEqualTo(404);
  }
}
