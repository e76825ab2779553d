package io.jsplice.create.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;

class InstalledClassBuilderTest {

  /**
   * HotSpot refuses a redefinition whose fields differ in order from the loaded class's ("attempted
   * to change the schema"), as commons-text 1.10.0's AlphabetConverter, which moved ARROW up.
   */
  @Test
  void install_keepsTheLoadedClassFieldOrderWhenTheFixReordersFields() {
    LivePlanner.Plan plan =
        LiveScenario.plan(
            Map.of(
                "p/Converter.java",
                """
                package p;
                public class Converter {
                  private final int size;
                  private final String name;
                  private static final String ARROW = " -> ";
                  public Converter(int size, String name) { this.size = size; this.name = name; }
                  public String describe() { return name + ARROW + size; }
                }
                """),
            Map.of(
                "p/Converter.java",
                """
                package p;
                public class Converter {
                  private static final String ARROW = " => ";
                  private final String name;
                  private final int size;
                  public Converter(int size, String name) { this.size = size; this.name = name; }
                  public String describe() { return size + ARROW + name; }
                }
                """),
            "u1");

    ClassNode installed = LiveScenario.installed(plan, "p/Converter");

    assertThat(installed.fields)
        .extracting((FieldNode f) -> f.name)
        .containsExactly("size", "name", "ARROW");
  }
}
