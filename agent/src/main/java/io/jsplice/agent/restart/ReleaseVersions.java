package io.jsplice.agent.restart;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Orders release versions as Maven does in the common cases: numbers compare as numbers ({@code
 * 1.10.0} after {@code 1.9}), missing numbers count as zero ({@code 1.10} is {@code 1.10.0}), and a
 * pre-release qualifier comes before its release ({@code 1.10.0-RC1} before {@code 1.10.0}).
 */
final class ReleaseVersions {
  private static final Set<String> RELEASE = Set.of("", "final", "ga", "release");

  private ReleaseVersions() {}

  /** Negative, zero or positive as {@code a} is before, the same as, or after {@code b}. */
  static int compare(String a, String b) {
    List<String> left = parts(a);
    List<String> right = parts(b);
    for (int i = 0; i < Math.max(left.size(), right.size()); i++) {
      String x = i < left.size() ? left.get(i) : "";
      String y = i < right.size() ? right.get(i) : "";
      int order = comparePart(x, y);
      if (order != 0) {
        return order;
      }
    }
    return 0;
  }

  private static int comparePart(String x, String y) {
    boolean xNumber = isNumber(x);
    boolean yNumber = isNumber(y);
    if (xNumber && yNumber) {
      return Long.compare(Long.parseLong(x), Long.parseLong(y));
    }
    if (xNumber || yNumber) {
      // a number against a qualifier or nothing: 1.0.1 > 1.0 > 1.0-rc1
      String other = xNumber ? y : x;
      int sign = xNumber ? 1 : -1;
      if (other.isEmpty()) {
        return isZero(xNumber ? x : y) ? 0 : sign;
      }
      return sign;
    }
    boolean xRelease = RELEASE.contains(x);
    boolean yRelease = RELEASE.contains(y);
    if (xRelease || yRelease) {
      return xRelease == yRelease ? 0 : (xRelease ? 1 : -1);
    }
    return x.compareTo(y);
  }

  private static List<String> parts(String version) {
    List<String> out = new ArrayList<>();
    StringBuilder part = new StringBuilder();
    Boolean digits = null;
    for (char c : version.toLowerCase(Locale.ROOT).toCharArray()) {
      if (c == '.' || c == '-' || c == '_' || c == '+') {
        out.add(part.toString());
        part.setLength(0);
        digits = null;
        continue;
      }
      boolean digit = Character.isDigit(c);
      if (digits != null && digits != digit) {
        out.add(part.toString());
        part.setLength(0);
      }
      part.append(c);
      digits = digit;
    }
    out.add(part.toString());
    return out;
  }

  private static boolean isNumber(String s) {
    return !s.isEmpty() && s.chars().allMatch(Character::isDigit) && s.length() < 18;
  }

  private static boolean isZero(String number) {
    return Long.parseLong(number) == 0;
  }
}
