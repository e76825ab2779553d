package io.jsplice.create.diff;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pre and a post version of a few Java sources in one package of their own: one test case of the
 * diff. The package keeps scenarios apart when many are compiled in one javac run.
 *
 * @param pkg the package every source of the scenario declares, e.g. {@code lambdas}
 * @param pre sources keyed by path ({@code lambdas/Jobs.java})
 * @param post sources keyed by path
 */
record Scenario(String pkg, Map<String, String> pre, Map<String, String> post) {
  private static final Pattern PACKAGE = Pattern.compile("package\\s+([\\w.]+)\\s*;");
  private static final Pattern TYPE = Pattern.compile("(?:class|interface|enum|record)\\s+(\\w+)");

  /** Each source's path follows from its package and first type, as javac wants it. */
  static Scenario of(String[] pre, String[] post) {
    Map<String, String> before = byPath(pre);
    String pkg = before.keySet().iterator().next();
    pkg = pkg.substring(0, pkg.lastIndexOf('/'));
    Map<String, String> after = byPath(post);
    for (String path : after.keySet()) {
      if (!path.startsWith(pkg + "/") || path.indexOf('/', pkg.length() + 1) >= 0) {
        throw new IllegalArgumentException(path + " is outside the scenario's package " + pkg);
      }
    }
    return new Scenario(pkg, before, after);
  }

  static String[] sources(String... sources) {
    return sources;
  }

  /** The internal name of a class of this scenario: {@code lambdas/Jobs} for {@code Jobs}. */
  String name(String simpleName) {
    return pkg + "/" + simpleName;
  }

  private static Map<String, String> byPath(String[] sources) {
    Map<String, String> byPath = new LinkedHashMap<>();
    for (String source : sources) {
      Matcher pkg = PACKAGE.matcher(source);
      Matcher type = TYPE.matcher(source);
      if (!pkg.find() || !type.find()) {
        throw new IllegalArgumentException("no package or type in " + source);
      }
      byPath.put(pkg.group(1).replace('.', '/') + "/" + type.group(1) + ".java", source);
    }
    return byPath;
  }
}
