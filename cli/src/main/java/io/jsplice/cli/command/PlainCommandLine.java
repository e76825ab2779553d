package io.jsplice.cli.command;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A verb's command line read without picocli, for the verbs a person or a script runs to patch a
 * JVM ({@code apply}, {@code undo}): picocli builds its model of a verb by reflection over its
 * annotations, which costs a short command a good part of its start. Only the plain form is read
 * here, the form on which picocli and this reading cannot differ: each option by its full name,
 * {@code --name value} or {@code --name=value}, each once but the list options, no value that
 * starts with {@code -}, no {@code @file}, no {@code --}, no help or version, and exactly the
 * verb's number of positional parameters. Anything else is left to picocli, which then reads it (or
 * refuses it) with its own messages: {@link #read} is empty.
 *
 * <p>The verbs' tests check each plain line against picocli's reading of the same line.
 */
final class PlainCommandLine {
  private final Set<String> flags;
  private final Set<String> valued;
  private final Set<String> lists;
  private final int positionals;

  /**
   * @param flags options without a value
   * @param valued options with one value
   * @param lists options whose values, comma-separated and repeated, make one list
   * @param positionals how many positional parameters the verb takes, all required
   */
  PlainCommandLine(Set<String> flags, Set<String> valued, Set<String> lists, int positionals) {
    this.flags = Set.copyOf(flags);
    this.valued = Set.copyOf(valued);
    this.lists = Set.copyOf(lists);
    this.positionals = positionals;
  }

  /**
   * What a plain command line says.
   *
   * @param positionals in order
   * @param flags the flags given
   * @param values the value of each valued option given
   * @param lists the values of each list option given, split at commas, in order
   */
  record Reading(
      List<String> positionals,
      Set<String> flags,
      Map<String, String> values,
      Map<String, List<String>> lists) {
    String value(String option, String otherwise) {
      return values.getOrDefault(option, otherwise);
    }

    List<String> list(String option) {
      return lists.getOrDefault(option, List.of());
    }
  }

  /** The line's reading, or empty when it is not plain and picocli must read it. */
  Optional<Reading> read(List<String> args) {
    List<String> positional = new ArrayList<>();
    List<String> given = new ArrayList<>();
    Map<String, String> values = new HashMap<>();
    Map<String, List<String>> listValues = new HashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.isEmpty() || arg.startsWith("@")) {
        return Optional.empty();
      }
      if (!arg.startsWith("-")) {
        positional.add(arg);
        continue;
      }
      int equals = arg.indexOf('=');
      String name = equals < 0 ? arg : arg.substring(0, equals);
      if (flags.contains(name) && equals < 0 && !given.contains(name)) {
        given.add(name);
        continue;
      }
      if (!valued.contains(name) && !lists.contains(name)) {
        return Optional.empty(); // unknown, help, version, "--", clustered or a flag with a value
      }
      String value;
      if (equals >= 0) {
        value = arg.substring(equals + 1);
      } else if (i + 1 < args.size()) {
        value = args.get(++i);
      } else {
        return Optional.empty();
      }
      if (value.isEmpty() || value.startsWith("-") || value.startsWith("@")) {
        return Optional.empty();
      }
      if (lists.contains(name)) {
        List<String> parts = List.of(value.split(",", -1));
        if (parts.contains("")) {
          return Optional.empty();
        }
        listValues.computeIfAbsent(name, n -> new ArrayList<>()).addAll(parts);
      } else if (values.putIfAbsent(name, value) != null) {
        return Optional.empty(); // picocli refuses an option given twice
      }
    }
    if (positional.size() != positionals) {
      return Optional.empty();
    }
    return Optional.of(new Reading(positional, Set.copyOf(given), values, listValues));
  }

  /** A value of {@code --retries} and the like: digits only, in range; else picocli reads it. */
  static Optional<Long> number(String digits, long max) {
    if (digits.isEmpty()
        || digits.length() > 18
        || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return Optional.empty();
    }
    long value = Long.parseLong(digits);
    return value <= max ? Optional.of(value) : Optional.empty();
  }
}
