package io.jsplice.fleet.daemon.health;

import io.jsplice.fleet.daemon.agents.AgentAccess;
import io.jsplice.fleet.daemon.agents.AgentAccessException;
import io.jsplice.fleet.daemon.agents.ManagedJvm;
import io.jsplice.protocol.message.ReadingsReply;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a JVM's health checks: each health URL with one GET (the daemon's own configuration names
 * them, never the JVM), the JMX readings with one call to its agent.
 */
public final class HealthProbe {
  private static final Duration URL_TIMEOUT = Duration.ofSeconds(10);

  private final AgentAccess agents;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(URL_TIMEOUT)
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  public HealthProbe(AgentAccess agents) {
    this.agents = agents;
  }

  /** The checks' readings now. A reading that cannot be taken is left out (or 0 for a URL). */
  public Readings read(ManagedJvm jvm, List<HealthCheck> checks) {
    Map<String, Integer> urls = new HashMap<>();
    List<HealthCheck.Jmx> jmx = new ArrayList<>();
    for (HealthCheck check : checks) {
      if (check instanceof HealthCheck.Url url) {
        urls.put(url.url().toString(), status(url));
      } else if (check instanceof HealthCheck.Jmx reading) {
        jmx.add(reading);
      }
    }
    Map<String, Double> values = new HashMap<>();
    long uptime = 0;
    if (!jmx.isEmpty()) {
      try {
        ReadingsReply reply =
            agents.readings(jvm, jmx.stream().map(HealthCheck.Jmx::attribute).toList());
        uptime = reply.uptimeMillis();
        for (int i = 0; i < jmx.size() && i < reply.readings().size(); i++) {
          Double value = reply.readings().get(i).value();
          if (value != null) {
            values.put(jmx.get(i).name(), value);
          }
        }
      } catch (AgentAccessException e) {
        // nothing read: the gate compares only what it could read both times
      }
    }
    return new Readings(urls, values, uptime);
  }

  private int status(HealthCheck.Url url) {
    try {
      HttpRequest request = HttpRequest.newBuilder(url.url()).timeout(URL_TIMEOUT).GET().build();
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }
}
