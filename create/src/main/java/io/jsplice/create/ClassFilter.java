package io.jsplice.create;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which classes of a release diff an update covers, to build a minimal update from a larger
 * release: the fix without unrelated changes that might not apply live.
 *
 * <p>Patterns are globs on binary class names ({@code *} matches any characters). A class matches a
 * pattern if its name or its top-level class's name does, so {@code org.example.Foo} covers {@code
 * org.example.Foo$1}. A class is covered if it matches some include pattern (or there are none) and
 * no exclude pattern.
 *
 * @param include patterns of classes to cover; empty means all
 * @param exclude patterns of classes to leave out
 */
public record ClassFilter(List<String> include, List<String> exclude) {
  public static final ClassFilter ALL = new ClassFilter(List.of(), List.of());

  public ClassFilter {
    include = List.copyOf(include);
    exclude = List.copyOf(exclude);
  }

  public boolean isAll() {
    return include.isEmpty() && exclude.isEmpty();
  }

  /**
   * @param internalName e.g. {@code org/example/Foo$1}
   */
  public boolean covers(String internalName) {
    String name = internalName.replace('/', '.');
    int dollar = name.indexOf('$');
    String topLevel = dollar < 0 ? name : name.substring(0, dollar);
    boolean included = include.isEmpty() || matchesAny(include, name, topLevel);
    return included && !matchesAny(exclude, name, topLevel);
  }

  private static boolean matchesAny(List<String> patterns, String name, String topLevel) {
    for (String pattern : patterns) {
      Pattern regex =
          Pattern.compile(
              Arrays.stream(pattern.split("\\*", -1))
                  .map(Pattern::quote)
                  .collect(Collectors.joining(".*")));
      if (regex.matcher(name).matches() || regex.matcher(topLevel).matches()) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return (include.isEmpty() ? "" : "only " + include)
        + (exclude.isEmpty() ? "" : (include.isEmpty() ? "" : ", ") + "without " + exclude);
  }
}
