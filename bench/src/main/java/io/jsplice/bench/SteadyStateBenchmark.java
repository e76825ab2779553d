package io.jsplice.bench;

import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The steady-state cost of what jsplice installs, next to the same fixed code started cold: a
 * patched method that calls a method the update added (which lives in a companion class), that
 * reads and writes an instance field the update added (shadow storage), that builds objects with a
 * constructor the update added (run inside an existing one), that calls a method a subclass now
 * overrides (reached from the overridden method), that calls a method of an object whose class the
 * running JVM has as final (merged into it, dispatched by kind), that reads a field whose type the
 * fix narrows (kept as loaded, read with a cast), and that calls an abstract method the fix adds
 * (dispatched by the companion). Run with {@code ./mvnw -B -ntp verify -pl bench -am -Pjmh
 * -DskipTests}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2)
public class SteadyStateBenchmark {
  /** The fix adds a private method that the patched method calls. */
  static final String SCALER_V1 =
      """
      package lib;
      public class Scaler implements java.util.function.IntUnaryOperator {
        public int applyAsInt(int x) { return x * 3; }
      }
      """;

  static final String SCALER_V2 =
      """
      package lib;
      public class Scaler implements java.util.function.IntUnaryOperator {
        public int applyAsInt(int x) { return clamp(x * 3); }
        private static int clamp(int v) { return v > 1_000_000 ? 1_000_000 : v; }
      }
      """;

  /** The fix adds a field, read on every call. */
  static final String LIMITER_V1 =
      """
      package lib;
      public class Limiter implements java.util.function.IntUnaryOperator {
        public int applyAsInt(int x) { return x; }
      }
      """;

  static final String LIMITER_V2 =
      """
      package lib;
      public class Limiter implements java.util.function.IntUnaryOperator {
        private int limit = 1_000_000;
        public int applyAsInt(int x) { return x < limit ? x : limit; }
      }
      """;

  /** The fix adds a field, read and written on every call. */
  static final String TALLY_V1 =
      """
      package lib;
      public class Tally implements java.util.function.IntUnaryOperator {
        public int applyAsInt(int x) { return x; }
      }
      """;

  static final String TALLY_V2 =
      """
      package lib;
      public class Tally implements java.util.function.IntUnaryOperator {
        private int total;
        public int applyAsInt(int x) { total += x; return total; }
      }
      """;

  /** The fix builds objects with a constructor it adds (run inside an existing one live). */
  static final String MAKER_V1 =
      """
      package lib;
      public class Maker implements java.util.function.IntUnaryOperator {
        static final class Box {
          final int v;
          Box(int v) { this.v = v; }
        }
        public int applyAsInt(int x) { return new Box(x).v * 3; }
      }
      """;

  static final String MAKER_V2 =
      """
      package lib;
      public class Maker implements java.util.function.IntUnaryOperator {
        static final class Box {
          final int v;
          Box(int v) { this.v = v; }
          Box(int v, int scale) { this.v = v * scale; }
        }
        public int applyAsInt(int x) { return new Box(x, 2).v + new Box(x).v; }
      }
      """;

  /** The fix adds an override to a subclass (reached from the overridden method live). */
  static final String CALLER_V1 =
      """
      package lib;
      public class Caller implements java.util.function.IntUnaryOperator {
        static class Base { int f(int x) { return x; } }
        static class Sub extends Base { }
        private final Base held = new Sub();
        public int applyAsInt(int x) { return held.f(x); }
      }
      """;

  static final String CALLER_V2 =
      """
      package lib;
      public class Caller implements java.util.function.IntUnaryOperator {
        static class Base { int f(int x) { return x; } }
        static class Sub extends Base { @Override int f(int x) { return super.f(x) + 1; } }
        private final Base held = new Sub();
        public int applyAsInt(int x) { return held.f(x); }
      }
      """;

  /** The fix subclasses a class the running JVM has as final (merged into it live). */
  static final String SHAPER_V1 =
      """
      package lib;
      public class Shaper implements java.util.function.IntUnaryOperator {
        static final class Shape {
          int area(int x) { return x; }
          static Shape of() { return new Shape(); }
        }
        private final Shape held = Shape.of();
        public int applyAsInt(int x) { return held.area(x); }
      }
      """;

  static final String SHAPER_V2 =
      """
      package lib;
      public class Shaper implements java.util.function.IntUnaryOperator {
        static class Shape {
          int area(int x) { return x; }
          static Shape of() { return new Square(); }
        }
        static final class Square extends Shape { @Override int area(int x) { return x * x; } }
        private final Shape held = Shape.of();
        public int applyAsInt(int x) { return held.area(x); }
      }
      """;

  /** The fix narrows a field's type (kept as loaded, read with a cast). */
  static final String PICKER_V1 =
      """
      package lib;
      public class Picker implements java.util.function.IntUnaryOperator {
        private java.util.Collection<Integer> items = new java.util.ArrayList<>(java.util.List.of(1, 2, 3));
        public int applyAsInt(int x) { return x + items.size(); }
      }
      """;

  static final String PICKER_V2 =
      """
      package lib;
      public class Picker implements java.util.function.IntUnaryOperator {
        private java.util.List<Integer> items = new java.util.ArrayList<>(java.util.List.of(1, 2, 3));
        public int applyAsInt(int x) { return x + items.get(x % 3); }
      }
      """;

  /**
   * The fix adds an abstract method that the patched method calls (dispatched by the companion).
   */
  static final String SHAPES_V1 =
      """
      package lib;
      public class Shapes implements java.util.function.IntUnaryOperator {
        abstract static class Shape { abstract int sides(); }
        static final class Square extends Shape { int sides() { return 4; } }
        private final Shape held = new Square();
        public int applyAsInt(int x) { return x * held.sides(); }
      }
      """;

  static final String SHAPES_V2 =
      """
      package lib;
      public class Shapes implements java.util.function.IntUnaryOperator {
        abstract static class Shape { abstract int sides(); abstract int corners(); }
        static final class Square extends Shape {
          int sides() { return 4; }
          int corners() { return 4; }
        }
        private final Shape held = new Square();
        public int applyAsInt(int x) { return x * held.sides() + held.corners(); }
      }
      """;

  @Param({"Scaler", "Limiter", "Tally", "Maker", "Caller", "Shaper", "Picker", "Shapes"})
  String library;

  @Param({"cold", "installed"})
  String code;

  private IntUnaryOperator operator;
  private int input;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    String[] versions =
        switch (library) {
          case "Scaler" -> new String[] {SCALER_V1, SCALER_V2};
          case "Limiter" -> new String[] {LIMITER_V1, LIMITER_V2};
          case "Maker" -> new String[] {MAKER_V1, MAKER_V2};
          case "Caller" -> new String[] {CALLER_V1, CALLER_V2};
          case "Shaper" -> new String[] {SHAPER_V1, SHAPER_V2};
          case "Picker" -> new String[] {PICKER_V1, PICKER_V2};
          case "Shapes" -> new String[] {SHAPES_V1, SHAPES_V2};
          default -> new String[] {TALLY_V1, TALLY_V2};
        };
    InstalledClasses classes = InstalledClasses.build(versions[0], versions[1], "lib." + library);
    ClassLoader loader = code.equals("cold") ? classes.cold() : classes.installed();
    operator =
        (IntUnaryOperator)
            Class.forName("lib." + library, true, loader).getConstructor().newInstance();
    input = 7;
  }

  @Benchmark
  public int call() {
    return operator.applyAsInt(input);
  }
}
