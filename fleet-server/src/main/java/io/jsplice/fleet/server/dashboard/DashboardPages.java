package io.jsplice.fleet.server.dashboard;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * The web dashboard's pages and assets, served by the fleet server itself from its own jar: no CDN,
 * no build step, nothing fetched from elsewhere. The pages are one shell (HTML, a script, a style
 * sheet) that reads the admin routes of the REST API with the session cookie and acts through the
 * same routes the CLI uses ({@link Sessions}). Only the login page is served without a session.
 *
 * <p>Every answer carries a Content-Security-Policy that allows this server's own script and style
 * only, forbids framing, and forms posting elsewhere.
 */
public final class DashboardPages {
  public static final String ROOT = "/dashboard";
  static final String LOGIN = ROOT + "/login";
  static final String LOGOUT = ROOT + "/logout";
  private static final String RESOURCES = "/io/jsplice/fleet/server/dashboard/";

  /** The pages: each is the shell; its script renders what the path names. */
  static final String[] PAGES = {
    ROOT + "/",
    ROOT + "/hosts/{name}",
    ROOT + "/hosts/{name}/updates/{id}",
    ROOT + "/updates/{id}",
    ROOT + "/cves/{cve}",
    ROOT + "/audit",
    ROOT + "/feed"
  };

  private static final Map<String, String> ASSETS =
      Map.of(
          "app.js", "text/javascript; charset=utf-8",
          "app.css", "text/css; charset=utf-8",
          "icon.svg", "image/svg+xml");

  private static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src"
          + " 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

  private final Sessions sessions;
  private final String shell;
  private final String login;
  private final Map<String, byte[]> assets;

  public DashboardPages(Sessions sessions) {
    this.sessions = sessions;
    this.shell = text("index.html");
    this.login = text("login.html");
    this.assets =
        Map.of(
            "app.js", bytes("app.js"),
            "app.css", bytes("app.css"),
            "icon.svg", bytes("icon.svg"));
  }

  /**
   * Registers the pages.
   *
   * @param handled marks a request as answered here (so that the server's 404 handler leaves it)
   */
  public void register(JavalinConfig javalin, java.util.function.Consumer<Context> handled) {
    for (String page : PAGES) {
      javalin.routes.addHttpHandler(HandlerType.GET, page, ctx -> page(handled, ctx));
    }
    javalin.routes.addHttpHandler(HandlerType.GET, LOGIN, ctx -> loginPage(handled, ctx, null));
    javalin.routes.addHttpHandler(HandlerType.POST, LOGIN, ctx -> login(handled, ctx));
    javalin.routes.addHttpHandler(HandlerType.POST, LOGOUT, ctx -> logout(handled, ctx));
    javalin.routes.addHttpHandler(
        HandlerType.GET, ROOT + "/assets/{file}", ctx -> asset(handled, ctx));
  }

  private void page(java.util.function.Consumer<Context> handled, Context ctx) {
    handled.accept(ctx);
    Optional<Sessions.Session> session = sessions.of(ctx);
    if (session.isEmpty()) {
      redirect(handled, ctx, LOGIN);
      return;
    }
    html(ctx, 200, shell.replace("{{CSRF}}", session.get().csrf()));
  }

  private void loginPage(java.util.function.Consumer<Context> handled, Context ctx, String error) {
    handled.accept(ctx);
    if (error == null && sessions.of(ctx).isPresent()) {
      redirect(handled, ctx, ROOT + "/");
      return;
    }
    String message =
        error == null ? "" : "<p class=\"error\" id=\"login-error\">" + escape(error) + "</p>";
    html(ctx, error == null ? 200 : 401, login.replace("{{ERROR}}", message));
  }

  private void login(java.util.function.Consumer<Context> handled, Context ctx) {
    handled.accept(ctx);
    Optional<Sessions.Login> login = sessions.login(ctx.formParam("token"), ctx.ip());
    if (login.isEmpty()) {
      loginPage(
          handled,
          ctx,
          "That is not this server's admin token. Paste the content of DATA/admin.token.");
      return;
    }
    ctx.header("Set-Cookie", Sessions.cookie(login.get().cookie(), secure(ctx)));
    redirect(handled, ctx, ROOT + "/");
  }

  private void logout(java.util.function.Consumer<Context> handled, Context ctx) {
    handled.accept(ctx);
    String cookie = ctx.cookie(Sessions.COOKIE);
    Optional<Sessions.Session> session = sessions.find(cookie);
    if (session.isPresent()) {
      if (!Sessions.sameToken(session.get().csrf(), ctx.formParam("csrf"))
          || !Sessions.sameOrigin(ctx)) {
        security(ctx);
        ctx.status(403).contentType("text/plain; charset=utf-8").result("stale page: reload it");
        return;
      }
      sessions.logout(cookie, ctx.ip());
    }
    ctx.header("Set-Cookie", Sessions.cookie(null, secure(ctx)));
    redirect(handled, ctx, LOGIN);
  }

  private void asset(java.util.function.Consumer<Context> handled, Context ctx) {
    handled.accept(ctx);
    security(ctx);
    String file = ctx.pathParam("file");
    byte[] content = assets.get(file);
    if (content == null) {
      ctx.status(404).contentType("text/plain; charset=utf-8").result("no such asset");
      return;
    }
    ctx.header("Cache-Control", "no-cache");
    ctx.status(200).contentType(ASSETS.get(file)).result(content);
  }

  private static void redirect(
      java.util.function.Consumer<Context> handled, Context ctx, String location) {
    handled.accept(ctx);
    security(ctx);
    ctx.header("Location", location);
    ctx.status(303);
  }

  private static void html(Context ctx, int status, String body) {
    security(ctx);
    ctx.header("Cache-Control", "no-store");
    ctx.status(status).contentType("text/html; charset=utf-8").result(body);
  }

  private static void security(Context ctx) {
    ctx.header("Content-Security-Policy", CSP);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("Referrer-Policy", "no-referrer");
  }

  /** Behind a TLS proxy the cookie is marked Secure. */
  private static boolean secure(Context ctx) {
    return "https".equalsIgnoreCase(ctx.scheme())
        || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  private static String text(String name) {
    return new String(bytes(name), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String name) {
    try (InputStream in = DashboardPages.class.getResourceAsStream(RESOURCES + name)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCES + name + " is missing from the server's jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
