package io.jsplice.model;

import java.nio.charset.Charset;
import java.util.Objects;

/**
 * A property of the running JVM, fixed for its lifetime, under which state the program built before
 * an update is already what the fixed code would have built: the agent evaluates it at apply, in
 * the target JVM.
 *
 * <p>Its components, in their order, are its JSON form in an update's signed descriptor ({@link
 * UpdateJson}): renaming or reordering them changes the format.
 *
 * @param kind which property
 * @param value what it must be: for {@link Kind#DEFAULT_CHARSET}, a charset's canonical name
 */
public record JvmCondition(Kind kind, String value) {
  public JvmCondition {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(value, "value");
  }

  public enum Kind {
    /**
     * {@link Charset#defaultCharset()} is the charset named by the value. It is fixed when the JVM
     * starts (JDK 18 and later: UTF-8 unless {@code file.encoding=COMPAT}; JDK 17: {@code
     * file.encoding} or the locale), so objects the program built before the update were built with
     * it.
     */
    DEFAULT_CHARSET
  }

  /** The condition in words: "the running JVM's default charset is UTF-8". */
  public String describe() {
    return switch (kind) {
      case DEFAULT_CHARSET -> "the running JVM's default charset is " + value;
    };
  }

  /** Whether it holds in this JVM. */
  public boolean holds() {
    return switch (kind) {
      case DEFAULT_CHARSET -> Charset.defaultCharset().name().equals(canonical(value));
    };
  }

  /** Why it does not hold in this JVM, in words: "the default charset is X, not UTF-8". */
  public String whyNot() {
    return switch (kind) {
      case DEFAULT_CHARSET ->
          "the default charset of this JVM is "
              + Charset.defaultCharset().name()
              + ", not "
              + value;
    };
  }

  private static String canonical(String charset) {
    try {
      return Charset.forName(charset).name();
    } catch (IllegalArgumentException unsupported) {
      return charset; // no charset of this JVM has that name: the default is not it
    }
  }
}
