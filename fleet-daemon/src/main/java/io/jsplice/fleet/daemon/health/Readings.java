package io.jsplice.fleet.daemon.health;

import java.util.Map;

/**
 * What a JVM's health checks read at one moment.
 *
 * @param urls each health URL's HTTP status; 0 when it did not answer
 * @param jmx each JMX reading by its check's name; absent when it could not be read
 * @param uptimeMillis the JVM's uptime when read; 0 when unknown
 */
public record Readings(Map<String, Integer> urls, Map<String, Double> jmx, long uptimeMillis) {
  public Readings {
    urls = urls == null ? Map.of() : Map.copyOf(urls);
    jmx = jmx == null ? Map.of() : Map.copyOf(jmx);
  }

  public static final Readings NONE = new Readings(Map.of(), Map.of(), 0);

  static boolean ok(Integer status) {
    return status != null && status >= 200 && status < 300;
  }
}
