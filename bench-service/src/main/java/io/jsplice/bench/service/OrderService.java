package io.jsplice.bench.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.commons.text.StringSubstitutor;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An orders service as services are usually put together: configuration from YAML, a pooled
 * database migrated at start, SQL objects, validation, metrics, caches, a signed service token, an
 * HTTP client for upstream calls, and a Javalin (Jetty 12) server with Jackson. Before it says it
 * serves, it checks itself through its own HTTP stack, as a readiness probe would.
 *
 * <p>It prints {@code port N} on stdout once it serves (and nothing else there; its log goes to
 * stderr). {@code GET /health} answers with, among other things, {@code fixes}: the system
 * properties named {@value #FIX_PREFIX}* that are set. The start-up benchmark's updates each set
 * one in the library method they patch, so the answer says which patched code ran.
 */
public final class OrderService {
  /** System properties the benchmark's updates set in the methods they patch. */
  public static final String FIX_PREFIX = "fix.";

  private static final Logger LOG = LoggerFactory.getLogger(OrderService.class);

  private OrderService() {}

  public static void main(String[] args) throws Exception {
    Settings settings =
        new ObjectMapper(new YAMLFactory())
            .readValue(OrderService.class.getResourceAsStream("/service.yaml"), Settings.class);
    Validator validator = Validation.buildDefaultValidatorFactory().getValidator();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    String token = serviceToken(settings.name());
    CloseableHttpClient upstream =
        HttpClients.custom()
            .setConnectionManager(
                PoolingHttpClientConnectionManagerBuilder.create()
                    .setTlsSocketStrategy(DefaultClientTlsStrategy.createDefault())
                    .build())
            .build();

    HikariConfig pool = new HikariConfig();
    pool.setJdbcUrl("jdbc:h2:mem:" + settings.name() + ";DB_CLOSE_DELAY=-1");
    pool.setMaximumPoolSize(settings.poolSize());
    pool.setMetricRegistry(registry);
    HikariDataSource data = new HikariDataSource(pool);
    Flyway.configure().dataSource(data).locations("classpath:db/migration").load().migrate();
    Orders orders = Jdbi.create(data).installPlugin(new SqlObjectPlugin()).onDemand(Orders.class);
    if (orders.all().isEmpty()) {
      throw new IllegalStateException("the migration left no orders");
    }

    ObjectMapper json =
        new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    Cache<Long, Order> byId =
        CacheBuilder.newBuilder().maximumSize(1000).expireAfterWrite(1, TimeUnit.MINUTES).build();
    LoadingCache<String, String> greetings =
        Caffeine.newBuilder()
            .maximumSize(100)
            .recordStats()
            .build(
                language ->
                    new StringSubstitutor(Map.of("name", settings.name()))
                        .replace(settings.greetings().getOrDefault(language, "hello ${name}")));

    Javalin app =
        Javalin.create(
                config -> {
                  config.jsonMapper(new JavalinJackson(json, false));
                  config.startup.showJavalinBanner = false;
                  config.routes.get("/orders", ctx -> ctx.json(orders.all()));
                  config.routes.get(
                      "/orders/{id}",
                      ctx -> {
                        long id = Long.parseLong(ctx.pathParam("id"));
                        ctx.json(byId.get(id, () -> orders.byId(id).get(0)));
                      });
                  config.routes.post(
                      "/orders",
                      ctx -> {
                        Order order = ctx.bodyAsClass(Order.class);
                        var problems = validator.validate(order);
                        if (!problems.isEmpty()) {
                          ctx.status(400).result(problems.iterator().next().getMessage());
                          return;
                        }
                        orders.insert(order);
                        ctx.status(201);
                      });
                  config.routes.get(
                      "/greeting", ctx -> ctx.result(greetings.get(ctx.queryParam("lang") + "")));
                  config.routes.get("/metrics", ctx -> ctx.result(registry.scrape()));
                  config.routes.get(
                      "/health",
                      ctx -> {
                        ctx.json(
                            new Health(
                                fixesInForce(),
                                registry.scrape().length(),
                                orders.countFor("alice"),
                                token.length(),
                                validator
                                    .validate(new Order(0, "probe", 1, Instant.EPOCH))
                                    .isEmpty()));
                      });
                })
            .start(args.length > 0 ? Integer.parseInt(args[0]) : 0);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> close(app, data, upstream)));

    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> ready =
        http.send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + app.port() + "/health"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (ready.statusCode() != 200) {
      throw new IllegalStateException("not ready: " + ready.statusCode() + " " + ready.body());
    }
    LOG.info("{} serves on port {}", settings.name(), app.port());
    System.out.println("port " + app.port());
  }

  /** A token the service would present upstream, signed and checked once at start. */
  private static String serviceToken(String subject) throws JOSEException, ParseException {
    byte[] secret = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader(JWSAlgorithm.HS256),
            new JWTClaimsSet.Builder().subject(subject).issueTime(new Date(0)).build());
    jwt.sign(new MACSigner(secret));
    String token = jwt.serialize();
    if (!SignedJWT.parse(token).verify(new MACVerifier(secret))) {
      throw new IllegalStateException("the service token does not verify");
    }
    return token;
  }

  private static List<String> fixesInForce() {
    return System.getProperties().stringPropertyNames().stream()
        .filter(name -> name.startsWith(FIX_PREFIX))
        .sorted()
        .toList();
  }

  private static void close(Javalin app, HikariDataSource data, CloseableHttpClient upstream) {
    app.stop();
    data.close();
    try {
      upstream.close();
    } catch (java.io.IOException e) {
      LOG.warn("closing the upstream client: {}", e.toString());
    }
  }

  /** What {@code GET /health} answers; fields in alphabetical order, as it always listed them. */
  record Health(List<String> fixes, int metrics, int orders, int token, boolean valid) {}
}
