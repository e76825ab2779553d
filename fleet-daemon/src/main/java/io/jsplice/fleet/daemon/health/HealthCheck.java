package io.jsplice.fleet.daemon.health;

import io.jsplice.fleet.daemon.agents.JvmSelector;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One check of a patched JVM's health, compared with the same check before the update. Each applies
 * to the JVMs whose command line its selector matches.
 */
public sealed interface HealthCheck {
  /** Which JVMs it applies to. */
  JvmSelector selector();

  /** One line for logs and events. */
  String describe();

  /**
   * An HTTP health URL: healthy while it answers 2xx. A URL that failed before the update does not
   * count against it.
   */
  record Url(JvmSelector selector, URI url) implements HealthCheck {
    public Url {
      Objects.requireNonNull(url, "url");
      String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        throw new IllegalArgumentException("a health URL is http or https: " + url);
      }
    }

    @Override
    public String describe() {
      return url.toString();
    }
  }

  /**
   * A JMX reading, {@code OBJECTNAME#ATTRIBUTE} (summed over the MBeans a pattern matches), held to
   * a rule against its value before the update.
   */
  record Jmx(JvmSelector selector, String name, String attribute, Rule rule, double limit)
      implements HealthCheck {
    public Jmx {
      Objects.requireNonNull(attribute, "attribute");
      Objects.requireNonNull(rule, "rule");
      name = name == null ? attribute : name;
    }

    @Override
    public String describe() {
      return name + " " + rule.word + "<=" + format(limit);
    }
  }

  /** How a JMX reading after the update is held against the one before it. */
  enum Rule {
    /** A counter (errors): it may rise by at most the limit after the update. */
    RISE("rise"),
    /** A gauge (latency, a queue): after / before may be at most the limit. */
    RATIO("ratio"),
    /**
     * A counter whose pace matters (GC time): its rise per second of uptime after the update may be
     * at most the limit times its average before.
     */
    RATE("rate"),
    /** Any reading: at most the limit. */
    MAX("max");

    final String word;

    Rule(String word) {
      this.word = word;
    }

    static Rule of(String word) {
      for (Rule rule : values()) {
        if (rule.word.equals(word)) {
          return rule;
        }
      }
      throw new IllegalArgumentException(
          "unknown rule \"" + word + "\": use rise<=N, ratio<=X, rate<=X or max<=N");
    }
  }

  /** Short names for the readings every JVM has. */
  List<String[]> BUILTIN =
      List.of(
          new String[] {"gc.time", "java.lang:type=GarbageCollector,name=*#CollectionTime"},
          new String[] {"gc.count", "java.lang:type=GarbageCollector,name=*#CollectionCount"},
          new String[] {"threads", "java.lang:type=Threading#ThreadCount"});

  /**
   * Reads {@code --health} specs: {@code [when=GLOB;]url=URL} or {@code
   * [when=GLOB;]jmx=OBJECTNAME#ATTRIBUTE;RULE<=LIMIT}, where the JMX reading may be a short name
   * ({@code gc.time}, {@code gc.count}, {@code threads}) and RULE is {@code rise}, {@code ratio},
   * {@code rate} or {@code max}.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  static HealthCheck parse(String spec) {
    JvmSelector selector = JvmSelector.all();
    String url = null;
    String jmx = null;
    String rule = null;
    for (String part : spec.split(";")) {
      String field = part.strip();
      if (field.startsWith("when=")) {
        selector = new JvmSelector(List.of(field.substring(5)));
      } else if (field.startsWith("url=")) {
        url = field.substring(4);
      } else if (field.startsWith("jmx=")) {
        jmx = field.substring(4);
      } else if (field.contains("<=")) {
        rule = field;
      } else if (!field.isEmpty()) {
        throw new IllegalArgumentException(
            "--health " + spec + ": \"" + field + "\" is not when=, url=, jmx= or RULE<=LIMIT");
      }
    }
    if ((url == null) == (jmx == null)) {
      throw new IllegalArgumentException("--health " + spec + ": give one of url= or jmx=");
    }
    if (url != null) {
      try {
        return new Url(selector, URI.create(url));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--health " + spec + ": " + e.getMessage(), e);
      }
    }
    if (rule == null) {
      throw new IllegalArgumentException(
          "--health " + spec + ": a JMX check needs a rule: rise<=N, ratio<=X, rate<=X or max<=N");
    }
    String name = jmx;
    String attribute = jmx;
    for (String[] builtin : BUILTIN) {
      if (builtin[0].equals(jmx)) {
        attribute = builtin[1];
      }
    }
    if (attribute.indexOf('#') <= 0) {
      throw new IllegalArgumentException(
          "--health "
              + spec
              + ": name the reading as OBJECTNAME#ATTRIBUTE, or gc.time, gc.count,"
              + " threads");
    }
    int at = rule.indexOf("<=");
    double limit;
    try {
      limit = Double.parseDouble(rule.substring(at + 2).strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--health " + spec + ": the limit is not a number", e);
    }
    return new Jmx(
        selector,
        name,
        attribute,
        Rule.of(rule.substring(0, at).strip().toLowerCase(Locale.ROOT)),
        limit);
  }

  static String format(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString((long) value)
        : Double.toString(value);
  }
}
