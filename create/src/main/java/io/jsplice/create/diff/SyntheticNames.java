package io.jsplice.create.diff;

import java.util.regex.Pattern;

/**
 * javac's names for what it generates with a counter, which shift when code is inserted before
 * them: anonymous and local classes ({@code Outer$1}, {@code Outer$1Local}, also switch-map and
 * access-tag classes), lambda bodies ({@code lambda$run$0}) and accessors ({@code access$000}).
 *
 * <p>Also the <em>family</em> of a class: its top-level class, whose nested classes are the only
 * ones that can name these things (javac never lets an anonymous class, a local class, a lambda
 * body or an accessor be referenced from outside the top-level class it belongs to).
 */
final class SyntheticNames {
  /** A {@code $} followed by digits: the counter part of a class name segment. */
  private static final Pattern NUMBERED_SEGMENT = Pattern.compile("\\$\\d+");

  /** javac's {@code lambda$method$N} and ecj's {@code lambda$N}. */
  private static final Pattern LAMBDA = Pattern.compile("lambda\\$(.*\\$)?\\d+");

  private static final Pattern ACCESSOR = Pattern.compile("access\\$\\d+");

  private SyntheticNames() {}

  /** The top-level class a class belongs to: {@code p/Outer} for {@code p/Outer$1$Inner}. */
  static String family(String internalName) {
    int simple = internalName.lastIndexOf('/') + 1;
    int dollar = internalName.indexOf('$', simple + 1);
    return dollar < 0 ? internalName : internalName.substring(0, dollar);
  }

  /** Whether any nested segment of the name is counter-numbered ({@code Outer$1$Inner} is). */
  static boolean isNumberedClass(String internalName) {
    String family = family(internalName);
    return NUMBERED_SEGMENT.matcher(internalName).find(family.length());
  }

  /** Whether the last segment is counter-numbered: an anonymous or local class. */
  static boolean hasNumberedLastSegment(String internalName) {
    int dollar = internalName.lastIndexOf('$');
    return dollar > family(internalName).length() - 1
        && dollar + 1 < internalName.length()
        && Character.isDigit(internalName.charAt(dollar + 1));
  }

  /** The enclosing class's name: {@code p/Outer} for {@code p/Outer$1}. */
  static String scope(String internalName) {
    return internalName.substring(0, internalName.lastIndexOf('$'));
  }

  /** The part after the last {@code $}: {@code 1}, {@code 1Local} or {@code Inner}. */
  static String lastSegment(String internalName) {
    return internalName.substring(internalName.lastIndexOf('$') + 1);
  }

  /** The counter of a numbered segment: 12 for {@code 12Local}. */
  static int counter(String segment) {
    int end = 0;
    while (end < segment.length() && Character.isDigit(segment.charAt(end))) {
      end++;
    }
    return end == 0 ? -1 : Integer.parseInt(segment.substring(0, Math.min(end, 9)));
  }

  /** The name of a local class inside a numbered segment: {@code Local} for {@code 1Local}. */
  static String localName(String segment) {
    int end = 0;
    while (end < segment.length() && Character.isDigit(segment.charAt(end))) {
      end++;
    }
    return segment.substring(end);
  }

  /** The name with every counter replaced by {@code #}: {@code p/O$#$Inner}. */
  static String maskClass(String internalName) {
    return NUMBERED_SEGMENT.matcher(internalName).replaceAll("\\$#");
  }

  static boolean isLambda(String methodName) {
    return LAMBDA.matcher(methodName).matches();
  }

  static boolean isAccessor(String methodName) {
    return ACCESSOR.matcher(methodName).matches();
  }

  /** A lambda body or an accessor: a method whose name javac numbers. */
  static boolean isNumberedMethod(String methodName) {
    return isLambda(methodName) || isAccessor(methodName);
  }

  /** The name without its trailing counter: {@code lambda$run$} for {@code lambda$run$3}. */
  static String methodFamily(String methodName) {
    int end = methodName.length();
    while (end > 0 && Character.isDigit(methodName.charAt(end - 1))) {
      end--;
    }
    return methodName.substring(0, end);
  }

  /** The trailing counter of a numbered method name. */
  static int methodCounter(String methodName) {
    String digits = methodName.substring(methodFamily(methodName).length());
    return digits.isEmpty()
        ? -1
        : Integer.parseInt(digits.substring(0, Math.min(9, digits.length())));
  }

  /**
   * The method a javac lambda body was written in: {@code run} for {@code lambda$run$0}, {@code
   * new} for a constructor, {@code static} for a static initializer; null for other schemes.
   */
  static String lambdaEnclosingMethod(String lambdaName) {
    int first = lambdaName.indexOf('$');
    int second = lambdaName.indexOf('$', first + 1);
    return second > first + 1 ? lambdaName.substring(first + 1, second) : null;
  }

  /** The name with its counter replaced by {@code #}. */
  static String maskMethod(String methodName) {
    return isNumberedMethod(methodName) ? methodFamily(methodName) + "#" : methodName;
  }
}
