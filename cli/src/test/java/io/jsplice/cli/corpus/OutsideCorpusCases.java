package io.jsplice.cli.corpus;

import static io.jsplice.cli.corpus.CorpusCases.LOOP;
import static io.jsplice.cli.corpus.CorpusCases.probeOnASmallStack;

import java.util.List;
import java.util.Map;

/**
 * Real security fixes outside the development corpus ({@code dev.tsv}), tried as a new user would:
 * the release pair from Maven Central, a program that builds its state at start and tries the
 * exploit. They measure jsplice on fixes it was not developed against (docs/live-updates.md, "Fixes
 * outside the development corpus", has the whole table, refusals included).
 */
final class OutsideCorpusCases {
  private OutsideCorpusCases() {}

  /**
   * jackson-databind 2.13.4.2: with {@code UNWRAP_SINGLE_VALUE_ARRAYS}, a primitive in nested
   * arrays ({@code [[7]]}) was unwrapped recursively (a stack overflow for deep nesting); the fix
   * refuses more than one wrapper. The mapper was built, and its deserializers cached, at start.
   */
  static final CorpusCase JACKSON_NESTED_ARRAYS =
      new CorpusCase(
          "CVE-2022-42003",
          "com.fasterxml.jackson.core:jackson-databind",
          "2.13.4",
          "2.13.4.2",
          List.of(
              "com.fasterxml.jackson.core:jackson-core:2.13.4",
              "com.fasterxml.jackson.core:jackson-annotations:2.13.4"),
          List.of(),
          """
          import com.fasterxml.jackson.databind.*;
          public class Probe {
            public static class Bean { public int v; }
            static final ObjectMapper HELD =
                new ObjectMapper().enable(DeserializationFeature.UNWRAP_SINGLE_VALUE_ARRAYS);
            static String probe() {
              try { return "accepted " + HELD.readValue("{\\"v\\":[[7]]}", Bean.class).v; }
              catch (Exception e) { return "refused " + e.getClass().getSimpleName(); }
            }
            public static void main(String[] args) throws Exception {
              HELD.readValue("{\\"v\\":[7]}", Bean.class);
          """
              + LOOP
              + "}}",
          "accepted 7",
          "refused MismatchedInputException");

  /**
   * spring-expression 5.3.17: {@code new int[n]} in an expression allocated any size (DoS); the fix
   * refuses more than 256K elements with an error it names by an enum constant it adds. The
   * expression was parsed and evaluated at start.
   */
  static final CorpusCase SPEL_ARRAY_SIZE =
      new CorpusCase(
          "CVE-2022-22950",
          "org.springframework:spring-expression",
          "5.3.16",
          "5.3.17",
          List.of(
              "org.springframework:spring-core:5.3.16", "org.springframework:spring-jcl:5.3.16"),
          List.of(),
          """
          import org.springframework.expression.Expression;
          import org.springframework.expression.spel.SpelEvaluationException;
          import org.springframework.expression.spel.standard.SpelExpressionParser;
          public class Probe {
            static final SpelExpressionParser PARSER = new SpelExpressionParser();
            static final Expression HELD = PARSER.parseExpression("new int[1000000]");
            static String eval(Expression e) {
              try { return "built " + java.lang.reflect.Array.getLength(e.getValue()); }
              catch (SpelEvaluationException x) { return "refused " + x.getMessageCode(); }
            }
            static String probe() {
              return "held=" + eval(HELD) + " fresh=" + eval(PARSER.parseExpression("new long[2000000]"));
            }
            public static void main(String[] args) throws Exception {
              probe();
          """
              + LOOP
              + "}}",
          "held=built 1000000 fresh=built 2000000",
          "held=refused MAX_ARRAY_ELEMENTS_THRESHOLD_EXCEEDED"
              + " fresh=refused MAX_ARRAY_ELEMENTS_THRESHOLD_EXCEEDED");

  /**
   * json-smart 2.4.9: the parser recursed without a limit on nesting (stack exhaustion); the fix
   * refuses more than 400 levels. The parser, which keeps its per-source parsers, was used at
   * start.
   */
  static final CorpusCase JSON_SMART_DEPTH =
      new CorpusCase(
          "CVE-2023-1370",
          "net.minidev:json-smart",
          "2.4.8",
          "2.4.9",
          List.of("net.minidev:accessors-smart:2.4.8", "org.ow2.asm:asm:9.1"),
          List.of(),
          """
          import net.minidev.json.parser.JSONParser;
          public class Probe {
            static final JSONParser HELD = new JSONParser(JSONParser.MODE_PERMISSIVE);
            static String probe() {
              String deep = "[".repeat(500) + "]".repeat(500);
              try { HELD.parse(deep); return "accepted depth 500"; }
              catch (Exception e) { return "refused " + e.getClass().getSimpleName(); }
            }
            public static void main(String[] args) throws Exception {
              HELD.parse("[[1]]");
              HELD.parse("{\\"a\\":[1]}");
          """
              + LOOP
              + "}}",
          "accepted depth 500",
          "refused ParseException");

  /**
   * postgresql 42.3.2: the driver instantiated any class a connection property named (socketFactory
   * and others), running its constructor before checking its type; the fix checks the type first.
   * The gadget counts its constructions.
   */
  static final CorpusCase POSTGRESQL_CLASS_PROPERTIES =
      new CorpusCase(
          "CVE-2022-21724",
          "org.postgresql:postgresql",
          "42.3.1",
          "42.3.2",
          List.of(),
          List.of(),
          """
          public class Probe {
            public static volatile int built;
            public static class Gadget { public Gadget(String arg) { built++; } }
            static String probe() {
              int before = built;
              try {
                java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:1/x"
                    + "?socketFactory=Probe$Gadget&socketFactoryArg=a&connectTimeout=1");
              } catch (java.sql.SQLException e) {
                // refused either way; what counts is whether the gadget ran
              }
              return built > before ? "instantiated Gadget" : "not instantiated";
            }
            public static void main(String[] args) throws Exception {
              probe();
          """
              + LOOP
              + "}}",
          "instantiated Gadget",
          "not instantiated");

  /**
   * commons-collections 3.2.2: InvokerTransformer and 7 other functors ran code while a stream was
   * read (the gadget of CVE-2015-7501); the fix adds a {@code readObject} that refuses them unless
   * the system property {@code org.apache.commons.collections.enableUnsafeSerialization} is "true".
   * The program set a JVM-wide filter of its own (refusing {@code java.net.URL}), serialized a
   * transformer at start and read it back. Each probe reads it from a plain stream, from a stream
   * with a filter of its own that accepts everything, and with the property set; reads a URL (the
   * program's filter must still refuse it); and says whether the JVM's filter factory is the one it
   * had at start (undo must put back exactly that one). A refusal is named by its root cause: the
   * fixed release throws UnsupportedOperationException, jsplice's filter an InvalidClassException
   * caused by it.
   */
  static final CorpusCase COMMONS_COLLECTIONS_FUNCTORS =
      new CorpusCase(
          "CVE-2015-7501",
          "commons-collections:commons-collections",
          "3.2.1",
          "3.2.2",
          List.of(),
          List.of(),
          """
          import java.io.*;
          import org.apache.commons.collections.Transformer;
          import org.apache.commons.collections.functors.InvokerTransformer;
          public class Probe {
            static final String ALLOW = "org.apache.commons.collections.enableUnsafeSerialization";
            static final byte[] HELD =
                serialized(new InvokerTransformer("toUpperCase", new Class[0], new Object[0]));
            static final byte[] URL = serialized(newUrl());
            static final Object FACTORY = ObjectInputFilter.Config.getSerialFilterFactory();
            static java.net.URL newUrl() {
              try {
                return new java.net.URL("http://example.org/");
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            }
            static byte[] serialized(Object o) {
              System.setProperty(ALLOW, "true"); // 3.2.2 refuses to write it otherwise
              ByteArrayOutputStream bytes = new ByteArrayOutputStream();
              try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(o);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              } finally {
                System.clearProperty(ALLOW);
              }
              return bytes.toByteArray();
            }
            static String read(boolean ownFilter) {
              return read(HELD, ownFilter);
            }
            static String read(byte[] held, boolean ownFilter) {
              try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(held))) {
                if (ownFilter) {
                  in.setObjectInputFilter(info -> ObjectInputFilter.Status.ALLOWED);
                }
                Object o = in.readObject();
                return "accepted " + (o instanceof Transformer t ? t.transform("x") : o);
              } catch (Exception e) {
                Throwable root = e;
                while (root.getCause() != null) {
                  root = root.getCause();
                }
                return "refused (" + root.getClass().getSimpleName() + ")";
              }
            }
            static String probe() {
              String plain = read(false);
              String own = read(true);
              System.setProperty(ALLOW, "true");
              String allowed;
              try {
                allowed = read(false);
              } finally {
                System.clearProperty(ALLOW);
              }
              return "plain=" + plain + " own=" + own + " allowed=" + allowed + " url="
                  + read(URL, false) + " factory="
                  + (ObjectInputFilter.Config.getSerialFilterFactory() == FACTORY ? "same" : "other");
            }
            public static void main(String[] args) throws Exception {
              ObjectInputFilter.Config.setSerialFilter(
                  ObjectInputFilter.Config.createFilter("!java.net.URL"));
              read(false);
          """
              + LOOP
              + "}}",
          "plain=accepted X own=accepted X allowed=accepted X url=refused (InvalidClassException)"
              + " factory=same",
          "plain=refused (UnsupportedOperationException) own=refused"
              + " (UnsupportedOperationException) allowed=accepted X url=refused"
              + " (InvalidClassException)");

  /**
   * jackson-databind 2.12.6.1: untyped values ({@code Object}) were read by recursion without a
   * limit, so deeply nested arrays overflowed the stack; the fix refuses more than 1000 levels. The
   * mapper was built, and its deserializer for {@code Object} cached, at start.
   */
  static final CorpusCase JACKSON_UNTYPED_DEPTH =
      new CorpusCase(
          "CVE-2020-36518",
          "com.fasterxml.jackson.core:jackson-databind",
          "2.12.6",
          "2.12.6.1",
          List.of(
              "com.fasterxml.jackson.core:jackson-core:2.12.6",
              "com.fasterxml.jackson.core:jackson-annotations:2.12.6"),
          List.of(),
          """
          import com.fasterxml.jackson.databind.*;
          public class Probe {
            static final ObjectMapper HELD = new ObjectMapper();
            static String probe() {
              String deep = "[".repeat(50000) + "]".repeat(50000);
              try { HELD.readValue(deep, Object.class); return "accepted"; }
              catch (Throwable e) { return "refused " + e.getClass().getSimpleName(); }
            }
            public static void main(String[] args) throws Exception {
              HELD.readValue("[[1]]", Object.class);
          """
              + LOOP
              + "}}",
          "refused StackOverflowError",
          "refused JsonParseException");

  /**
   * commons-io 2.7: {@code FilenameUtils.normalize} kept a leading {@code //../}, a path traversal;
   * the fix answers null. 2.7 also drops {@code implements Serializable} from the enum {@code
   * IOCase} (the same supertypes) and gives {@code ByteArrayOutputStream} a new superclass, which
   * cannot apply live: the update is the live subset.
   */
  static final CorpusCase COMMONS_IO_NORMALIZE =
      new CorpusCase(
          "CVE-2021-29425",
          "commons-io:commons-io",
          "2.6",
          "2.7",
          List.of(),
          List.of(),
          """
          import org.apache.commons.io.FilenameUtils;
          public class Probe {
            static String probe() {
              return "normalize=" + FilenameUtils.normalize("//../foo");
            }
            public static void main(String[] args) throws Exception {
              probe();
          """
              + LOOP
              + "}}",
          "normalize=//../foo",
          "normalize=null");

  /**
   * jsoup 1.15.3: with {@code preserveRelativeLinks}, the cleaner kept a {@code javascript:} link
   * spelled with a control character ({@code ja&Tab;vascript:}); the fix strips control characters
   * before it checks the protocol. The safelist was built, and a document cleaned, at start.
   */
  static final CorpusCase JSOUP_CONTROL_CHARACTERS =
      new CorpusCase(
          "CVE-2022-36033",
          "org.jsoup:jsoup",
          "1.15.2",
          "1.15.3",
          List.of(),
          List.of(),
          """
          import org.jsoup.Jsoup;
          import org.jsoup.safety.Safelist;
          public class Probe {
            static final Safelist HELD = Safelist.basic().preserveRelativeLinks(true);
            static String probe() {
              String dirty = "<a href='ja&Tab;vascript:alert(1)'>x</a>";
              return Jsoup.clean(dirty, "http://example.com/", HELD).replace('\t', '~');
            }
            public static void main(String[] args) throws Exception {
              probe();
          """
              + LOOP
              + "}}",
          "href=\"ja~vascript:alert(1)\"",
          "<a rel=\"nofollow\">x</a>");

  /**
   * netty-codec-http 4.1.44: the request decoder accepted a header line without a colon (request
   * smuggling); the fix rejects the request. The decoder was built, and decoded a request, at
   * start; a rejected request leaves a decoder discarding what follows, so the probe resets it
   * after each.
   */
  static final CorpusCase NETTY_HEADER_WITHOUT_COLON =
      new CorpusCase(
          "CVE-2019-20444",
          "io.netty:netty-codec-http",
          "4.1.43.Final",
          "4.1.44.Final",
          List.of(
              "io.netty:netty-common:4.1.43.Final",
              "io.netty:netty-buffer:4.1.43.Final",
              "io.netty:netty-transport:4.1.43.Final",
              "io.netty:netty-codec:4.1.43.Final",
              "io.netty:netty-resolver:4.1.43.Final"),
          List.of(),
          """
          import io.netty.buffer.Unpooled;
          import io.netty.channel.embedded.EmbeddedChannel;
          import io.netty.handler.codec.http.*;
          import java.nio.charset.StandardCharsets;
          public class Probe {
            static final HttpRequestDecoder DECODER = new HttpRequestDecoder();
            static final EmbeddedChannel HELD = new EmbeddedChannel(DECODER);
            static String decode(EmbeddedChannel ch, String request) {
              ch.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.US_ASCII));
              Object m = ch.readInbound();
              String r = !(m instanceof HttpRequest) ? "none"
                  : ((HttpRequest) m).decoderResult().isSuccess() ? "accepted" : "rejected";
              for (Object o; (o = ch.readInbound()) != null; ) {}
              return r;
            }
            static String probe() {
              String bad = "GET /a HTTP/1.1\\r\\nHost: a\\r\\nFoo\\r\\n\\r\\n";
              String held = decode(HELD, bad);
              DECODER.reset();
              return "held=" + held
                  + " fresh=" + decode(new EmbeddedChannel(new HttpRequestDecoder()), bad);
            }
            public static void main(String[] args) throws Exception {
              decode(HELD, "GET / HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n");
          """
              + LOOP
              + "}}",
          "held=accepted fresh=accepted",
          "held=rejected fresh=rejected");

  /**
   * commons-configuration2 2.8.0: interpolation resolved {@code ${dns:...}}, {@code ${script:...}}
   * and {@code ${url:...}} by default; the fix leaves them out of the default lookups. The update
   * is the live subset (2.8.0 gives {@code ImmutableNode} a new interface). A configuration built
   * at start keeps an interpolator holding a copy of the old default lookups, made by an unchanged
   * constructor, so it still resolves {@code dns} after the update; one built after it does not.
   */
  static final CorpusCase CONFIGURATION_DEFAULT_LOOKUPS =
      new CorpusCase(
          "CVE-2022-33980",
          "org.apache.commons:commons-configuration2",
          "2.7",
          "2.8.0",
          List.of(
              "org.apache.commons:commons-lang3:3.12.0",
              "org.apache.commons:commons-text:1.9",
              "commons-logging:commons-logging:1.2"),
          List.of(),
          """
          import org.apache.commons.configuration2.PropertiesConfiguration;
          public class Probe {
            static final PropertiesConfiguration HELD = new PropertiesConfiguration();
            static String probe() {
              PropertiesConfiguration fresh = new PropertiesConfiguration();
              fresh.addProperty("x", "${dns:address|localhost}");
              return "held=" + HELD.getString("x") + " fresh=" + fresh.getString("x");
            }
            public static void main(String[] args) throws Exception {
              HELD.addProperty("x", "${dns:address|localhost}");
              probe();
          """
              + LOOP
              + "}}",
          "held=127.0.0.1 fresh=127.0.0.1",
          "held=127.0.0.1 fresh=${dns:address|localhost}");

  /**
   * xstream 1.4.18 (CVE-2021-39139 and the others of its release): an XStream allowed every type
   * but a deny list; the fixed one allows only the types it was told to. The XStream was built, its
   * allowed types added and a document read, at start: its old security set-up stays, and no setup
   * method can be run again on it, so apply refuses and names it first (before the reflection
   * provider it holds, which cannot be brought to the fixed state either). Accepted as partly in
   * force, the XStream built at start still reads a type it was never told to allow.
   */
  static final CorpusCase XSTREAM_ALLOWED_TYPES =
      new CorpusCase(
          "CVE-2021-39139",
          "com.thoughtworks.xstream:xstream",
          "1.4.17",
          "1.4.18",
          List.of("xmlpull:xmlpull:1.1.3.1", "io.github.x-stream:mxparser:1.2.1"),
          List.of(),
          """
          import com.thoughtworks.xstream.XStream;
          public class Probe {
            public static class Gadget { public String cmd; }
            public static class Form { public String name; }
            static final XStream HELD = new XStream();
            static { HELD.allowTypes(new Class<?>[] {Form.class}); }
            static String probe() {
              try {
                Object o = HELD.fromXML("<Probe_-Gadget><cmd>id</cmd></Probe_-Gadget>");
                return "accepted " + o.getClass().getSimpleName();
              } catch (Throwable e) { return "refused " + e.getClass().getSimpleName(); }
            }
            public static void main(String[] args) throws Exception {
              HELD.fromXML("<Probe_-Form><name>x</name></Probe_-Form>");
          """
              + LOOP
              + "}}",
          "accepted Gadget",
          "accepted Gadget");

  /**
   * dom4j 2.1.1: element and attribute names were not checked, so a name such as {@code a><evil/}
   * injected markup into the written document; the fix's {@code QName} constructor refuses it. The
   * document factory keeps each name it built in its {@code QNameCache}, by its text, and serves it
   * again for the same text: the exploit tried before the update (at start) left its name there, so
   * it is still accepted after it, while a name never tried before is refused. Each probe tries a
   * new such name besides the held one.
   */
  static final CorpusCase DOM4J_ELEMENT_NAMES =
      new CorpusCase(
          "CVE-2018-1000632",
          "org.dom4j:dom4j",
          "2.1.0",
          "2.1.1",
          List.of(),
          List.of(),
          """
          import org.dom4j.DocumentHelper;
          public class Probe {
            static int tries;
            static String attempt(String name) {
              try { DocumentHelper.createElement(name); return "accepted"; }
              catch (RuntimeException e) { return "refused " + e.getClass().getSimpleName(); }
            }
            static String probe() {
              return "held=" + attempt("a><held/") + " fresh=" + attempt("b><fresh" + ++tries + "/");
            }
            public static void main(String[] args) throws Exception {
              attempt("a><held/");
          """
              + LOOP
              + "}}",
          "held=accepted fresh=accepted",
          "held=accepted fresh=refused IllegalArgumentException");

  /**
   * commons-lang3 3.18.0: {@code ClassUtils.getClass} called itself once per dot of a name it could
   * not load (trying each as a nested class), a stack overflow for a long name; the fix loops. Its
   * static initializer and added methods refer to lambdas whose bodies stay private methods of the
   * loaded class, and the iterator of {@code hierarchy()} captures a value of another type: both
   * refused live before. 3.18.0 also changes three hierarchies, so the update is the live subset.
   * The probe runs on a thread of a small stack, so that 3.17.0 overflows however the JIT sizes its
   * frames.
   */
  static final CorpusCase COMMONS_LANG3_CLASS_NAME =
      new CorpusCase(
          "CVE-2025-48924",
          "org.apache.commons:commons-lang3",
          "3.17.0",
          "3.18.0",
          List.of(),
          List.of(),
          """
          import org.apache.commons.lang3.ClassUtils;
          public class Probe {
            static String attempt() {
              try { ClassUtils.getClass("a.".repeat(2000) + "b"); return "loaded"; }
              catch (StackOverflowError e) { return "overflow"; }
              catch (ClassNotFoundException e) { return "not found"; }
            }
          """
              + probeOnASmallStack(128)
              + """
            public static void main(String[] args) throws Exception {
              ClassUtils.getClass("java.lang.String");
              probe();
          """
              + LOOP
              + "}}",
          "overflow",
          "not found");

  /**
   * httpclient 4.5.13: {@code URIUtils.extractHost} read a malformed authority ({@code
   * user@good.com:80@evil.com:8080}) as a host the request was not meant for; the fix finds no host
   * in it. A client was built at start.
   */
  static final CorpusCase HTTPCLIENT_MALFORMED_AUTHORITY =
      new CorpusCase(
          "CVE-2020-13956",
          "org.apache.httpcomponents:httpclient",
          "4.5.12",
          "4.5.13",
          List.of(
              "org.apache.httpcomponents:httpcore:4.4.13",
              "commons-logging:commons-logging:1.2",
              "commons-codec:commons-codec:1.11"),
          List.of(),
          """
          import org.apache.http.client.utils.URIUtils;
          import org.apache.http.impl.client.CloseableHttpClient;
          import org.apache.http.impl.client.HttpClients;
          public class Probe {
            static final CloseableHttpClient HELD = HttpClients.createDefault();
            static String probe() throws Exception {
              return "host="
                  + URIUtils.extractHost(new java.net.URI("http://user@good.com:80@evil.com:8080/x"));
            }
            public static void main(String[] args) throws Exception {
              probe();
          """
              + LOOP
              + "}}",
          "host=http://good.com:80",
          "host=null");

  /**
   * jackson-databind 2.9.10.8: default typing let a JSON document name a JNDI connection pool of a
   * shaded xalan (CVE-2021-20190 and others of its release); the fix adds the names to the deny
   * list, a static set. The mapper was built, with default typing, and used at start; the probe's
   * class of that name is harmless (the check is by name).
   */
  static final CorpusCase JACKSON_DENIED_NAMES =
      new CorpusCase(
              "CVE-2021-20190",
              "com.fasterxml.jackson.core:jackson-databind",
              "2.9.10.7",
              "2.9.10.8",
              List.of(
                  "com.fasterxml.jackson.core:jackson-core:2.9.10",
                  "com.fasterxml.jackson.core:jackson-annotations:2.9.10"),
              List.of(),
              """
              import com.fasterxml.jackson.databind.ObjectMapper;
              public class Probe {
                static final ObjectMapper HELD = new ObjectMapper();
                static String probe() {
                  try {
                    return "built " + HELD.readValue("[\\"com.oracle.wls.shaded.org.apache.xalan.lib"
                        + ".sql.JNDIConnectionPool\\", {}]", Object.class).getClass().getSimpleName();
                  } catch (Exception e) { return "refused " + e.getClass().getSimpleName(); }
                }
                public static void main(String[] args) throws Exception {
                  HELD.enableDefaultTyping();
                  HELD.readValue("[\\"java.util.ArrayList\\", []]", Object.class);
                  probe();
              """
                  + LOOP
                  + "}}",
              "built JNDIConnectionPool",
              "refused InvalidDefinitionException")
          .withSources(
              Map.of(
                  "com/oracle/wls/shaded/org/apache/xalan/lib/sql/JNDIConnectionPool.java",
                  "package com.oracle.wls.shaded.org.apache.xalan.lib.sql;"
                      + " public class JNDIConnectionPool {}"));

  /**
   * jettison 1.5.2: {@code new JSONObject(Map)} recursed into a map that holds itself (a stack
   * overflow); the fix stops at such a cycle. The map was built at start, and the class loaded (no
   * JSONObject is held: objects built before the update are only partly in force). The probe runs
   * on a thread of a small stack, so that 1.5.1 overflows however the JIT sizes its frames.
   */
  static final CorpusCase JETTISON_SELF_MAP =
      new CorpusCase(
          "CVE-2022-45693",
          "org.codehaus.jettison:jettison",
          "1.5.1",
          "1.5.2",
          List.of(),
          List.of(),
          """
          import org.codehaus.jettison.json.JSONObject;
          import java.util.HashMap;
          import java.util.Map;
          public class Probe {
            static final Map<String, Object> HELD = new HashMap<>();
            static String attempt() {
              try { new JSONObject(HELD); return "built"; }
              catch (StackOverflowError e) { return "overflow"; }
              catch (Exception e) { return "refused " + e.getClass().getSimpleName(); }
            }
          """
              + probeOnASmallStack(256)
              + """
            public static void main(String[] args) throws Exception {
              HELD.put("a", HELD);
              JSONObject.quote("x");
          """
              + LOOP
              + "}}",
          "overflow",
          "built");

  // Fourth batch (outside5b): commons-compress, protobuf-java, netty-codec-http, bcprov.

  /**
   * netty-codec-http 4.1.108: the POST body decoder kept every field of a form, however many
   * (memory exhaustion); the fix refuses more than 128 fields (and more than 1,024 buffered bytes
   * for one field) with exceptions it adds. The data factory was built, and a form decoded, at
   * start; a decoder built before the update keeps no limit (apply refuses, 38, when one is on the
   * heap), so each probe decodes with a fresh decoder, as a server does per request.
   */
  static final CorpusCase NETTY_FORM_FIELDS =
      new CorpusCase(
          "CVE-2024-29025",
          "io.netty:netty-codec-http",
          "4.1.107.Final",
          "4.1.108.Final",
          List.of(
              "io.netty:netty-common:4.1.107.Final",
              "io.netty:netty-buffer:4.1.107.Final",
              "io.netty:netty-transport:4.1.107.Final",
              "io.netty:netty-codec:4.1.107.Final",
              "io.netty:netty-resolver:4.1.107.Final",
              "io.netty:netty-handler:4.1.107.Final"),
          List.of(),
          """
          import io.netty.buffer.Unpooled;
          import io.netty.handler.codec.http.*;
          import io.netty.handler.codec.http.multipart.*;
          import java.nio.charset.StandardCharsets;
          public class Probe {
            static final HttpDataFactory FACTORY = new DefaultHttpDataFactory(false);
            static String decode(int fields) {
              StringBuilder body = new StringBuilder("f0=1");
              for (int i = 1; i < fields; i++) { body.append("&f").append(i).append("=1"); }
              FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1,
                  HttpMethod.POST, "/form", Unpooled.copiedBuffer(body, StandardCharsets.US_ASCII));
              request.headers().set(HttpHeaderNames.CONTENT_TYPE,
                  HttpHeaderValues.APPLICATION_X_WWW_FORM_URLENCODED);
              HttpPostRequestDecoder decoder = null;
              try {
                decoder = new HttpPostRequestDecoder(FACTORY, request);
                return "accepted " + decoder.getBodyHttpDatas().size() + " fields";
              } catch (Exception e) {
                return "refused " + e.getClass().getSimpleName();
              } finally {
                if (decoder != null) { decoder.destroy(); }
                request.release();
              }
            }
            static String probe() {
              return decode(1000);
            }
            public static void main(String[] args) throws Exception {
              decode(2);
          """
              + LOOP
              + "}}",
          "accepted 1000 fields",
          "refused TooManyFormFieldsException");

  // End of the fourth batch (outside5b).

  // --- fourth batch (outside5a) ---

  /**
   * woodstox-core 6.4.0: a DTD's content model recursed once per nested parenthesis without a limit
   * (a stack overflow); the fix refuses more than 500 levels, a limit held by each reader
   * configuration and copied from the factory's, built at start. The probe runs on a thread of a
   * small stack, so that 6.3.1 overflows however the JIT sizes its frames.
   */
  static final CorpusCase WOODSTOX_DTD_DEPTH =
      new CorpusCase(
          "CVE-2022-40152",
          "com.fasterxml.woodstox:woodstox-core",
          "6.3.1",
          "6.4.0",
          List.of("org.codehaus.woodstox:stax2-api:4.2.1"),
          List.of(),
          """
          import javax.xml.stream.*;
          import java.io.StringReader;
          public class Probe {
            static final XMLInputFactory HELD = XMLInputFactory.newInstance();
            static String attempt() {
              String doc = "<!DOCTYPE r [<!ELEMENT r " + "(".repeat(10000) + "a"
                  + ")".repeat(10000) + ">]><r/>";
              try {
                XMLStreamReader r = HELD.createXMLStreamReader(new StringReader(doc));
                while (r.hasNext()) r.next();
                return "parsed";
              } catch (StackOverflowError e) { return "overflow"; }
              catch (Exception e) { return "refused " + e.getClass().getSimpleName(); }
            }
          """
              + probeOnASmallStack(256)
              + """
            public static void main(String[] args) throws Exception {
              XMLStreamReader r = HELD.createXMLStreamReader(
                  new StringReader("<!DOCTYPE r [<!ELEMENT r (a)>]><r/>"));
              while (r.hasNext()) r.next();
          """
              + LOOP
              + "}}",
          "overflow",
          "refused XMLStreamException");

  /**
   * snappy-java 1.1.10.1: {@code SnappyInputStream} allocated whatever chunk length a stream
   * declared (a negative one threw {@code NegativeArraySizeException}, a huge one exhausted the
   * heap); the fix refuses it with a {@code SnappyError}, and names the heap case by an error code
   * it adds to {@code SnappyErrorCode}, an enum the library enumerates ({@code values()} in {@code
   * getErrorMessage}). The stream header was built, and a stream read, at start; the probe also
   * asks the enum for the added code by name.
   */
  static final CorpusCase SNAPPY_CHUNK_LENGTH =
      new CorpusCase(
          "CVE-2023-34455",
          "org.xerial.snappy:snappy-java",
          "1.1.10.0",
          "1.1.10.1",
          List.of(),
          List.of(),
          """
          import java.io.*;
          import org.xerial.snappy.*;
          public class Probe {
            static byte[] header;
            static String read(int chunkSize) {
              ByteArrayOutputStream b = new ByteArrayOutputStream();
              b.writeBytes(header);
              b.writeBytes(new byte[] {(byte) (chunkSize >>> 24), (byte) (chunkSize >>> 16),
                  (byte) (chunkSize >>> 8), (byte) chunkSize});
              b.writeBytes(new byte[64]);
              try (SnappyInputStream in =
                  new SnappyInputStream(new ByteArrayInputStream(b.toByteArray()))) {
                in.read(new byte[16]);
                return "read";
              } catch (SnappyError e) {
                return "refused " + e.errorCode;
              } catch (Throwable e) {
                return "threw " + e.getClass().getSimpleName();
              }
            }
            static String probe() {
              String code;
              try { code = SnappyErrorCode.valueOf("TOO_LARGE_INPUT").name(); }
              catch (IllegalArgumentException e) { code = "none"; }
              return read(-16) + " code=" + code;
            }
            public static void main(String[] args) throws Exception {
              ByteArrayOutputStream b = new ByteArrayOutputStream();
              try (SnappyOutputStream out = new SnappyOutputStream(b)) { out.write("warm".getBytes()); }
              header = java.util.Arrays.copyOf(b.toByteArray(), 16);
              try (SnappyInputStream in =
                  new SnappyInputStream(new ByteArrayInputStream(b.toByteArray()))) {
                in.read(new byte[4]);
              }
              probe();
          """
              + LOOP
              + "}}",
          "threw NegativeArraySizeException code=none",
          "refused INVALID_CHUNK_SIZE code=TOO_LARGE_INPUT");

  /**
   * jetty-http 9.4.52: the parser took a {@code Content-Length} with a leading {@code +} (parsed by
   * {@code Long.parseLong}), which a proxy in front may read otherwise (request smuggling); the fix
   * parses digits only and answers 400. The parser's static tables were built, and a request
   * parsed, at start; each request gets a parser of its own, as each connection does.
   */
  static final CorpusCase JETTY_CONTENT_LENGTH_PLUS =
      new CorpusCase(
          "CVE-2023-40167",
          "org.eclipse.jetty:jetty-http",
          "9.4.51.v20230217",
          "9.4.52.v20230823",
          List.of("org.eclipse.jetty:jetty-util:9.4.51.v20230217"),
          List.of(),
          """
          import org.eclipse.jetty.http.*;
          import java.nio.ByteBuffer;
          import java.nio.charset.StandardCharsets;
          public class Probe {
            static final StringBuilder LOG = new StringBuilder();
            static final HttpParser.RequestHandler H = new HttpParser.RequestHandler() {
              public boolean startRequest(String m, String u, HttpVersion v) { return false; }
              public void parsedHeader(HttpField f) {}
              public boolean headerComplete() { return false; }
              public boolean content(ByteBuffer b) {
                LOG.append("content=").append(StandardCharsets.ISO_8859_1.decode(b)).append(' ');
                return false;
              }
              public boolean contentComplete() { return false; }
              public boolean messageComplete() { LOG.append("complete"); return true; }
              public void earlyEOF() { LOG.append("eof"); }
              public void badMessage(BadMessageException e) { LOG.append("bad ").append(e.getCode()); }
              public int getHeaderCacheSize() { return 1024; }
            };
            static String parse(String request) {
              LOG.setLength(0);
              HttpParser parser = new HttpParser(H);
              ByteBuffer b = ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1));
              while (b.hasRemaining() && !parser.isState(HttpParser.State.END)
                  && !parser.isState(HttpParser.State.CLOSE)) {
                if (parser.parseNext(b)) break;
              }
              return LOG.toString().trim();
            }
            static String probe() {
              return parse("POST / HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: +5\\r\\n\\r\\nhello");
            }
            public static void main(String[] args) throws Exception {
              parse("POST / HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 5\\r\\n\\r\\nhello");
          """
              + LOOP
              + "}}",
          "content=hello complete",
          "bad 400");

  // --- end of fourth batch (outside5a) ---

  // --- fifth batch (newfixes) ---

  /**
   * logback 1.2.13: a receiver deserialized a logging event's argument array of any length (a
   * denial of service through a crafted stream); the fix refuses more than 128 arguments, and its
   * hardened stream adds an object filter. The logger context was built, and an event sent through
   * a hardened stream, at start; each probe reads with a fresh stream, as a receiver does per
   * connection.
   */
  static final CorpusCase LOGBACK_RECEIVER_ARGUMENTS =
      new CorpusCase(
              "CVE-2023-6378",
              "ch.qos.logback:logback-classic",
              "1.2.12",
              "1.2.13",
              List.of("org.slf4j:slf4j-api:1.7.36"),
              List.of(),
              """
          import ch.qos.logback.classic.Level;
          import ch.qos.logback.classic.LoggerContext;
          import ch.qos.logback.classic.net.server.HardenedLoggingEventInputStream;
          import ch.qos.logback.classic.spi.LoggingEvent;
          import ch.qos.logback.classic.spi.LoggingEventVO;
          import java.io.*;
          public class Probe {
            static final LoggerContext CONTEXT = new LoggerContext();
            static byte[] serialized(int args) throws IOException {
              Object[] a = new Object[args];
              for (int i = 0; i < args; i++) a[i] = "a" + i;
              LoggingEvent e =
                  new LoggingEvent("x", CONTEXT.getLogger("probe"), Level.INFO, "m", null, a);
              ByteArrayOutputStream out = new ByteArrayOutputStream();
              try (ObjectOutputStream o = new ObjectOutputStream(out)) {
                o.writeObject(LoggingEventVO.build(e));
              }
              return out.toByteArray();
            }
            static byte[] HUGE;
            static String probe() {
              try (HardenedLoggingEventInputStream in =
                  new HardenedLoggingEventInputStream(new ByteArrayInputStream(HUGE))) {
                return "accepted "
                    + ((LoggingEventVO) in.readObject()).getArgumentArray().length + " args";
              } catch (Exception e) { return "refused " + e.getClass().getSimpleName(); }
            }
            public static void main(String[] args) throws Exception {
              HUGE = serialized(1000);
              new HardenedLoggingEventInputStream(new ByteArrayInputStream(serialized(2)))
                  .readObject();
          """
                  + LOOP
                  + "}}",
              "accepted 1000 args",
              "refused InvalidObjectException")
          .withSiblings("ch.qos.logback:logback-core");

  /**
   * snakeyaml 1.32: a document of any size was read (a denial of service); the fix refuses more
   * than 3 MB of code points, a limit the loader options carry to each scanner. The Yaml was built,
   * and a document loaded, at start. Partly in force: the held Yaml keeps the parser and scanner of
   * its last load (they read the added loader options as null), so apply refuses (38); accepted as
   * partly in force, every later load has the limit.
   */
  static final CorpusCase SNAKEYAML_CODE_POINTS =
      new CorpusCase(
          "CVE-2022-38752",
          "org.yaml:snakeyaml",
          "1.31",
          "1.32",
          List.of(),
          List.of(),
          """
          import org.yaml.snakeyaml.Yaml;
          public class Probe {
            static final Yaml HELD = new Yaml();
            static String probe() {
              try { HELD.load("a: " + "x".repeat(4_000_000)); return "accepted 4M code points"; }
              catch (Exception e) { return "refused " + e.getClass().getSimpleName(); }
            }
            public static void main(String[] args) throws Exception {
              HELD.load("a: [1, {b: 2}]");
          """
              + LOOP
              + "}}",
          "accepted 4M code points",
          "refused YAMLException");

  /**
   * commons-beanutils 1.9.4: the {@code class} property was readable (a path to the class loader);
   * the fix adds an introspector that suppresses it, in the setup method the constructor of {@code
   * PropertyUtilsBean} calls, whose singleton is built at first use. The setup method clears the
   * introspector list before filling it, so it cannot be run again on the singleton: apply refuses
   * (38) naming it, and accepted as partly in force the singleton (and its cache of descriptors)
   * still reads {@code class}, as the probe shows.
   */
  static final CorpusCase BEANUTILS_CLASS_PROPERTY =
      new CorpusCase(
          "CVE-2019-10086",
          "commons-beanutils:commons-beanutils",
          "1.9.3",
          "1.9.4",
          List.of(
              "commons-logging:commons-logging:1.2",
              "commons-collections:commons-collections:3.2.2"),
          List.of(),
          """
          import org.apache.commons.beanutils.PropertyUtils;
          public class Probe {
            public static class Bean {
              private String name = "x";
              public String getName() { return name; }
              public void setName(String n) { name = n; }
            }
            static final Bean HELD = new Bean();
            static String probe() {
              try {
                return "read " + ((Class<?>) PropertyUtils.getProperty(HELD, "class")).getSimpleName();
              } catch (Exception e) { return "refused " + e.getClass().getSimpleName(); }
            }
            public static void main(String[] args) throws Exception {
              PropertyUtils.getProperty(HELD, "name");
          """
              + LOOP
              + "}}",
          "read Bean",
          "read Bean");

  // --- end of fifth batch (newfixes) ---

  // --- seventh batch (lead, 2026-12-04) ---

  /**
   * spring-web 5.3.32: {@code UriComponentsBuilder} read the host of {@code
   * https://good.com[@evil.com/} as {@code good.com} where a browser goes to {@code evil.com} (an
   * open redirect past a host check); the fix changes the static patterns. The program runs without
   * the servlet API, an optional dependency of spring-web, as a WebFlux or plain client program
   * does: the update's code for {@code ContentCachingResponseWrapper} (a servlet response wrapper,
   * never loadable here) could not link and failed the whole apply. The live subset leaves out
   * three reactive client classes whose superclass changes. A URI template handler built at start
   * and the static parsing are probed.
   */
  static final CorpusCase SPRING_WEB_USERINFO_HOST =
      new CorpusCase(
          "CVE-2024-22243",
          "org.springframework:spring-web",
          "5.3.31",
          "5.3.32",
          List.of(
              "org.springframework:spring-core:5.3.31", "org.springframework:spring-jcl:5.3.31"),
          List.of(),
          """
          import org.springframework.web.util.*;
          public class Probe {
            static final DefaultUriBuilderFactory HELD = new DefaultUriBuilderFactory();
            static String probe() {
              String u = "https://good.com[@evil.com/";
              return "static=" + UriComponentsBuilder.fromHttpUrl(u).build().getHost()
                  + " held=" + HELD.expand(u).getHost();
            }
            public static void main(String[] args) throws Exception {
              probe();
          """
              + LOOP
              + "}}",
          "static=good.com held=good.com",
          "static=evil.com held=evil.com");

  // --- end of seventh batch (lead) ---
  /**
   * guava 32.0.0: {@code FileBackedOutputStream} spilled to a temp file made with {@code
   * File.createTempFile}, readable by every user under the usual umask 022; the fix makes it
   * owner-only (an added {@code TempFileCreator}). The stream was built, and written below its
   * threshold, at start; each probe writes past the threshold and resets. The release pair is the
   * live subset (2 reflection classes left out), applied with {@code --accept-partial}.
   */
  static final CorpusCase GUAVA_TEMP_FILE_PERMISSIONS =
      new CorpusCase(
          "CVE-2023-2976",
          "com.google.guava:guava",
          "31.1-jre",
          "32.0.0-jre",
          List.of(),
          List.of(),
          """
          import com.google.common.io.FileBackedOutputStream;
          import java.nio.file.*;
          import java.nio.file.attribute.PosixFilePermission;
          import java.util.*;
          public class Probe {
            static final FileBackedOutputStream HELD = new FileBackedOutputStream(16);
            static Set<Path> spooled() throws Exception {
              Set<Path> out = new HashSet<>();
              Path dir = Paths.get(System.getProperty("java.io.tmpdir"));
              try (DirectoryStream<Path> d = Files.newDirectoryStream(dir, "FileBackedOutputStream*")) {
                for (Path p : d) out.add(p);
              }
              return out;
            }
            static String probe() {
              try {
                Set<Path> before = spooled();
                HELD.write(new byte[64]);
                Set<Path> made = spooled();
                made.removeAll(before);
                if (made.size() != 1) return "spooled to " + made.size() + " files";
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(made.iterator().next());
                HELD.reset();
                return perms.stream().anyMatch(p -> !p.name().startsWith("OWNER"))
                    ? "spooled shared" : "spooled owner-only";
              } catch (Exception e) { return "failed " + e; }
            }
            public static void main(String[] args) throws Exception {
              HELD.write(new byte[8]);
          """
              + LOOP
              + "}}",
          "spooled shared",
          "spooled owner-only");

  /**
   * postgresql 42.4.1: {@code ResultSet.refreshRow()} built its query from the result's column
   * names unquoted, so a column named with SQL ran that SQL; the fix quotes them. Against a real
   * PostgreSQL (the JDBC URL in the system property {@code jsplice.test.postgres}, a database of
   * its own for each probe JVM); the connection and the updatable statement are made at start. The
   * constructors of the connection and the prepared statement differ only in the version they log
   * and an exception's message, so objects built before need nothing.
   */
  static final CorpusCase POSTGRESQL_REFRESH_ROW_COLUMNS =
      new CorpusCase(
          "CVE-2022-31197",
          "org.postgresql:postgresql",
          "42.4.0",
          "42.4.1",
          List.of(),
          List.of(),
          """
          import java.sql.*;
          public class Probe {
            static Connection HELD;
            static Statement UPDATABLE;
            static String probe() {
              try (Statement s = HELD.createStatement()) {
                s.execute("DELETE FROM pwned");
                try (ResultSet rs = UPDATABLE.executeQuery("SELECT * FROM victim")) {
                  rs.next();
                  rs.refreshRow();
                } catch (SQLException e) {
                  // the vulnerable release runs the injected statements, then fails on their results
                }
                try (ResultSet c = s.executeQuery("SELECT count(*) FROM pwned")) {
                  c.next();
                  return "injected " + c.getInt(1);
                }
              } catch (SQLException e) {
                return "error " + e.getSQLState();
              }
            }
            public static void main(String[] args) throws Exception {
              HELD = DriverManager.getConnection(
                  System.getProperty("jsplice.test.postgres"), "postgres", "jsplice-tests");
              try (Statement s = HELD.createStatement()) {
                s.execute("CREATE TABLE pwned (x int)");
                s.execute("CREATE TABLE victim (id int PRIMARY KEY,"
                    + " \\"1 FROM victim; INSERT INTO pwned VALUES (1); SELECT *\\" int)");
                s.execute("INSERT INTO victim VALUES (1, 2)");
              }
              UPDATABLE =
                  HELD.createStatement(ResultSet.TYPE_SCROLL_INSENSITIVE, ResultSet.CONCUR_UPDATABLE);
              probe();
          """
              + LOOP
              + "}}",
          "injected 1",
          "injected 0");

  // --- eighth batch (trials8) ---
  /**
   * jose4j 0.9.4: a JWE's PBES2 iteration count ({@code p2c}) was taken from its header without a
   * limit, so one token could cost minutes of key derivation; the fix refuses more than 2,499,999
   * (an instance field the algorithm objects get in their constructor) and blocks the PBES2
   * algorithms by default (a renamed static constraint). The algorithm objects, which the library's
   * factory built once, derived a key at start; the probe decrypts a token the default constraints
   * meet, and one with {@code p2c} = 10^9 where the program permits PBES2.
   */
  static final CorpusCase JOSE4J_PBES2_COUNT =
      new CorpusCase(
          "CVE-2023-51775",
          "org.bitbucket.b_c:jose4j",
          "0.9.3",
          "0.9.4",
          List.of("org.slf4j:slf4j-api:1.7.21"),
          List.of(),
          """
          import org.jose4j.base64url.Base64Url;
          import org.jose4j.jwa.AlgorithmConstraints;
          import org.jose4j.jwe.JsonWebEncryption;
          import org.jose4j.keys.PbkdfKey;
          public class Probe {
            static final PbkdfKey KEY = new PbkdfKey("correct horse battery staple");
            static String token(long p2c) {
              // past the limit, without a salt: the old code fails at once past its p2c check,
              // where a real token would have it derive the key for p2c iterations
              String header = "{'alg':'PBES2-HS256+A128KW','enc':'A128CBC-HS256',"
                  + (p2c < 10_000 ? "'p2s':'AAAAAAAAAAAAAAAAAAAAAA'," : "") + "'p2c':" + p2c + "}";
              Base64Url b = new Base64Url();
              return b.base64UrlEncodeUtf8ByteRepresentation(header.replace('\\'', '"')) + "."
                  + b.base64UrlEncode(new byte[24]) + "." + b.base64UrlEncode(new byte[16]) + "."
                  + b.base64UrlEncode(new byte[16]) + "." + b.base64UrlEncode(new byte[16]);
            }
            static String decrypt(long p2c, boolean permit) {
              try {
                JsonWebEncryption jwe = new JsonWebEncryption();
                if (permit) {
                  jwe.setAlgorithmConstraints(new AlgorithmConstraints(
                      AlgorithmConstraints.ConstraintType.PERMIT, "PBES2-HS256+A128KW"));
                }
                jwe.setCompactSerialization(token(p2c));
                jwe.setKey(KEY);
                return "accepted " + jwe.getPlaintextString();
              } catch (Exception e) {
                if (e instanceof org.jose4j.lang.InvalidAlgorithmException) return "blocked";
                return String.valueOf(e.getMessage()).contains("p2c=") ? "refused p2c" : "past p2c";
              }
            }
            static String probe() {
              return "default=" + decrypt(8192, false) + " permitted=" + decrypt(2_500_000, true);
            }
            public static void main(String[] args) throws Exception {
              decrypt(8192, true);
          """
              + LOOP
              + "}}",
          "default=past p2c permitted=past p2c",
          "default=blocked permitted=refused p2c");

  /**
   * netty-codec 4.1.86: {@code DefaultHeaders} checked each value that {@code set} and {@code add}
   * were given one by one, but not the values of an {@code Iterable}, so an HTTP header value with
   * CRLF (response splitting) passed; the fix checks them too. The fix is in netty-codec, under
   * netty-codec-http's {@code DefaultHttpHeaders}; the headers were built, and set, at start. The
   * release also changes {@code BrotliEncoder}, whose brotli4j the program lacks: the first apply's
   * verifier loads it, and the second apply once refused the update for it.
   */
  static final CorpusCase NETTY_ITERABLE_HEADER_VALUES =
      new CorpusCase(
          "CVE-2022-41915",
          "io.netty:netty-codec",
          "4.1.85.Final",
          "4.1.86.Final",
          List.of(
              "io.netty:netty-codec-http:4.1.85.Final",
              "io.netty:netty-common:4.1.85.Final",
              "io.netty:netty-buffer:4.1.85.Final",
              "io.netty:netty-transport:4.1.85.Final",
              "io.netty:netty-resolver:4.1.85.Final"),
          List.of(),
          """
          import io.netty.handler.codec.http.*;
          import java.util.List;
          public class Probe {
            static final HttpHeaders HELD = new DefaultHttpHeaders();
            static String attempt(HttpHeaders h) {
              try {
                h.set("X-Note", List.of("a\\r\\nSet-Cookie: evil=1"));
                return "accepted";
              } catch (IllegalArgumentException e) {
                return "refused";
              } finally {
                h.remove("X-Note");
              }
            }
            static String probe() {
              return "held=" + attempt(HELD) + " fresh=" + attempt(new DefaultHttpHeaders());
            }
            public static void main(String[] args) throws Exception {
              HELD.set("X-Note", List.of("ok"));
          """
              + LOOP
              + "}}",
          "held=accepted fresh=accepted",
          "held=refused fresh=refused");

  /**
   * jettison 1.5.4: {@code new JSONArray(collection)} recursed into nested collections without a
   * limit, so a collection holding itself overflowed the stack; the fix passes the depth to an
   * added constructor and refuses past the global recursion limit. An array, and a document holding
   * arrays, were built at start and are held: the update applies with them on the heap (1.5.4's
   * constructor builds what 1.5.3's built, or throws), and the held document's put refuses the
   * self-holding list too.
   */
  static final CorpusCase JETTISON_SELF_COLLECTION =
      new CorpusCase(
          "CVE-2023-1436",
          "org.codehaus.jettison:jettison",
          "1.5.3",
          "1.5.4",
          List.of(),
          List.of(),
          """
          import org.codehaus.jettison.json.JSONArray;
          import org.codehaus.jettison.json.JSONObject;
          import java.util.*;
          public class Probe {
            static final List<Object> HELD = new ArrayList<>();
            static JSONArray atStart;
            static JSONObject document;
            static String attempt() {
              String fresh, held;
              try { fresh = "accepted " + new JSONArray(HELD).length(); }
              catch (StackOverflowError e) { fresh = "refused StackOverflowError"; }
              catch (Exception e) { fresh = "refused " + e.getClass().getSimpleName(); }
              try { document.put("self", HELD); held = "accepted"; }
              catch (StackOverflowError e) { held = "refused StackOverflowError"; }
              catch (Exception e) { held = "refused " + e.getClass().getSimpleName(); }
              return fresh + "; held document " + held + "; built at start " + atStart.length()
                  + " " + document.optJSONArray("list").length();
            }
          """
              + probeOnASmallStack(256)
              + """
            public static void main(String[] args) throws Exception {
              atStart = new JSONArray(List.of(1, List.of(2)));
              document = new JSONObject();
              document.put("start", atStart);
              document.put("list", List.of(1, List.of(2), 3));
              HELD.add(1);
              HELD.add(HELD);
          """
              + LOOP
              + "}}",
          "refused StackOverflowError; held document refused StackOverflowError; built at start 2 3",
          "refused JSONException; held document refused JSONException; built at start 2 3");

  /**
   * xstream 1.4.20: a deeply nested document overflowed the stack while it was read (a denial of
   * service); the fix turns the overflow into an {@code InputManipulationException}. 1.4.20 also
   * registers converters it adds in the {@code XStream} constructor and changes the static {@code
   * JVM.canParseUTCDateFormat}: the {@code XStream} built at start lacks those converters, so the
   * update is partly in force, though the fix itself (a method body) is in force for it.
   */
  static final CorpusCase XSTREAM_STACK_OVERFLOW =
      new CorpusCase(
          "CVE-2022-41966",
          "com.thoughtworks.xstream:xstream",
          "1.4.19",
          "1.4.20",
          List.of("io.github.x-stream:mxparser:1.2.2", "xmlpull:xmlpull:1.1.3.1"),
          List.of(),
          """
          import com.thoughtworks.xstream.XStream;
          import java.util.*;
          public class Probe {
            static final XStream HELD = new XStream();
            static String attempt() {
              String deep = "<list>".repeat(20000) + "</list>".repeat(20000);
              try { HELD.fromXML(deep); return "accepted"; }
              catch (StackOverflowError e) { return "refused StackOverflowError"; }
              catch (Exception e) { return "refused " + e.getClass().getSimpleName(); }
            }
          """
              + probeOnASmallStack(512)
              + """
            public static void main(String[] args) throws Exception {
              HELD.allowTypes(new Class[] {ArrayList.class});
              HELD.fromXML(HELD.toXML(new ArrayList<>(List.of(new ArrayList<>()))));
          """
              + LOOP
              + "}}",
          "refused StackOverflowError",
          "refused InputManipulationException");

  /**
   * tomcat-embed-core 9.0.83: a chunked request's trailer header longer than {@code maxTrailerSize}
   * overflowed the trailer buffer mid-header (a {@code BufferOverflowException}, which the servlet
   * sees as a failed read); the rest of the trailer was then read as the next request on the
   * connection, so one request smuggled another. The fix refuses the trailer with a {@code
   * BadRequestException} (400, connection closed). The server was started, and served, at start.
   */
  static final CorpusCase TOMCAT_TRAILER_SMUGGLING =
      new CorpusCase(
          "CVE-2023-46589",
          "org.apache.tomcat.embed:tomcat-embed-core",
          "9.0.82",
          "9.0.83",
          List.of("org.apache.tomcat:tomcat-annotations-api:9.0.82"),
          List.of(),
          """
          import java.io.*;
          import java.net.Socket;
          import java.nio.charset.StandardCharsets;
          import java.util.concurrent.atomic.AtomicInteger;
          import javax.servlet.http.*;
          import org.apache.catalina.Context;
          import org.apache.catalina.startup.Tomcat;
          public class Probe {
            static final AtomicInteger SMUGGLED = new AtomicInteger();
            static int port;
            public static class Upload extends HttpServlet {
              protected void doPost(HttpServletRequest req, HttpServletResponse resp)
                  throws IOException {
                String read;
                try { read = "read " + req.getInputStream().readAllBytes().length; }
                catch (Exception e) { read = "failed " + e.getClass().getSimpleName(); }
                resp.getWriter().print(read);
              }
            }
            public static class Other extends HttpServlet {
              protected void doGet(HttpServletRequest req, HttpServletResponse resp)
                  throws IOException {
                SMUGGLED.incrementAndGet();
                resp.getWriter().print("other");
              }
            }
            static String exchange(String raw) throws IOException {
              try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(60000);
                s.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
                s.shutdownOutput();
                return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
              }
            }
            static String statuses(String got) {
              StringBuilder out = new StringBuilder();
              java.util.regex.Matcher m =
                  java.util.regex.Pattern.compile("HTTP/1\\\\.1 (\\\\d{3})").matcher(got);
              while (m.find()) out.append(out.length() == 0 ? "" : " ").append(m.group(1));
              return out.toString();
            }
            static String probe() throws IOException {
              int before = SMUGGLED.get();
              String got = exchange(
                  "POST /upload HTTP/1.1\\r\\nHost: x\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n"
                      + "5\\r\\nhello\\r\\n0\\r\\nX-Big:" + "b".repeat(8187)
                      + "GET /other HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n");
              return "responses " + statuses(got) + "; smuggled " + (SMUGGLED.get() - before);
            }
            public static void main(String[] args) throws Exception {
              Tomcat tomcat = new Tomcat();
              tomcat.setBaseDir(java.nio.file.Files.createTempDirectory("probe-tomcat").toString());
              tomcat.setPort(0);
              Context ctx = tomcat.addContext("", null);
              Tomcat.addServlet(ctx, "upload", new Upload());
              ctx.addServletMappingDecoded("/upload", "upload");
              Tomcat.addServlet(ctx, "other", new Other());
              ctx.addServletMappingDecoded("/other", "other");
              tomcat.getConnector();
              tomcat.start();
              port = tomcat.getConnector().getLocalPort();
              String ok = exchange("POST /upload HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n"
                  + "Transfer-Encoding: chunked\\r\\n\\r\\n5\\r\\nhello\\r\\n0\\r\\nX-Note: a\\r\\n\\r\\n");
              if (!ok.contains("read 5")) throw new IllegalStateException(ok);
          """
              + LOOP
              + "}}",
          "responses 200 200; smuggled 1",
          "responses 400; smuggled 0");

  /**
   * okio 1.17.6: {@code GzipSource} read the length of a header's FEXTRA field as a signed short,
   * so a length of 32K or more became negative and the read threw {@code IllegalArgumentException}
   * (an unchecked exception a caller of a stream does not expect); the fix reads it unsigned. The
   * probe unzipped members at start.
   */
  static final CorpusCase OKIO_GZIP_EXTRA_LENGTH =
      new CorpusCase(
          "CVE-2023-3635",
          "com.squareup.okio:okio",
          "1.17.5",
          "1.17.6",
          List.of(),
          List.of(),
          """
          import java.io.ByteArrayOutputStream;
          import java.util.zip.CRC32;
          import java.util.zip.Deflater;
          import okio.Buffer;
          import okio.BufferedSource;
          import okio.GzipSource;
          import okio.Okio;
          public class Probe {
            static byte[] member(byte[] data, int extra) {
              ByteArrayOutputStream out = new ByteArrayOutputStream();
              out.write(0x1f); out.write(0x8b); out.write(8); out.write(4);
              for (int i = 0; i < 6; i++) out.write(0);
              out.write(extra & 0xff); out.write(extra >>> 8);
              out.write(new byte[extra], 0, extra);
              Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
              d.setInput(data); d.finish();
              byte[] buf = new byte[1024]; int n = d.deflate(buf); out.write(buf, 0, n);
              CRC32 crc = new CRC32(); crc.update(data);
              long c = crc.getValue();
              for (int i = 0; i < 4; i++) out.write((int) (c >>> (8 * i)) & 0xff);
              for (int i = 0; i < 4; i++) out.write((data.length >>> (8 * i)) & 0xff);
              return out.toByteArray();
            }
            static String read(byte[] member) {
              try (BufferedSource s = Okio.buffer(new GzipSource(new Buffer().write(member)))) {
                return "read " + s.readUtf8();
              } catch (Exception e) {
                return "failed " + e.getClass().getSimpleName();
              }
            }
            static String probe() { return read(member("hello".getBytes(), 0xffff)); }
            public static void main(String[] args) throws Exception {
              for (int i = 0; i < 100; i++) read(member("start".getBytes(), 16));
          """
              + LOOP
              + "}}",
          "failed IllegalArgumentException",
          "read hello");

  /**
   * plexus-utils 3.0.24: {@code Expand} wrote a zip entry named {@code ../x} outside its target
   * directory (zip slip); the fix refuses an entry whose path leaves it. The {@code Expand} was
   * configured (source, target) and run at start, and is run again on the archive it reads.
   */
  static final CorpusCase PLEXUS_EXPAND_TRAVERSAL =
      new CorpusCase(
          "CVE-2022-4244",
          "org.codehaus.plexus:plexus-utils",
          "3.0.23",
          "3.0.24",
          List.of(),
          List.of(),
          """
          import java.io.File;
          import java.io.FileOutputStream;
          import java.nio.file.Files;
          import java.util.zip.ZipEntry;
          import java.util.zip.ZipOutputStream;
          import org.codehaus.plexus.util.Expand;
          public class Probe {
            static File base;
            static final Expand HELD = new Expand();
            static void zip(File z, String name) throws Exception {
              try (ZipOutputStream out = new ZipOutputStream(new FileOutputStream(z))) {
                out.putNextEntry(new ZipEntry(name)); out.write('x'); out.closeEntry();
              }
            }
            static String probe() {
              File escaped = new File(base, "escaped.txt");
              escaped.delete();
              try {
                zip(new File(base, "in.zip"), "../escaped.txt");
                HELD.execute();
              } catch (Exception e) {
                return "refused, escaped " + escaped.exists();
              }
              return "expanded, escaped " + escaped.exists();
            }
            public static void main(String[] args) throws Exception {
              base = Files.createTempDirectory("probe-expand").toFile();
              File dest = new File(base, "out");
              dest.mkdirs();
              zip(new File(base, "in.zip"), "ok.txt");
              HELD.setSrc(new File(base, "in.zip"));
              HELD.setDest(dest);
              HELD.setOverwrite(true);
              HELD.execute();
          """
              + LOOP
              + "}}",
          "expanded, escaped true",
          "refused, escaped false");

  /**
   * spring-context 5.3.19: {@code DataBinder}'s disallowed fields were matched case-sensitively,
   * while the bean wrapper binds {@code AdminFlag} to the property {@code adminFlag}; the fix
   * stores the patterns lower-cased ({@code setDisallowedFields}) and lower-cases the field name
   * before it matches them ({@code isAllowed}). A binder configured at start keeps its patterns as
   * given: after the update it matches neither spelling, so it binds even {@code adminFlag}, which
   * it refused before. A binder configured after the update refuses both. The update must not say
   * it is in force while such a binder exists.
   */
  static final CorpusCase SPRING_DISALLOWED_FIELDS_CASE =
      new CorpusCase(
          "CVE-2022-22968",
          "org.springframework:spring-context",
          "5.3.18",
          "5.3.19",
          List.of(
              "org.springframework:spring-beans:5.3.18",
              "org.springframework:spring-core:5.3.18",
              "org.springframework:spring-jcl:5.3.18"),
          List.of(),
          """
          import org.springframework.beans.MutablePropertyValues;
          import org.springframework.validation.DataBinder;
          public class Probe {
            public static class Account {
              private boolean adminFlag; private String name;
              public boolean isAdminFlag() { return adminFlag; }
              public void setAdminFlag(boolean b) { adminFlag = b; }
              public String getName() { return name; }
              public void setName(String n) { name = n; }
            }
            static final Account HELD_TARGET = new Account();
            static final DataBinder HELD = new DataBinder(HELD_TARGET);
            static String bind(DataBinder b, Account a, String field) {
              a.setAdminFlag(false);
              MutablePropertyValues v = new MutablePropertyValues();
              v.add(field, "true");
              b.bind(v);
              return a.isAdminFlag() ? "bound" : "refused";
            }
            static String probe() {
              Account fresh = new Account();
              DataBinder f = new DataBinder(fresh);
              f.setDisallowedFields("adminFlag");
              return "held: " + bind(HELD, HELD_TARGET, "AdminFlag") + "/"
                  + bind(HELD, HELD_TARGET, "adminFlag")
                  + "; fresh: " + bind(f, fresh, "AdminFlag") + "/" + bind(f, fresh, "adminFlag");
            }
            public static void main(String[] args) throws Exception {
              HELD.setDisallowedFields("adminFlag");
              bind(HELD, HELD_TARGET, "name");
          """
              + LOOP
              + "}}",
          "held: bound/refused; fresh: bound/refused",
          "held: bound/bound; fresh: refused/refused");

  /**
   * bcel 6.6.0: {@code ConstantPoolGen} grew its pool past the 65,535 constants a class file can
   * index (an out-of-bounds write where the pool is written); the fix refuses to. The release
   * changes hierarchies ({@code --live-subset} leaves out 48 classes) and the pool's constructor,
   * so the pool built at start is named as partly in force; the fixed limit holds for it all the
   * same. Its maps from each constant to its position are no caches: emptied (as they were, in the
   * trial), the pool no longer found the constants it held. The probe reads two of them.
   */
  static final CorpusCase BCEL_CONSTANT_POOL_SIZE =
      new CorpusCase(
          "CVE-2022-42920",
          "org.apache.bcel:bcel",
          "6.5.0",
          "6.6.0",
          List.of(),
          List.of(),
          """
          import org.apache.bcel.generic.ConstantPoolGen;
          public class Probe {
            static final ConstantPoolGen HELD = new ConstantPoolGen();
            static int next;
            static String probe() {
              String known = "start at " + HELD.lookupUtf8("start")
                  + ", Object at " + HELD.lookupClass("java.lang.Object");
              try {
                for (int i = 0; i < 70000; i++) HELD.addUtf8("u" + (next++));
                return known + "; accepted";
              } catch (Exception e) {
                return known + "; refused " + e.getClass().getSimpleName();
              }
            }
            public static void main(String[] args) throws Exception {
              HELD.addUtf8("start");
              HELD.addClass("java.lang.Object");
          """
              + LOOP
              + "}}",
          "start at 1, Object at 3; accepted",
          "start at 1, Object at 3; refused IllegalStateException");

  /** The cases in force live today, by their probes. */
  /**
   * jackson-core 2.15.0: no limit on the length of a number or the depth of nesting (CVE-2025-52999
   * is the depth); 2.15.0 adds {@code StreamReadConstraints} (1,000 digits, 1,000 levels). Its
   * release also gives the bundled FastDoubleParser's {@code AbstractFloatValueParser} a new
   * superclass, which no loaded class can take: {@code --first-load} keeps it, installed as it
   * first loads (the update's added subclasses load it at apply). The factory was built, and used,
   * at start: it has no {@code _streamReadConstraints} (reads null), yet the fixed parsers it
   * builds get the defaults through the {@code IOContext}, so it refuses too.
   */
  static final CorpusCase JACKSON_CORE_READ_CONSTRAINTS =
      new CorpusCase(
          "CVE-2025-52999",
          "com.fasterxml.jackson.core:jackson-core",
          "2.14.3",
          "2.15.0",
          List.of(),
          List.of(),
          """
          import com.fasterxml.jackson.core.*;
          public class Probe {
            static final JsonFactory HELD = new JsonFactory();
            static String run(JsonFactory f, String doc) {
              try (JsonParser p = f.createParser(doc)) {
                while (p.nextToken() != null) {
                  if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) p.getNumberValue();
                }
                return "accepted";
              } catch (Exception e) {
                return "refused " + e.getClass().getSimpleName();
              }
            }
            static String probe() {
              String num = "1".repeat(2000);
              String deep = "[".repeat(2000) + "]".repeat(2000);
              return "held: number " + run(HELD, num) + ", depth " + run(HELD, deep)
                  + "; fresh: number " + run(new JsonFactory(), num)
                  + ", depth " + run(new JsonFactory(), deep);
            }
            public static void main(String[] args) throws Exception {
              run(HELD, "[1.5, 2, {\\"a\\": \\"b\\"}]");
          """
              + LOOP
              + "}}",
          "held: number accepted, depth accepted; fresh: number accepted, depth accepted",
          "held: number refused StreamConstraintsException, depth refused"
              + " StreamConstraintsException; fresh: number refused StreamConstraintsException,"
              + " depth refused StreamConstraintsException");

  /**
   * jackson-databind 2.10.5.1: the DOM deserializer's parser factory, a static field configured by
   * the class's static initializer, now also disallows DOCTYPE declarations (XXE). The factory was
   * built and used at start; the update computes the fixed initializer's factory (a JAXP factory's
   * lookup and setters touch nothing else) for the patched code. Was: refused as needing a hook.
   */
  static final CorpusCase JACKSON_DOM_DOCTYPE =
      new CorpusCase(
          "CVE-2020-25649",
          "com.fasterxml.jackson.core:jackson-databind",
          "2.10.5",
          "2.10.5.1",
          List.of(
              "com.fasterxml.jackson.core:jackson-core:2.10.5",
              "com.fasterxml.jackson.core:jackson-annotations:2.10.5"),
          List.of(),
          """
          import com.fasterxml.jackson.databind.ObjectMapper;
          import org.w3c.dom.Document;
          public class Probe {
            static final ObjectMapper HELD = new ObjectMapper();
            static String probe() {
              String xml = "<!DOCTYPE x [<!ENTITY e 'inner'>]><x>&e;</x>";
              try {
                Document d = HELD.readValue(HELD.writeValueAsString(xml), Document.class);
                return "parsed a DOCTYPE: " + d.getDocumentElement().getTagName();
              } catch (Exception e) { return "refused " + e.getClass().getSimpleName(); }
            }
            public static void main(String[] args) throws Exception {
              HELD.readValue(HELD.writeValueAsString("<a>1</a>"), Document.class);
          """
              + LOOP
              + "}}",
          "parsed a DOCTYPE: x",
          "refused InvalidFormatException");

  /**
   * json-smart 2.5.2: the modes other than the permissive one lacked the flag that limits nesting
   * (400 levels), so {@code JSONValue.parseStrict} recursed without bound (stack exhaustion); the
   * fix adds the flag to the modes' public constants. javac inlines those constants into every
   * caller, so the program's own {@code new JSONParser(JSONParser.MODE_RFC4627)}, held since start
   * or built now, keeps 2.5.1's mode with the fixed release started cold too: only the library's
   * own uses change. The probe runs on a thread of a small stack, so that 2.5.1 overflows however
   * the JIT sizes its frames.
   */
  static final CorpusCase JSON_SMART_STRICT_DEPTH =
      new CorpusCase(
          "CVE-2024-57699",
          "net.minidev:json-smart",
          "2.5.1",
          "2.5.2",
          List.of("net.minidev:accessors-smart:2.5.1", "org.ow2.asm:asm:9.6"),
          List.of(),
          """
          import net.minidev.json.JSONValue;
          import net.minidev.json.parser.JSONParser;
          public class Probe {
            static final JSONParser HELD = new JSONParser(JSONParser.MODE_RFC4627);
            static final String DEEP = "[".repeat(100000) + "]".repeat(100000);
            interface P { Object parse() throws Exception; }
            static String one(P p) {
              try { p.parse(); return "accepted"; }
              catch (StackOverflowError e) { return "overflow"; }
              catch (Exception e) { return "refused " + e.getClass().getSimpleName(); }
            }
            static String attempt() {
              return "held=" + one(() -> HELD.parse(DEEP))
                  + " fresh=" + one(() -> new JSONParser(JSONParser.MODE_RFC4627).parse(DEEP))
                  + " strict=" + one(() -> JSONValue.parseStrict(DEEP));
            }
          """
              + probeOnASmallStack(512)
              + """
            public static void main(String[] args) throws Exception {
              HELD.parse("[[1]]");
              JSONValue.parseStrict("[[1]]");
          """
              + LOOP
              + "}}",
          "held=overflow fresh=overflow strict=overflow",
          "held=overflow fresh=overflow strict=refused ParseException");

  /**
   * spring-expression 5.3.27: an expression of any length was parsed, a concatenation built strings
   * of any length, and a read-only {@code SimpleEvaluationContext} let an expression assign
   * variables; the fix refuses expressions over 10,000 characters and strings over 100,000, with
   * three enum constants it adds, and makes the read-only context refuse assignment (an override of
   * a default method it adds to {@code EvaluationContext}). The parser, the context and the parsed
   * expressions were built and used at start.
   */
  static final CorpusCase SPEL_EXPRESSION_LENGTH =
      new CorpusCase(
          "CVE-2023-20863",
          "org.springframework:spring-expression",
          "5.3.26",
          "5.3.27",
          List.of(
              "org.springframework:spring-core:5.3.26", "org.springframework:spring-jcl:5.3.26"),
          List.of(),
          """
          import org.springframework.expression.EvaluationContext;
          import org.springframework.expression.Expression;
          import org.springframework.expression.spel.SpelEvaluationException;
          import org.springframework.expression.spel.standard.SpelExpressionParser;
          import org.springframework.expression.spel.support.SimpleEvaluationContext;
          public class Probe {
            static final SpelExpressionParser PARSER = new SpelExpressionParser();
            static final EvaluationContext CONTEXT =
                SimpleEvaluationContext.forReadOnlyDataBinding().build();
            static final Expression ASSIGN = PARSER.parseExpression("#x = 'set'");
            static final Expression CONCAT = PARSER.parseExpression("#s + #s");
            static String length() {
              try { PARSER.parseExpression("1" + "+1".repeat(6000)); return "parsed"; }
              catch (SpelEvaluationException e) { return "refused " + e.getMessageCode(); }
            }
            static String assign() {
              try { return "assigned " + ASSIGN.getValue(CONTEXT); }
              catch (SpelEvaluationException e) { return "refused " + e.getMessageCode(); }
            }
            static String concat() {
              CONTEXT.setVariable("s", "a".repeat(60000));
              try { return "built " + ((String) CONCAT.getValue(CONTEXT)).length(); }
              catch (SpelEvaluationException e) { return "refused " + e.getMessageCode(); }
            }
            static String probe() {
              return "length=" + length() + " assign=" + assign() + " concat=" + concat();
            }
            public static void main(String[] args) throws Exception {
              PARSER.parseExpression("1+1").getValue(CONTEXT);
              CONTEXT.setVariable("s", "b");
              CONCAT.getValue(CONTEXT);
          """
              + LOOP
              + "}}",
          "length=parsed assign=assigned set concat=built 120000",
          "length=refused MAX_EXPRESSION_LENGTH_EXCEEDED"
              + " assign=refused VARIABLE_ASSIGNMENT_NOT_SUPPORTED"
              + " concat=refused MAX_CONCATENATED_STRING_LENGTH_EXCEEDED");

  /**
   * protobuf-java 3.25.5: skipping a field recursed into nested groups without the recursion limit
   * that parsing a message keeps (a stack overflow); the fix counts the depth. The message parser
   * was used at start, and its schema cached. The probe runs on a thread of a small stack, so that
   * 3.25.4 overflows however the JIT sizes its frames. A message of a proto3 enum field holding a
   * number the enum does not name, parsed at start, must still equal the same message parsed later:
   * the descriptor hands out one value object per unknown number, which the apply reset (a new
   * queue and map for unknown values) so that the two became unequal.
   */
  static final CorpusCase PROTOBUF_NESTED_GROUPS =
      new CorpusCase(
          "CVE-2024-7254",
          "com.google.protobuf:protobuf-java",
          "3.25.4",
          "3.25.5",
          List.of(),
          List.of(),
          """
          import com.google.protobuf.CodedInputStream;
          import com.google.protobuf.DescriptorProtos.*;
          import com.google.protobuf.Descriptors;
          import com.google.protobuf.DynamicMessage;
          import com.google.protobuf.Empty;
          import com.google.protobuf.Parser;
          public class Probe {
            static final Parser<Empty> HELD = Empty.parser();
            static final Descriptors.Descriptor M;
            static {
              try {
                M = Descriptors.FileDescriptor.buildFrom(
                        FileDescriptorProto.newBuilder().setName("probe.proto").setSyntax("proto3")
                            .addEnumType(EnumDescriptorProto.newBuilder().setName("Color")
                                .addValue(EnumValueDescriptorProto.newBuilder()
                                    .setName("RED").setNumber(0)))
                            .addMessageType(DescriptorProto.newBuilder().setName("M")
                                .addField(FieldDescriptorProto.newBuilder().setName("c")
                                    .setNumber(1)
                                    .setType(FieldDescriptorProto.Type.TYPE_ENUM)
                                    .setTypeName(".Color")
                                    .setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL)))
                            .build(),
                        new Descriptors.FileDescriptor[0])
                    .findMessageTypeByName("M");
              } catch (Exception e) { throw new ExceptionInInitializerError(e); }
            }
            static final byte[] SEVEN = {0x08, 0x07}; // c = 7, a number Color does not name
            static DynamicMessage unknownAtStart;
            static String unknown() {
              try {
                return DynamicMessage.parseFrom(M, SEVEN).equals(unknownAtStart) ? "equal" : "unequal";
              } catch (Exception e) { return "failed " + e; }
            }
            static final byte[] NESTED = nested(100000);
            static byte[] nested(int depth) {
              byte[] b = new byte[2 * depth];
              for (int i = 0; i < depth; i++) { b[i] = 0x0B; b[2 * depth - 1 - i] = 0x0C; }
              return b;
            }
            interface P { void parse() throws Exception; }
            static String one(P p) {
              try { p.parse(); return "accepted"; }
              catch (StackOverflowError e) { return "overflow"; }
              catch (Exception e) { return "refused " + e.getClass().getSimpleName(); }
            }
            static String attempt() {
              return "message=" + one(() -> HELD.parseFrom(NESTED))
                  + " skip=" + one(() -> CodedInputStream.newInstance(NESTED).skipMessage())
                  + " unknown=" + unknown();
            }
          """
              + probeOnASmallStack(512)
              + """
            public static void main(String[] args) throws Exception {
              HELD.parseFrom(nested(3));
              unknownAtStart = DynamicMessage.parseFrom(M, SEVEN);
          """
              + LOOP
              + "}}",
          "message=refused InvalidProtocolBufferException skip=overflow unknown=equal",
          "message=refused InvalidProtocolBufferException skip=refused InvalidProtocolBufferException"
              + " unknown=equal");

  /**
   * commons-io 2.14.0: {@code XmlStreamReader} found a prolog's encoding with a pattern that
   * backtracks without bound on crafted input (CPU exhaustion); the fix compiles a stricter pattern
   * into the public static final {@code ENCODING_PATTERN}. The class was initialized, and readers
   * built, at start. The probe shows which pattern is in force (a prolog whose encoding does not
   * follow a version, which only the old one reads) through the library and through the public
   * field: a JDK object cannot take the new pattern, so the program's own read of the field keeps
   * the old one, and the apply is refused as only partly in force, naming the field (it said
   * "applied", with the field in a note only). 2.14.0 changes two hierarchies the fix does not
   * need, so the update is the live subset.
   */
  static final CorpusCase COMMONS_IO_XML_ENCODING_PATTERN =
      new CorpusCase(
          "CVE-2024-47554",
          "commons-io:commons-io",
          "2.13.0",
          "2.14.0",
          List.of(),
          List.of(),
          """
          import java.io.ByteArrayInputStream;
          import java.nio.charset.StandardCharsets;
          import org.apache.commons.io.input.XmlStreamReader;
          public class Probe {
            static final String DOC = "<?xml x encoding=\\"ISO-8859-1\\"?><a/>";
            static String encoding() {
              byte[] bytes = DOC.getBytes(StandardCharsets.US_ASCII);
              try (XmlStreamReader r = new XmlStreamReader(new ByteArrayInputStream(bytes))) {
                return r.getEncoding();
              } catch (Exception e) { return "failed " + e.getClass().getSimpleName(); }
            }
            static String probe() {
              return "encoding=" + encoding()
                  + " field=" + XmlStreamReader.ENCODING_PATTERN.matcher(DOC).find();
            }
            public static void main(String[] args) throws Exception {
              encoding();
          """
              + LOOP
              + "}}",
          "encoding=ISO-8859-1 field=true",
          "encoding=UTF-8 field=true");

  /**
   * okhttp 4.9.2: the hostname verifier lower-cased a host name with the JVM's rules before
   * matching it against the certificate, so a name with a non-ASCII letter that lower-cases to an
   * ASCII one (the Kelvin sign to {@code k}) matched a certificate for another host; the fix
   * refuses non-ASCII names. The client was built at start; the probe asks its verifier, with a
   * certificate for {@code key.com} (self-signed, made once with keytool, valid to 2126).
   */
  static final CorpusCase OKHTTP_NON_ASCII_HOSTNAME =
      new CorpusCase(
          "CVE-2021-0341",
          "com.squareup.okhttp3:okhttp",
          "4.9.1",
          "4.9.2",
          List.of("com.squareup.okio:okio:2.8.0", "org.jetbrains.kotlin:kotlin-stdlib:1.4.10"),
          List.of(),
          """
          import java.io.ByteArrayInputStream;
          import java.nio.charset.StandardCharsets;
          import java.security.cert.CertificateFactory;
          import java.security.cert.X509Certificate;
          import okhttp3.OkHttpClient;
          import okhttp3.internal.tls.OkHostnameVerifier;
          public class Probe {
            static final String PEM =
                "-----BEGIN CERTIFICATE-----\\n"
                    + "MIIBUTCB96ADAgECAghS7QqT+EUt2zAKBggqhkjOPQQDAjASMRAwDgYDVQQDEwdr\\n"
                    + "ZXkuY29tMCAXDTI2MTIwNTE1MjEzOFoYDzIxMjYxMTExMTUyMTM4WjASMRAwDgYD\\n"
                    + "VQQDEwdrZXkuY29tMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE3c3MGp88kfEp\\n"
                    + "JSxUZHHwG6Rpa8KMI1LOUKMQWCTj7JIk9hEHkPWHvARUr/7sTZqCyCxMiRLJeA5A\\n"
                    + "/QQcEVAy5KM1MDMwHQYDVR0OBBYEFAXDOdW7UUYSmT6/P2toVldWMMmoMBIGA1Ud\\n"
                    + "EQQLMAmCB2tleS5jb20wCgYIKoZIzj0EAwIDSQAwRgIhAIUFc2slarv536BWWEZv\\n"
                    + "gVo76+eOUs5GgrgMTIhJXqtIAiEAyMeAo728/uHCRVf054j4bJbCjP3Okj+qibQj\\n"
                    + "m9SpvL0=\\n"
                    + "-----END CERTIFICATE-----\\n";
            static final X509Certificate CERT;
            static {
              try {
                CERT = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(
                        new ByteArrayInputStream(PEM.getBytes(StandardCharsets.US_ASCII)));
              } catch (Exception e) { throw new ExceptionInInitializerError(e); }
            }
            static final OkHttpClient CLIENT = new OkHttpClient();
            static String probe() {
              OkHostnameVerifier held = (OkHostnameVerifier) CLIENT.hostnameVerifier();
              return "plain=" + held.verify("key.com", CERT)
                  + " kelvin=" + held.verify("\\u212Aey.com", CERT);
            }
            public static void main(String[] args) throws Exception {
              probe();
          """
              + LOOP
              + "}}",
          "plain=true kelvin=true",
          "plain=true kelvin=false");

  /**
   * owasp-java-html-sanitizer 20211018.1: a policy that allows {@code select}, {@code option} and
   * {@code style} let the text of a {@code style} inside an option through as it was, which a
   * browser reads as markup there (a script in an {@code img}'s {@code onerror}); the fix writes
   * such text inside CSS comment and CDATA markers. The policy was built, and used, at start.
   */
  static final CorpusCase OWASP_SANITIZER_STYLE_IN_SELECT =
      new CorpusCase(
          "CVE-2021-42575",
          "com.googlecode.owasp-java-html-sanitizer:owasp-java-html-sanitizer",
          "20200713.1",
          "20211018.1",
          List.of("com.google.guava:guava:30.1-jre", "com.google.guava:failureaccess:1.0.1"),
          List.of(),
          """
          import org.owasp.html.HtmlPolicyBuilder;
          import org.owasp.html.PolicyFactory;
          public class Probe {
            static final PolicyFactory POLICY =
                new HtmlPolicyBuilder()
                    .allowElements("select", "option", "style")
                    .allowTextIn("style")
                    .toFactory();
            static String probe() {
              String out = POLICY.sanitize("<select><option><style></option></select>"
                  + "<img src=x onerror=alert(1)></style>");
              return out.contains("<![CDATA[") ? "wrapped"
                  : out.contains("<style></option></select><img") ? "raw" : "other " + out;
            }
            public static void main(String[] args) throws Exception {
              POLICY.sanitize("<select><option>a</option></select>");
          """
              + LOOP
              + "}}",
          "raw",
          "wrapped");

  /**
   * junit 4.13.1: {@code TemporaryFolder} made its folders with {@code File.createTempFile}, then
   * turned the file into a directory, readable by every user of the machine (other users could read
   * or plant test files); the fix makes them with {@code Files.createTempDirectory}, owner only.
   * The rule was built, and a folder made, at start; the probe makes one with it and with a new
   * rule.
   */
  static final CorpusCase JUNIT_TEMPORARY_FOLDER =
      new CorpusCase(
          "CVE-2020-15250",
          "junit:junit",
          "4.13",
          "4.13.1",
          List.of("org.hamcrest:hamcrest-core:1.3"),
          List.of(),
          """
          import java.nio.file.Files;
          import java.nio.file.attribute.PosixFilePermissions;
          import org.junit.rules.TemporaryFolder;
          public class Probe {
            static final TemporaryFolder HELD = new TemporaryFolder();
            static String perms(TemporaryFolder f) throws Exception {
              f.create();
              try {
                return PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(f.getRoot().toPath()));
              } finally { f.delete(); }
            }
            static String probe() throws Exception {
              return "held=" + perms(HELD) + " fresh=" + perms(new TemporaryFolder());
            }
            public static void main(String[] args) throws Exception {
              perms(HELD);
          """
              + LOOP
              + "}}",
          "held=rwxr-xr-x fresh=rwxr-xr-x",
          "held=rwx------ fresh=rwx------");

  /**
   * org.json 20230227: {@code XML.toJSONObject} recursed once per nested element without a limit (a
   * stack overflow for deep documents); the fix stops at 512 levels, a limit it adds to {@code
   * XMLParserConfiguration}, whose {@code ORIGINAL} (what the one-argument call uses) was built at
   * start, without it. 2,000 levels parse on the probe's 2 MiB stack with 20220924.
   */
  static final CorpusCase ORG_JSON_XML_DEPTH =
      new CorpusCase(
          "CVE-2022-45688",
          "org.json:json",
          "20220924",
          "20230227",
          List.of(),
          List.of(),
          """
          import org.json.XML;
          public class Probe {
            static String attempt() {
              String deep = "<a>".repeat(2000) + "</a>".repeat(2000);
              try { XML.toJSONObject(deep); return "accepted depth 2000"; }
              catch (StackOverflowError e) { return "StackOverflowError"; }
              catch (Exception e) { return "refused " + e.getClass().getSimpleName(); }
            }
          """
              + probeOnASmallStack(2048)
              + """
            public static void main(String[] args) throws Exception {
              XML.toJSONObject("<a><b>1</b></a>");
          """
              + LOOP
              + "}}",
          "accepted depth 2000",
          "refused JSONException");

  /**
   * netty-codec-http 4.1.59: an upload spilled to disk went to a file made by {@code
   * File.createTempFile}, readable by every user of the machine; the fix makes it through {@code
   * PlatformDependent.createTempFile}, which netty-common 4.1.59 adds (owner only): the update also
   * updates netty-common. The disk-backed data factory was built, and an upload spilled, at start.
   */
  static final CorpusCase NETTY_DISK_UPLOAD_PERMISSIONS =
      new CorpusCase(
          "CVE-2021-21290",
          "io.netty:netty-codec-http",
          "4.1.58.Final",
          "4.1.59.Final",
          List.of(
              "io.netty:netty-common:4.1.58.Final",
              "io.netty:netty-buffer:4.1.58.Final",
              "io.netty:netty-codec:4.1.58.Final",
              "io.netty:netty-transport:4.1.58.Final",
              "io.netty:netty-resolver:4.1.58.Final"),
          List.of(),
          """
          import io.netty.buffer.Unpooled;
          import io.netty.handler.codec.http.*;
          import io.netty.handler.codec.http.multipart.*;
          import java.nio.file.Files;
          import java.nio.file.attribute.PosixFilePermissions;
          public class Probe {
            static final HttpDataFactory FACTORY = new DefaultHttpDataFactory(true);
            static String perms() throws Exception {
              HttpRequest req = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/");
              FileUpload u =
                  FACTORY.createFileUpload(req, "f", "f.txt", "text/plain", "binary", null, 1);
              try {
                u.setContent(Unpooled.copiedBuffer(new byte[] {1}));
                return PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(u.getFile().toPath()));
              } finally { FACTORY.cleanRequestHttpData(req); }
            }
            static String probe() throws Exception { return "upload=" + perms(); }
            public static void main(String[] args) throws Exception {
              perms();
          """
              + LOOP
              + "}}",
          "upload=rw-r--r--",
          "upload=rw-------");

  static final List<CorpusCase> LIVE =
      List.of(
          JACKSON_NESTED_ARRAYS,
          SPEL_ARRAY_SIZE,
          JSON_SMART_DEPTH,
          POSTGRESQL_CLASS_PROPERTIES,
          COMMONS_COLLECTIONS_FUNCTORS,
          JACKSON_UNTYPED_DEPTH,
          COMMONS_IO_NORMALIZE,
          JSOUP_CONTROL_CHARACTERS,
          NETTY_HEADER_WITHOUT_COLON,
          COMMONS_LANG3_CLASS_NAME,
          HTTPCLIENT_MALFORMED_AUTHORITY,
          JACKSON_DENIED_NAMES,
          JETTISON_SELF_MAP,
          NETTY_FORM_FIELDS,
          WOODSTOX_DTD_DEPTH,
          LOGBACK_RECEIVER_ARGUMENTS,
          JETTY_CONTENT_LENGTH_PLUS,
          SPRING_WEB_USERINFO_HOST,
          SNAPPY_CHUNK_LENGTH,
          GUAVA_TEMP_FILE_PERMISSIONS,
          POSTGRESQL_REFRESH_ROW_COLUMNS,
          JOSE4J_PBES2_COUNT,
          NETTY_ITERABLE_HEADER_VALUES,
          JETTISON_SELF_COLLECTION,
          TOMCAT_TRAILER_SMUGGLING,
          JACKSON_DOM_DOCTYPE,
          OKIO_GZIP_EXTRA_LENGTH,
          PLEXUS_EXPAND_TRAVERSAL,
          JSON_SMART_STRICT_DEPTH,
          SPEL_EXPRESSION_LENGTH,
          PROTOBUF_NESTED_GROUPS,
          OKHTTP_NON_ASCII_HOSTNAME,
          OWASP_SANITIZER_STYLE_IN_SELECT,
          JUNIT_TEMPORARY_FOLDER,
          ORG_JSON_XML_DEPTH,
          NETTY_DISK_UPLOAD_PERMISSIONS);

  /**
   * The cases only partly in force live, each with the class whose objects, built before the
   * update, keep the vulnerable behaviour: the apply must name them, refusing without {@code
   * --accept-partial} and saying PARTLY IN FORCE with it. Their fixed result is what the probe
   * shows once the update is applied with {@code --accept-partial}: the part built before it still
   * vulnerable.
   */
  static final Map<CorpusCase, String> PARTLY =
      Map.of(
          CONFIGURATION_DEFAULT_LOOKUPS,
          "objects of org.apache.commons.configuration2.AbstractConfiguration built before the"
              + " update",
          SNAKEYAML_CODE_POINTS,
          "objects of org.yaml.snakeyaml.parser.ParserImpl built before the update",
          BEANUTILS_CLASS_PROPERTY,
          "objects of org.apache.commons.beanutils.PropertyUtilsBean built before the update",
          XSTREAM_ALLOWED_TYPES,
          "objects of com.thoughtworks.xstream.XStream built before the update",
          DOM4J_ELEMENT_NAMES,
          "cache org.dom4j.tree.QNameCache.noNamespaceCache",
          XSTREAM_STACK_OVERFLOW,
          "static field com.thoughtworks.xstream.core.JVM.canParseUTCDateFormat",
          SPRING_DISALLOWED_FIELDS_CASE,
          "objects of org.springframework.validation.DataBinder built before the update",
          BCEL_CONSTANT_POOL_SIZE,
          "objects of org.apache.bcel.generic.ConstantPoolGen built before the update",
          COMMONS_IO_XML_ENCODING_PATTERN,
          "static field org.apache.commons.io.input.XmlStreamReader.ENCODING_PATTERN");

  /**
   * The cases in force through a class installed as it first loads ({@code create --first-load}),
   * each with that class: it loads with the fixed code at or after the apply, so undo is refused,
   * naming it; the apply needs {@code --accept-partial} where the update says it is partly in
   * force.
   */
  static final Map<CorpusCase, String> FIRST_LOAD =
      Map.of(
          JACKSON_CORE_READ_CONSTRAINTS,
          "com.fasterxml.jackson.core.io.doubleparser.AbstractFloatValueParser");

  /**
   * What a case's update needs beyond the release pair. postgresql 42.3.2 inserts constants among
   * {@code PGProperty}'s (in alphabetical order: ordinals shift), and changes a field's type in the
   * GSS callback handler: neither can apply live, and the fix needs neither, so the update is the
   * live subset (the report names the 7 classes left out). commons-collections 3.2.2 adds, beside
   * the fix's readObject checks, writeObject checks (serialization would not find them: not in
   * force live) and a readResolve to MultiKey (refused), and changes how ExtendedProperties objects
   * are built (partly in force): the in-force subset leaves those out and names them. commons-lang3
   * 3.18.0 changes three hierarchies the fix does not need.
   */
  static final Map<CorpusCase, List<String>> CREATE_OPTIONS =
      Map.ofEntries(
          Map.entry(POSTGRESQL_CLASS_PROPERTIES, List.of("--live-subset")),
          Map.entry(COMMONS_COLLECTIONS_FUNCTORS, List.of("--in-force-subset")),
          Map.entry(COMMONS_IO_NORMALIZE, List.of("--live-subset")),
          Map.entry(CONFIGURATION_DEFAULT_LOOKUPS, List.of("--live-subset")),
          Map.entry(COMMONS_LANG3_CLASS_NAME, List.of("--live-subset")),
          Map.entry(SPRING_WEB_USERINFO_HOST, List.of("--live-subset")),
          Map.entry(GUAVA_TEMP_FILE_PERMISSIONS, List.of("--live-subset")),
          Map.entry(POSTGRESQL_REFRESH_ROW_COLUMNS, List.of("--live-subset")),
          Map.entry(JACKSON_CORE_READ_CONSTRAINTS, List.of("--first-load")),
          Map.entry(TOMCAT_TRAILER_SMUGGLING, List.of("--live-subset")),
          Map.entry(BCEL_CONSTANT_POOL_SIZE, List.of("--live-subset")),
          Map.entry(COMMONS_IO_XML_ENCODING_PATTERN, List.of("--live-subset")));
}
