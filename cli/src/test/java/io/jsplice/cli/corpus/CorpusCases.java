package io.jsplice.cli.corpus;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The fixes of the development corpus ({@code dev.tsv}), each with a program that shows the
 * vulnerable and the fixed behaviour in a running JVM. The programs keep what a long-running
 * application keeps (a substitutor, a mapper, an upload handler built at start) so that the tests
 * judge the fix in force for existing state too, not only "the classes were redefined".
 */
final class CorpusCases {
  private CorpusCases() {}

  /** The loop every probe program ends with: one RESULT line per "probe" line on stdin. */
  static final String LOOP =
      """
          System.out.println("ready");
          java.io.BufferedReader in =
              new java.io.BufferedReader(new java.io.InputStreamReader(System.in));
          for (String line; (line = in.readLine()) != null; ) {
            System.out.println("RESULT " + probe());
          }
      """;

  /**
   * A probe program's {@code probe()} that runs its {@code attempt()} on a thread of a small stack,
   * so that a release that recurses without bound overflows however the JIT sizes its frames.
   */
  static String probeOnASmallStack(int kib) {
    return """
          static String probe() throws InterruptedException {
            String[] result = new String[1];
            Thread t = new Thread(null, () -> result[0] = attempt(), "probe", %d * 1024);
            t.start();
            t.join();
            return result[0];
          }
      """
        .formatted(kib);
  }

  static final CorpusCase TEXT4SHELL =
      new CorpusCase(
          "CVE-2022-42889",
          "org.apache.commons:commons-text",
          "1.9",
          "1.10.0",
          List.of("org.apache.commons:commons-lang3:3.11"),
          List.of(),
          """
          import org.apache.commons.text.StringSubstitutor;
          public class Probe {
            static StringSubstitutor held;
            static String probe() {
              String q = "${dns:address|localhost}";
              return "held=" + held.replace(q) + " fresh=" + StringSubstitutor.createInterpolator().replace(q);
            }
            public static void main(String[] args) throws Exception {
              held = StringSubstitutor.createInterpolator();
              held.replace("${base64Decoder:SGVsbG8=}");
          """
              + LOOP
              + "}}",
          "held=127.0.0.1 fresh=127.0.0.1",
          "held=${dns:address|localhost} fresh=${dns:address|localhost}");

  static final CorpusCase SPRING4SHELL =
      new CorpusCase(
          "CVE-2022-22965",
          "org.springframework:spring-beans",
          "5.3.17",
          "5.3.18",
          List.of(
              "org.springframework:spring-core:5.3.17", "org.springframework:spring-jcl:5.3.17"),
          List.of(),
          """
          import org.springframework.beans.BeanWrapperImpl;
          public class Probe {
            public static class Form {
              private String name;
              public String getName() { return name; }
              public void setName(String n) { name = n; }
            }
            // A wrapper built at start and used since: it caches the introspection of its bean and
            // the nested wrappers of the paths it read (class, class.module) with theirs.
            static final BeanWrapperImpl HELD = new BeanWrapperImpl(new Form());
            static String read(BeanWrapperImpl wrapper) {
              try {
                Object loader = wrapper.getPropertyValue("class.module.classLoader");
                return "REACHABLE " + loader.getClass().getSimpleName();
              } catch (Throwable t) {
                return "blocked " + t.getClass().getSimpleName();
              }
            }
            static String probe() {
              return "held=" + read(HELD) + " fresh=" + read(new BeanWrapperImpl(new Form()));
            }
            public static void main(String[] args) throws Exception {
              probe(); // the exploit, attempted before the update: its introspection is cached now
          """
              + LOOP
              + "}}",
          "held=REACHABLE",
          "held=blocked NotReadablePropertyException fresh=blocked NotReadablePropertyException");

  /** A harmless class with the name of the gadget the fix denies (the check is by name). */
  static final Map<String, String> JACKSON_GADGET_STUB =
      Map.of(
          "org/apache/xbean/propertyeditor/JndiConverter.java",
          "package org.apache.xbean.propertyeditor; public class JndiConverter { public String asText; }");

  static final CorpusCase JACKSON =
      new CorpusCase(
              "CVE-2020-8840",
              "com.fasterxml.jackson.core:jackson-databind",
              "2.9.10.2",
              "2.9.10.3",
              List.of(
                  "com.fasterxml.jackson.core:jackson-core:2.9.10",
                  "com.fasterxml.jackson.core:jackson-annotations:2.9.10"),
              List.of(),
              """
          import com.fasterxml.jackson.databind.ObjectMapper;
          public class Probe {
            static ObjectMapper held;
            static String read(ObjectMapper mapper) {
              try {
                mapper.readValue("[\\"org.apache.xbean.propertyeditor.JndiConverter\\", {}]", Object.class);
                return "accepted";
              } catch (Exception e) {
                return "rejected:" + e.getClass().getSimpleName();
              }
            }
            // A mapper built before the update and used since, also for the gadget: the check runs
            // when a mapper first builds a deserializer for a type, and the mapper caches it (its
            // root deserializers, its deserializer cache, its type deserializers' caches).
            static String probe() {
              ObjectMapper fresh = new ObjectMapper();
              fresh.enableDefaultTyping();
              return "held=" + read(held) + " fresh=" + read(fresh);
            }
            public static void main(String[] args) throws Exception {
              held = new ObjectMapper();
              held.enableDefaultTyping();
              held.readValue("[\\"java.util.ArrayList\\", []]", Object.class);
              read(held); // the exploit, attempted before the update
          """
                  + LOOP
                  + "}}",
              "held=accepted fresh=accepted",
              "held=rejected:InvalidDefinitionException fresh=rejected:InvalidDefinitionException")
          .withSources(JACKSON_GADGET_STUB);

  /** The CVE's setting: a pattern with a context lookup ({@code $${ctx:loginId}}). */
  static final String LOG4J_CONFIGURATION =
      """
      <Configuration status="WARN">
        <Appenders>
          <Console name="OUT" target="SYSTEM_OUT">
            <PatternLayout pattern="LOG %m [user=$${ctx:loginId}]%n"/>
          </Console>
        </Appenders>
        <Loggers><Root level="info"><AppenderRef ref="OUT"/></Root></Loggers>
      </Configuration>
      """;

  static final CorpusCase LOG4J_RECURSION =
      new CorpusCase(
              "CVE-2021-45105",
              "org.apache.logging.log4j:log4j-core",
              "2.16.0",
              "2.17.0",
              List.of("org.apache.logging.log4j:log4j-api:2.16.0"),
              // 2.17.0 also reworked JndiManager (JNDI hardening, not this CVE); its changed field
              // type
              // cannot be applied live.
              List.of(
                  "org.apache.logging.log4j.core.net.JndiManager",
                  // and the classes that call the reworked JndiManager's new API:
                  "org.apache.logging.log4j.core.appender.mom.JmsManager",
                  "org.apache.logging.log4j.core.lookup.Interpolator",
                  "org.apache.logging.log4j.core.lookup.JndiLookup",
                  "org.apache.logging.log4j.core.selector.JndiContextSelector"),
              """
          import org.apache.logging.log4j.LogManager;
          import org.apache.logging.log4j.Logger;
          import org.apache.logging.log4j.ThreadContext;
          import org.apache.logging.log4j.core.LoggerContext;
          import org.apache.logging.log4j.core.config.AbstractConfiguration;
          import org.apache.logging.log4j.core.config.ConfigurationFactory;
          import org.apache.logging.log4j.core.config.Node;
          import org.apache.logging.log4j.core.config.Property;
          import org.apache.logging.log4j.core.lookup.StrSubstitutor;
          public class Probe {
            static Logger log;
            static String probe() {
              return logged() + " property=" + property() + " location=" + location();
            }
            static String logged() {
              ThreadContext.put("loginId", "${${ctx:loginId}}");
              try {
                log.info("hello");
                return "logged";
              } catch (Throwable t) {
                return "threw " + t.getClass().getSimpleName();
              } finally {
                ThreadContext.remove("loginId");
              }
            }
            // A plugin built now on the configuration built at start, as a RoutingAppender builds
            // its routes: its value is looked up recursively, as configuration values are.
            static String property() {
              try {
                AbstractConfiguration config =
                    (AbstractConfiguration) LoggerContext.getContext(false).getConfiguration();
                Node node = new Node(null, "Property", config.getPluginManager().getPluginType("property"));
                node.getAttributes().put("name", "probe");
                node.setValue("${sys:probe.outer}");
                config.createConfiguration(node, null);
                Object built = node.getObject();
                return built instanceof Property ? ((Property) built).getValue() : "not built";
              } catch (Throwable t) {
                return "threw " + t.getClass().getSimpleName();
              }
            }
            // What the configuration factory built at start makes of a configuration location (as
            // a factory of the program's, which extends it, reads it): looked up recursively too.
            static String location() {
              try {
                java.lang.reflect.Field f = ConfigurationFactory.class.getDeclaredField("substitutor");
                f.setAccessible(true);
                return ((StrSubstitutor) f.get(ConfigurationFactory.getInstance())).replace("${sys:probe.outer}");
              } catch (Throwable t) {
                return "threw " + t.getClass().getSimpleName();
              }
            }
            public static void main(String[] args) throws Exception {
              System.setProperty("probe.inner", "deep");
              System.setProperty("probe.outer", "${sys:probe.inner}");
              log = LogManager.getLogger("probe");
              ThreadContext.put("loginId", "alice");
              log.info("started");
          """
                  + LOOP
                  + "}}",
              "threw StackOverflowError property=deep location=deep",
              "logged property=deep location=deep")
          .withResources(Map.of("log4j2.xml", LOG4J_CONFIGURATION));

  static final CorpusCase XSTREAM =
      new CorpusCase(
          "CVE-2021-21344",
          "com.thoughtworks.xstream:xstream",
          "1.4.15",
          "1.4.16",
          List.of("xmlpull:xmlpull:1.1.3.1", "xpp3:xpp3_min:1.1.4c"),
          List.of(),
          """
          import com.thoughtworks.xstream.XStream;
          public class Probe {
            // Harmless; its name matches the new deny-list pattern .*\\$GetterSetterReflection
            public static class Demo$GetterSetterReflection { public String s = "x"; }
            // Built at start and used since, also for the gadget: its security was set up by the
            // old constructor, and its mapper caches the classes it resolved.
            static final XStream HELD = new XStream();
            static String read(XStream xstream) {
              try {
                xstream.fromXML("<Probe_-Demo_-GetterSetterReflection/>");
                return "accepted";
              } catch (Exception e) {
                return "rejected:" + e.getClass().getSimpleName();
              }
            }
            static String probe() {
              return "held=" + read(HELD) + " fresh=" + read(new XStream());
            }
            public static void main(String[] args) throws Exception {
              HELD.fromXML("<java.util.ArrayList/>");
              read(HELD); // the exploit, attempted before the update
          """
              + LOOP
              + "}}",
          "held=accepted fresh=accepted",
          "held=rejected:ForbiddenClassException fresh=rejected:ForbiddenClassException");

  static final CorpusCase NETTY_BZIP2 =
      new CorpusCase(
          "CVE-2021-37136",
          "io.netty:netty-codec",
          "4.1.67.Final",
          "4.1.68.Final",
          List.of(
              "io.netty:netty-buffer:4.1.67.Final",
              "io.netty:netty-common:4.1.67.Final",
              "io.netty:netty-transport:4.1.67.Final",
              "io.netty:netty-resolver:4.1.67.Final"),
          List.of(),
          """
          import io.netty.buffer.*;
          import io.netty.channel.ChannelHandlerContext;
          import io.netty.channel.embedded.EmbeddedChannel;
          import io.netty.handler.codec.compression.*;
          import java.util.*;
          public class Probe {
            static byte[] compressed;
            static final List<Integer> perCall = new ArrayList<>();
            static class CountingDecoder extends Bzip2Decoder {
              @Override protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
                int before = out.size();
                super.decode(ctx, in, out);
                if (out.size() > before) perCall.add(out.size() - before);
              }
            }
            static String probe() {
              perCall.clear();
              EmbeddedChannel dec = new EmbeddedChannel(new CountingDecoder());
              dec.writeInbound(Unpooled.wrappedBuffer(compressed));
              long total = 0;
              for (ByteBuf b; (b = dec.readInbound()) != null; ) { total += b.readableBytes(); b.release(); }
              dec.finishAndReleaseAll();
              return "decoded=" + total + " maxBlocksPerCall=" + Collections.max(perCall);
            }
            public static void main(String[] args) throws Exception {
              byte[] data = new byte[1024 * 1024];
              new Random(42).nextBytes(data);
              EmbeddedChannel enc = new EmbeddedChannel(new Bzip2Encoder(1));
              enc.writeOutbound(Unpooled.wrappedBuffer(data));
              enc.finish();
              ByteBuf all = Unpooled.buffer();
              for (ByteBuf b; (b = enc.readOutbound()) != null; ) { all.writeBytes(b); b.release(); }
              compressed = new byte[all.readableBytes()];
              all.readBytes(compressed);
              probe();
          """
              + LOOP
              + "}}",
          "maxBlocksPerCall=11",
          "maxBlocksPerCall=1");

  static final CorpusCase FILEUPLOAD =
      new CorpusCase(
          "CVE-2023-24998",
          "commons-fileupload:commons-fileupload",
          "1.4",
          "1.5",
          List.of("commons-io:commons-io:2.2", "javax.servlet:javax.servlet-api:3.1.0"),
          List.of(),
          """
          import org.apache.commons.fileupload.*;
          import org.apache.commons.fileupload.disk.DiskFileItemFactory;
          import java.io.*;
          import java.nio.charset.StandardCharsets;
          public class Probe {
            static FileUpload held;
            static RequestContext request(int parts) {
              StringBuilder sb = new StringBuilder();
              for (int i = 0; i < parts; i++) {
                sb.append("--B\\r\\nContent-Disposition: form-data; name=\\"f").append(i).append("\\"\\r\\n\\r\\nv\\r\\n");
              }
              sb.append("--B--\\r\\n");
              byte[] body = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
              return new RequestContext() {
                public String getCharacterEncoding() { return "ISO-8859-1"; }
                public String getContentType() { return "multipart/form-data; boundary=B"; }
                public int getContentLength() { return body.length; }
                public InputStream getInputStream() { return new ByteArrayInputStream(body); }
              };
            }
            static String parse(FileUpload upload, int parts) {
              try {
                return String.valueOf(upload.parseRequest(request(parts)).size());
              } catch (Exception e) {
                return e.getClass().getSimpleName();
              }
            }
            /**
             * The limit API 1.5 adds: in FileUploadBase itself when 1.5 was loaded, else where
             * jsplice put it, the companion of FileUploadBase. "unlimited" when the running code has
             * no limit (the companion may outlive an undo).
             */
            static String limited(FileUpload upload) {
              try {
                try {
                  FileUploadBase.class.getMethod("setFileCountMax", long.class).invoke(upload, 100L);
                } catch (NoSuchMethodException notInTheClass) {
                  // The companion's name carries a digest of the update's code; the test passes it in.
                  String name = java.util.Arrays.stream(System.getProperty("jsplice.companions", "").split(","))
                      .filter(n -> n.startsWith("org.apache.commons.fileupload.FileUploadBase$$jsplice$CVE_2023_24998$"))
                      .findFirst().orElse("no.Companion");
                  Class<?> companion = Class.forName(name);
                  companion.getMethod("setFileCountMax", FileUploadBase.class, long.class).invoke(null, upload, 100L);
                }
                String parsed = parse(upload, 5000);
                return parsed.equals("5000") ? "unlimited" : parsed;
              } catch (ClassNotFoundException e) {
                return "unlimited";
              } catch (ReflectiveOperationException e) {
                return e.toString();
              }
            }
            static String probe() {
              return "held1=" + parse(held, 1) + " held5000=" + parse(held, 5000)
                  + " limited=" + limited(new FileUpload(new DiskFileItemFactory()));
            }
            public static void main(String[] args) throws Exception {
              held = new FileUpload(new DiskFileItemFactory());
              parse(held, 3);
          """
              + LOOP
              + "}}",
          "held1=1 held5000=5000 limited=unlimited",
          "held1=1 held5000=5000 limited=FileCountLimitExceededException");

  // The cases below keep their probe programs in the test resources, probes/NAME/Probe.java: each
  // file says what the fix changes and how the probe shows it.

  static final CorpusCase GSON =
      new CorpusCase(
          "CVE-2022-25647",
          "com.google.code.gson:gson",
          "2.8.8",
          "2.8.9",
          List.of(),
          List.of(),
          probe("gson"),
          "number=accepted map=accepted",
          "number=rejected map=rejected");

  static final CorpusCase JETTISON =
      new CorpusCase(
          "CVE-2022-40149",
          "org.codehaus.jettison:jettison",
          "1.5.0",
          "1.5.1",
          List.of(),
          List.of(),
          probe("jettison"),
          "held=StackOverflowError fresh=StackOverflowError",
          "held=XMLStreamException fresh=JSONException");

  static final CorpusCase COMMONS_NET =
      new CorpusCase(
          "CVE-2021-37533",
          "commons-net:commons-net",
          "3.8.0",
          "3.9.0",
          List.of(),
          List.of(),
          probe("commons-net"),
          "held=127.0.0.2 fresh=127.0.0.2",
          "held=127.0.0.1 fresh=127.0.0.1");

  static final CorpusCase XMLSEC =
      new CorpusCase(
          "CVE-2021-40690",
          "org.apache.santuario:xmlsec",
          "2.2.2",
          "2.2.3",
          List.of("org.slf4j:slf4j-api:1.7.30", "commons-codec:commons-codec:1.15"),
          List.of(),
          probe("xmlsec"),
          "secureViaReference=RSA insecureDirect=RSA",
          "secureViaReference=none insecureDirect=none");

  static final CorpusCase JSON_PATH =
      new CorpusCase(
          "CVE-2023-51074",
          "com.jayway.jsonpath:json-path",
          "2.8.0",
          "2.9.0",
          List.of(
              "net.minidev:json-smart:2.4.10",
              "net.minidev:accessors-smart:2.4.9",
              "org.ow2.asm:asm:9.3",
              "org.slf4j:slf4j-api:1.7.36"),
          List.of(),
          probe("json-path"),
          "read=StackOverflowError compile=StackOverflowError",
          "read=InvalidPathException compile=InvalidPathException");

  static final CorpusCase MINA =
      new CorpusCase(
          "CVE-2024-52046",
          "org.apache.mina:mina-core",
          "2.2.3",
          "2.2.4",
          List.of("org.slf4j:slf4j-api:1.7.36"),
          List.of(),
          probe("mina-core"),
          "held=decoded:Gadget fresh=decoded:Gadget",
          "held=refused:ClassNotFoundException fresh=refused:ClassNotFoundException");

  static final CorpusCase ORG_JSON =
      new CorpusCase(
          "CVE-2023-5072",
          "org.json:json",
          "20230227",
          "20231013",
          List.of(),
          List.of(),
          probe("org-json"),
          "held=accepted(key of 3165 chars) fresh=accepted(key of 3165 chars)",
          "held=JSONException fresh=JSONException");

  static final CorpusCase NIMBUS =
      new CorpusCase(
          "CVE-2023-52428",
          "com.nimbusds:nimbus-jose-jwt",
          "9.37.1",
          "9.37.2",
          List.of("com.github.stephenc.jcip:jcip-annotations:1.0-1"),
          List.of(),
          probe("nimbus-jose-jwt"),
          "held=decrypted:hello",
          "held=refused:JOSEException");

  static final CorpusCase IVY =
      new CorpusCase(
          "CVE-2022-37865",
          "org.apache.ivy:ivy",
          "2.5.0",
          "2.5.1",
          List.of(),
          List.of(),
          probe("ivy"),
          "held=escaped fresh=escaped",
          "held=contained fresh=contained");

  static final CorpusCase PDFBOX =
      new CorpusCase(
          "CVE-2021-31811",
          "org.apache.pdfbox:pdfbox",
          "2.0.23",
          "2.0.24",
          List.of("org.apache.pdfbox:fontbox:2.0.23", "commons-logging:commons-logging:1.2"),
          List.of(),
          probe("pdfbox"),
          "streamObjects=1001 pageRotate=null",
          "streamObjects=1 pageRotate=0");

  /** Both Log4Shell cases run one probe: what 2.14.1, 2.15.0 and 2.16.0 each expand. */
  private static final String LOG4SHELL_2_14_1 =
      "held[message=LOOKUP context=LOOKUP context-remote=LOOKUP]"
          + " fresh[message=LOOKUP context=LOOKUP context-remote=LOOKUP]";

  private static final String LOG4SHELL_2_15_0 =
      "held[message=plain context=LOOKUP context-remote=plain]"
          + " fresh[message=plain context=LOOKUP context-remote=plain]";

  private static final String LOG4SHELL_2_16_0 =
      "held[message=plain context=plain context-remote=plain]"
          + " fresh[message=plain context=plain context-remote=plain]";

  static final CorpusCase LOG4SHELL =
      new CorpusCase(
              "CVE-2021-44228",
              "org.apache.logging.log4j:log4j-core",
              "2.14.1",
              "2.15.0",
              List.of(),
              List.of(),
              probe("log4shell"),
              LOG4SHELL_2_14_1,
              LOG4SHELL_2_15_0)
          .withSiblings("org.apache.logging.log4j:log4j-api")
          .withResources(Map.of("log4j2.xml", resource("probes/log4shell/log4j2.xml")));

  static final CorpusCase LOG4SHELL_CONTEXT =
      new CorpusCase(
              "CVE-2021-45046",
              "org.apache.logging.log4j:log4j-core",
              "2.15.0",
              "2.16.0",
              List.of(),
              List.of(),
              probe("log4shell"),
              LOG4SHELL_2_15_0,
              LOG4SHELL_2_16_0)
          .withSiblings("org.apache.logging.log4j:log4j-api")
          .withResources(Map.of("log4j2.xml", resource("probes/log4shell/log4j2.xml")));

  /** Every case of the corpus. */
  static List<CorpusCase> all() {
    return List.of(
        TEXT4SHELL,
        SPRING4SHELL,
        JACKSON,
        LOG4J_RECURSION,
        XSTREAM,
        NETTY_BZIP2,
        FILEUPLOAD,
        GSON,
        JETTISON,
        COMMONS_NET,
        XMLSEC,
        JSON_PATH,
        MINA,
        ORG_JSON,
        NIMBUS,
        IVY,
        PDFBOX,
        LOG4SHELL,
        LOG4SHELL_CONTEXT);
  }

  /** The probe program kept in the test resources under {@code probes/NAME/Probe.java}. */
  private static String probe(String name) {
    return resource("probes/" + name + "/Probe.java");
  }

  private static String resource(String path) {
    try (InputStream in = CorpusCases.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException(
            "no test resource " + path + " beside " + CorpusCases.class);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
