package io.jsplice.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * {@code apply} and {@code undo} read a plain command line without picocli: each line here is read
 * either exactly as picocli reads it into the verb, or not at all (then picocli reads it, or
 * refuses it with its own message and exit code).
 */
class PlainCommandLineTest {
  static List<List<String>> plainApplyLines() {
    return List.of(
        List.of("123", "fix.jsplice"),
        List.of("fix.jsplice", "123"),
        List.of("123", "fix.jsplice", "--trust", "a.pem"),
        List.of("--trust=a.pem,b.pem", "123", "--trust", "c.pem", "fix.jsplice"),
        List.of("123", "fix.jsplice", "--service", "orders", "--retries", "7", "--retry-delay=20"),
        List.of("123", "fix.jsplice", "--force", "--accept-partial", "--json", "-v"),
        List.of("123", "fix.jsplice", "--verbose"),
        List.of("123", "fix.jsplice", "--retries", "0", "--retry-delay", "0"));
  }

  /** Lines picocli reads otherwise (help), or refuses: the plain reading must not take them. */
  static List<List<String>> otherApplyLines() {
    return List.of(
        List.of("123", "fix.jsplice", "-v", "--verbose"),
        List.of("123", "fix.jsplice", "--json", "--json"),
        List.of("123", "fix.jsplice", "--retries", "1", "--retries", "2"),
        List.of("123", "fix.jsplice", "--retries", "-1"),
        List.of("123", "fix.jsplice", "--retries", "+1"),
        List.of("123", "fix.jsplice", "--retries", "99999999999"),
        List.of("123", "fix.jsplice", "--retries", "0x10"),
        List.of("123", "fix.jsplice", "--retry-delay", "1.5"),
        List.of("123", "fix.jsplice", "--service"),
        List.of("123", "fix.jsplice", "--service", "--json"),
        List.of("123", "fix.jsplice", "--force=true"),
        List.of("123", "fix.jsplice", "--trust", "a.pem,,b.pem"),
        List.of("123", "fix.jsplice", "--trust="),
        List.of("123", "fix.jsplice", "--unknown"),
        List.of("123", "fix.jsplice", "--Json"),
        List.of("123", "fix.jsplice", "-vh"),
        List.of("123", "fix.jsplice", "-h"),
        List.of("123", "fix.jsplice", "--help"),
        List.of("123", "fix.jsplice", "-V"),
        List.of("123", "fix.jsplice", "extra"),
        List.of("123"),
        List.of(),
        List.of("--", "123", "fix.jsplice"),
        List.of("-1", "fix.jsplice"),
        List.of("123", "@args.txt"),
        List.of("123", ""),
        List.of("123", "fix\0.jsplice"));
  }

  static List<List<String>> plainUndoLines() {
    return List.of(
        List.of("123", "CVE-2022-42889"),
        List.of("--retries=2", "123", "--retry-delay", "50", "CVE-2022-42889", "--force"),
        List.of("123", "CVE-2022-42889", "--json"));
  }

  static List<List<String>> otherUndoLines() {
    return List.of(
        List.of("123", "CVE-2022-42889", "--trust", "a.pem"),
        List.of("123", "CVE-2022-42889", "--force", "--force"),
        List.of("123", "CVE-2022-42889", "--retries", "x"),
        List.of("123", "CVE-2022-42889", "--help"),
        List.of("123"),
        List.of("123", "-CVE"));
  }

  static Stream<Arguments> plainLines() {
    return Stream.concat(
        plainApplyLines().stream().map(line -> Arguments.of("apply", line)),
        plainUndoLines().stream().map(line -> Arguments.of("undo", line)));
  }

  static Stream<Arguments> otherLines() {
    return Stream.concat(
        otherApplyLines().stream().map(line -> Arguments.of("apply", line)),
        otherUndoLines().stream().map(line -> Arguments.of("undo", line)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("plainLines")
  void readsAPlainLineAsPicocliDoes(String verb, List<String> line) {
    assertThat(withoutPicocli(verb, line))
        .as("read without picocli")
        .contains(byPicocli(verb, line));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("otherLines")
  void leavesEveryOtherLineToPicocli(String verb, List<String> line) {
    assertThat(withoutPicocli(verb, line)).isEmpty();
  }

  private static Optional<PlainVerb> withoutPicocli(String verb, List<String> line) {
    return verb.equals("apply")
        ? ApplyArguments.read(line).map(PlainVerb.class::cast)
        : UndoArguments.read(line).map(PlainVerb.class::cast);
  }

  private static PlainVerb byPicocli(String verb, List<String> line) {
    String[] args = line.toArray(String[]::new);
    if (verb.equals("apply")) {
      ApplyCommand command = new ApplyCommand();
      new CommandLine(command).parseArgs(args);
      return command.arguments();
    }
    UndoCommand command = new UndoCommand();
    new CommandLine(command).parseArgs(args);
    return command.arguments();
  }
}
