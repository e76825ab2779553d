package io.jsplice.model.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jsplice.testkit.ModuleRecords;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordFormTest {
  enum Colour {
    RED,
    GREEN
  }

  record Leaf(String className, int count) {
    static {
      RecordCodec.declareName(Leaf.class, "className", "class");
    }
  }

  /** Mapped through the form the build writes for it. */
  record Written(
      String text,
      boolean flag,
      Boolean maybe,
      int small,
      long big,
      double ratio,
      Colour colour,
      Leaf leaf,
      List<Leaf> leaves,
      Map<String, Long> counts,
      List<String> later) {
    static {
      RecordCodec.declareOmitEmpty(Written.class, "later");
    }
  }

  /** The same components, mapped reflectively: the build writes no form for a private record. */
  private record Reflected(
      String text,
      boolean flag,
      Boolean maybe,
      int small,
      long big,
      double ratio,
      Colour colour,
      Leaf leaf,
      List<Leaf> leaves,
      Map<String, Long> counts,
      List<String> later) {
    static {
      RecordCodec.declareOmitEmpty(Reflected.class, "later");
    }
  }

  /** Has a form in this file written for other components: what a stale build would leave. */
  private record Stale(String a, String b) {}

  static Class<? extends Record> staleType() {
    return Stale.class;
  }

  @Test
  void everyRecordOfTheModelThatItsPackageCanName_hasAFormWrittenForItsComponents() {
    List<Class<?>> records = ModuleRecords.reachable(RecordCodec.class);

    // the update's descriptor, which the agent reads in the target, and the service record's file
    assertThat(records.stream().map(Class::getName))
        .contains(
            "io.jsplice.model.UpdateJson$Descriptor", "io.jsplice.model.record.ServiceRecord$Form");
    assertThat(records.stream().filter(r -> !RecordForm.exists(r.asSubclass(Record.class))))
        .as("records without a generated JSON form (is the processor in the module's build?)")
        .isEmpty();
  }

  @Test
  void aRecordWithAForm_writesTheBytesTheReflectiveMappingWrites_andReadsThemBack() {
    assertThat(RecordForm.exists(Written.class)).isTrue();
    assertThat(RecordForm.exists(Reflected.class)).isFalse();
    Leaf leaf = new Leaf("p.A", 1);
    List<Leaf> leaves = List.of(new Leaf("p.B", 2), new Leaf("p.C$1", 3));
    Written written =
        new Written(
            "a \"quoted\"\nline",
            true,
            null,
            -7,
            Long.MAX_VALUE,
            0.25,
            Colour.GREEN,
            leaf,
            leaves,
            Map.of("k", 9L),
            List.of());
    Reflected reflected =
        new Reflected(
            "a \"quoted\"\nline",
            true,
            null,
            -7,
            Long.MAX_VALUE,
            0.25,
            Colour.GREEN,
            leaf,
            leaves,
            Map.of("k", 9L),
            List.of());

    String text = Json.write(RecordCodec.toJson(written));

    assertThat(text).isEqualTo(Json.write(RecordCodec.toJson(reflected)));
    assertThat(RecordCodec.fromJson(Json.parseObject(text), Written.class, "$")).isEqualTo(written);
    assertThat(RecordCodec.fromJson(Json.parseObject(text), Reflected.class, "$"))
        .isEqualTo(reflected);
  }

  @Test
  void aFormWrittenForOtherComponents_isRefusedWithWhatToDo() {
    assertThatThrownBy(() -> RecordCodec.toJson(new Stale("x", "y")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("written for the components [a], not [a, b]")
        .hasMessageContaining("rebuild");
  }

  @Test
  void aFormOfAnotherName_isIgnored_andTheRecordMappedReflectively() {
    RecordForm.register(Reflected.class, new RecordFormTest_Stale_JsonForm());

    // registered, it would be refused as written for other components
    assertThat(RecordForm.exists(Reflected.class)).isFalse();
  }
}

/** A hand-written stand-in for a form that a stale build left: written for {@code Stale(a)}. */
final class RecordFormTest_Stale_JsonForm extends RecordForm {
  static {
    register(RecordFormTest.staleType(), new RecordFormTest_Stale_JsonForm());
  }

  RecordFormTest_Stale_JsonForm() {
    super(new String[] {"a"});
  }

  @Override
  protected Object[] components(Record record) {
    throw new AssertionError("a stale form is never used");
  }

  @Override
  protected Record construct(Object[] values) {
    throw new AssertionError("a stale form is never used");
  }
}
