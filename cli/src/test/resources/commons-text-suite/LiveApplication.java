import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.text.AlphabetConverter;
import org.apache.commons.text.CaseUtils;
import org.apache.commons.text.ExtendedMessageFormat;
import org.apache.commons.text.StrBuilder;
import org.apache.commons.text.StrLookup;
import org.apache.commons.text.StrSubstitutor;
import org.apache.commons.text.StrTokenizer;
import org.apache.commons.text.StringEscapeUtils;
import org.apache.commons.text.StringSubstitutor;
import org.apache.commons.text.StringTokenizer;
import org.apache.commons.text.TextStringBuilder;
import org.apache.commons.text.WordUtils;
import org.apache.commons.text.diff.CommandVisitor;
import org.apache.commons.text.diff.StringsComparator;
import org.apache.commons.text.io.StringSubstitutorReader;
import org.apache.commons.text.lookup.StringLookupFactory;
import org.apache.commons.text.similarity.CosineSimilarity;
import org.apache.commons.text.similarity.JaroWinklerDistance;
import org.apache.commons.text.similarity.JaroWinklerSimilarity;
import org.apache.commons.text.similarity.LevenshteinDistance;
import org.apache.commons.text.similarity.LongestCommonSubsequence;
import org.apache.commons.text.translate.NumericEntityUnescaper;
import org.apache.commons.text.translate.UnicodeUnpairedSurrogateRemover;

/**
 * What an application does with commons-text 1.9 before the update: it uses most of the classes
 * the update changes, so that they are loaded and have built their state (static and in objects it
 * keeps), and leaves a few unloaded (similarity's IntersectionSimilarity family), so that the update
 * patches those when they load. Prints key=value lines that the test checks.
 */
final class LiveApplication {
  /** Built before the update and used after it: the Text4Shell fix must reach it too. */
  static StringSubstitutor interpolator;

  static final List<Object> kept = new ArrayList<>();

  static void exercise() throws Exception {
    interpolator = StringSubstitutor.createInterpolator();
    print("version", StringSubstitutor.class.getPackage().getImplementationVersion());
    print("dns-before", interpolator.replace("${dns:address|localhost}"));
    kept.add(interpolator.replace("${sys:java.specification.version}"));
    kept.add(new StringSubstitutor(Map.of("a", "b")).replace("${a}"));
    kept.add(StrSubstitutor.replace("${a}", Map.of("a", "b")));
    kept.add(new StrSubstitutor(StrLookup.mapLookup(Map.of("a", "b"))).replace("${a}"));
    kept.add(StrLookup.noneLookup().lookup("a"));
    kept.add(StringLookupFactory.INSTANCE.mapStringLookup(Map.of("k", "v")).lookup("k"));
    kept.add(StringEscapeUtils.escapeHtml4("<\u00e9>"));
    kept.add(StringEscapeUtils.unescapeHtml4("&lt;&eacute;&#x41;&#65;"));
    kept.add(StringEscapeUtils.escapeJava("\u00e9\n"));
    kept.add(StringEscapeUtils.unescapeXml("&apos;&amp;"));
    kept.add(new NumericEntityUnescaper().translate("&#65;"));
    kept.add(new UnicodeUnpairedSurrogateRemover().translate("a\uD800b"));
    kept.add(StringTokenizer.getCSVInstance("a,\"b,c\",d").getTokenList());
    kept.add(StringTokenizer.getTSVInstance("a\tb").getTokenList());
    kept.add(StrTokenizer.getCSVInstance("a,b").getTokenList());
    kept.add(new StringTokenizer("a b c").getTokenList());
    TextStringBuilder text = new TextStringBuilder("x");
    text.appendAll(List.of("a", "b")).appendWithSeparators(List.of("c", "d"), ",");
    text.ensureCapacity(64).setLength(3);
    kept.add(text.toString() + text.hashCode() + text.equals(new TextStringBuilder("xab")));
    StrBuilder str = new StrBuilder("x");
    str.appendAll(List.of("a", "b")).appendSeparator(',').appendWithSeparators(List.of("c"), ",");
    kept.add(str.indexOf('a', 0) + str.indexOf("b", 0) + str.setLength(2).toString());
    kept.add(WordUtils.wrap("The quick brown fox jumps", 10, "\n", true, " "));
    kept.add(WordUtils.abbreviate("Now is the time for all good men", 0, 10, "..."));
    kept.add(CaseUtils.toCamelCase("to camel case", false, ' '));
    kept.add(new ExtendedMessageFormat("{0} '{1}'", Locale.ROOT).format(new Object[] {"a"}));
    AlphabetConverter converter =
        AlphabetConverter.createConverterFromChars(
            new Character[] {'a', 'b', 'c'}, new Character[] {'0', '1'}, new Character[0]);
    kept.add(converter.encode("abc") + converter);
    kept.add(new JaroWinklerDistance().apply("frog", "fog"));
    kept.add(new JaroWinklerSimilarity().apply("frog", "fog"));
    kept.add(new LevenshteinDistance(3).apply("kitten", "sitting"));
    kept.add(new LongestCommonSubsequence().longestCommonSubsequence("abcde", "ace"));
    kept.add(new CosineSimilarity().cosineSimilarity(Map.of("a", 1), Map.of("a", 2)));
    StringWriter script = new StringWriter();
    new StringsComparator("kitten", "sitting")
        .getScript()
        .visit(
            new CommandVisitor<Character>() {
              @Override
              public void visitInsertCommand(Character c) {
                script.write('+');
              }

              @Override
              public void visitKeepCommand(Character c) {
                script.write('=');
              }

              @Override
              public void visitDeleteCommand(Character c) {
                script.write('-');
              }
            });
    kept.add(script.toString());
    try (StringSubstitutorReader reader =
        new StringSubstitutorReader(
            new StringReader("${a}"), new StringSubstitutor(Map.of("a", "b")))) {
      kept.add(reader.read());
    }
    print("exercised", String.valueOf(kept.size()));
  }

  /** CVE-2022-42889: neither a new interpolator nor the one built before may resolve DNS now. */
  static void checkAfterUpdate() {
    print("dns-after-old-interpolator", interpolator.replace("${dns:address|localhost}"));
    print(
        "dns-after-new-interpolator",
        StringSubstitutor.createInterpolator().replace("${dns:address|localhost}"));
  }

  private static void print(String key, String value) {
    System.out.println(key + "=" + value);
  }
}
