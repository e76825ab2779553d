package io.jsplice.bench;

import io.jsplice.bootstrap.SerialRejections;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BinaryOperator;

/**
 * What the deserialization filter of an update that refuses classes costs a program that reads
 * objects: one stream of 1000 small objects of two classes, read without a filter ({@code none}),
 * with the filter refusing a class the stream does not hold ({@code unrelated}: a map lookup per
 * class the JDK asks the filter about), and with the filter running a check (reading a system
 * property, which allows the class) for a class the stream holds ({@code checked}, as
 * commons-collections 3.2.2's InvokerTransformer with its property set). The filter goes in as the
 * agent puts it: a factory in front of the JVM's, through {@code java.io}'s opened field, and goes
 * out again between variants. The variants run interleaved, round after round, so that the load of
 * a shared machine falls on all of them alike; it prints each one's median time per stream and its
 * ratio to {@code none}. Run with {@code ./mvnw -B -ntp verify -pl bench -am -Pbench-serial-filter
 * -DskipTests}.
 */
public final class DeserializationFilterCost {
  private static final int ROUNDS = 40;
  private static final int READS = 200;

  /** An object of the stream. */
  static final class Item implements Serializable {
    private static final long serialVersionUID = 1L;
    final int n;
    final String s;

    Item(int n) {
      this.n = n;
      this.s = "item " + n;
    }
  }

  /** An object of the stream whose class the filter checks. */
  static final class Checked implements Serializable {
    private static final long serialVersionUID = 1L;
    final int n;

    Checked(int n) {
      this.n = n;
    }
  }

  /** A class the filter refuses that the stream does not hold. */
  static final class Unrelated implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  private DeserializationFilterCost() {}

  /** The check of {@code checked}: it throws unless a system property allows the class. */
  static void check() {
    if (!"true".equalsIgnoreCase(System.getProperty("bench.allow"))) {
      throw new UnsupportedOperationException("refused");
    }
  }

  public static void main(String[] args) throws Exception {
    try {
      SerialRejections.useFactorySlot(
          MethodHandles.privateLookupIn(ObjectInputFilter.Config.class, MethodHandles.lookup())
              .findStaticVarHandle(
                  ObjectInputFilter.Config.class, "serialFilterFactory", BinaryOperator.class));
    } catch (IllegalAccessException e) {
      System.err.println(
          "run with --add-opens=java.base/java.io=ALL-UNNAMED (the agent opens it to itself): "
              + e);
      System.exit(2);
    }
    System.setProperty("bench.allow", "true");
    byte[] stream = stream();
    String[] variants = {"none", "unrelated", "checked"};
    double[][] micros = new double[variants.length][ROUNDS];
    for (int round = -5; round < ROUNDS; round++) { // 5 rounds of warm-up
      for (int v = 0; v < variants.length; v++) {
        use(variants[v]);
        long start = System.nanoTime();
        for (int i = 0; i < READS; i++) {
          read(stream);
        }
        if (round >= 0) {
          micros[v][round] = (System.nanoTime() - start) / 1000.0 / READS;
        }
      }
    }
    use("none");
    double base = median(micros[0]);
    System.out.printf("%-10s %14s %10s%n", "filter", "us per stream", "/ none");
    for (int v = 0; v < variants.length; v++) {
      double m = median(micros[v]);
      System.out.printf("%-10s %14.1f %9.3fx%n", variants[v], m, m / base);
    }
  }

  private static void use(String variant) throws NoSuchMethodException {
    SerialRejections.allow(Unrelated.class);
    SerialRejections.allow(Checked.class);
    switch (variant) {
      case "unrelated" -> SerialRejections.reject(Unrelated.class);
      case "checked" ->
          SerialRejections.rejectUnless(Checked.class, DeserializationFilterCost.class, "check");
      default -> {}
    }
  }

  private static byte[] stream() throws IOException {
    List<Object> items = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      items.add(i % 2 == 0 ? new Item(i) : new Checked(i));
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(items);
    }
    return bytes.toByteArray();
  }

  private static Object read(byte[] stream) throws IOException, ClassNotFoundException {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(stream))) {
      Object o = in.readObject();
      if (((List<?>) o).size() != 1000) {
        throw new IllegalStateException("the stream read back wrong");
      }
      return o;
    }
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
