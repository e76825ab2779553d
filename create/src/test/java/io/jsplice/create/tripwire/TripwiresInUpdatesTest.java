package io.jsplice.create.tripwire;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.create.ClassFilter;
import io.jsplice.create.UpdateCreator;
import io.jsplice.create.source.ClassSet;
import io.jsplice.model.Tripwire;
import io.jsplice.model.Update;
import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jdk;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The tripwires {@link UpdateCreator} derives when asked ({@code jsplice create} and the feed both
 * ask): one at each throw the fixed release added to a method the vulnerable release has, none at a
 * throw both have, and only in the classes the update holds.
 */
class TripwiresInUpdatesTest {
  private static final Map<String, String> PRE =
      Map.of(
          "p/Parser.java",
          """
          package p;
          public class Parser {
            public static int parse(String s) {
              if (s == null) throw new IllegalArgumentException("null");
              return s.length();
            }
          }
          """,
          "p/Counter.java",
          """
          package p;
          public class Counter {
            public static int check(int n) { return n + 1; }
          }
          """);

  private static final Map<String, String> POST =
      Map.of(
          "p/Parser.java",
          """
          package p;
          public class Parser {
            public static int parse(String s) {
              if (s == null) throw new IllegalArgumentException("null");
              if (s.contains("${")) throw new IllegalArgumentException("lookup refused");
              return s.length();
            }
          }
          """,
          "p/Counter.java",
          """
          package p;
          public class Counter {
            public static int check(int n) {
              if (n < 0) throw new IllegalStateException("negative");
              return n + 1;
            }
          }
          """);

  @Test
  void eachThrowTheFixAdded_getsATripwire_andAThrowBothReleasesHaveGetsNone() throws Exception {
    Update update = create(request().withTripwires(true));

    assertThat(update.tripwires())
        .extracting(Tripwire::site)
        .containsExactlyInAnyOrder("p.Parser.parse", "p.Counter.check");
    assertThat(update.tripwires())
        .filteredOn(t -> t.site().equals("p.Parser.parse"))
        .singleElement()
        .satisfies(t -> assertThat(t.signature()).contains("lookup refused"));
  }

  @Test
  void aClassTheUpdateLeavesOut_carriesNoTripwireInIt() throws Exception {
    Update update =
        create(
            new UpdateCreator.Request(
                    "fix",
                    "",
                    List.of(),
                    List.of(),
                    new ClassFilter(List.of(), List.of("p.Counter")),
                    List.of())
                .withTripwires(true));

    assertThat(update.tripwires()).extracting(Tripwire::site).containsExactly("p.Parser.parse");
  }

  @Test
  void unlessAsked_anUpdateCarriesNone() throws Exception {
    assertThat(create(request()).tripwires()).isEmpty();
  }

  private static UpdateCreator.Request request() {
    return new UpdateCreator.Request("fix", "", List.of("CVE-2099-0001"), List.of());
  }

  private static Update create(UpdateCreator.Request request) throws Exception {
    Compiler javac = Compiler.with(Jdk.current());
    return UpdateCreator.create(
            new ClassSet("pre", javac.compile(PRE), List.of()),
            new ClassSet("post", javac.compile(POST), List.of()),
            request)
        .update()
        .update();
  }
}
