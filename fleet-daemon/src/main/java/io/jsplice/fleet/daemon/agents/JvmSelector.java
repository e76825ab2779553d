package io.jsplice.fleet.daemon.agents;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Which JVMs the daemon manages: those whose command line matches one of the globs ({@code *} any
 * text, {@code ?} one character; matched against the whole command line), or every JVM when none is
 * given. JVMs that run jsplice itself (its server, daemons, verbs) are never managed.
 *
 * <p>Immutable and thread-safe.
 */
public final class JvmSelector {
  private final List<String> globs;
  private final List<Pattern> patterns;

  public JvmSelector(List<String> globs) {
    this.globs = List.copyOf(globs);
    this.patterns = this.globs.stream().map(JvmSelector::compile).toList();
  }

  public static JvmSelector all() {
    return new JvmSelector(List.of());
  }

  public List<String> globs() {
    return globs;
  }

  public boolean matches(String commandLine) {
    if (isJsplice(commandLine)) {
      return false;
    }
    return patterns.isEmpty() || patterns.stream().anyMatch(p -> p.matcher(commandLine).matches());
  }

  static boolean isJsplice(String commandLine) {
    return commandLine.contains("io.jsplice.cli.Jsplice")
        || commandLine.matches("(?s).*-jar \\S*/lib/jsplice\\.jar.*");
  }

  private static Pattern compile(String glob) {
    StringBuilder regex = new StringBuilder("(?s)");
    StringBuilder literal = new StringBuilder();
    for (char c : glob.toCharArray()) {
      if (c == '*' || c == '?') {
        if (literal.length() > 0) {
          regex.append(Pattern.quote(literal.toString()));
          literal.setLength(0);
        }
        regex.append(c == '*' ? ".*" : ".");
      } else {
        literal.append(c);
      }
    }
    if (literal.length() > 0) {
      regex.append(Pattern.quote(literal.toString()));
    }
    return Pattern.compile(regex.toString());
  }
}
