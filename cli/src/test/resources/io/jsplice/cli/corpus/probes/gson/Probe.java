import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.ObjectStreamConstants;
import java.io.Serializable;
import java.util.Map;

/**
 * CVE-2022-25647: gson's internal LazilyParsedNumber and LinkedTreeMap, which gson hands to the
 * application for numbers and objects it parses, can be Java-deserialized from a stream their own
 * writeReplace never writes (a number of a billion digits, a map with a broken tree), a denial of
 * service. The fix adds readObject methods that refuse. The service parses JSON with a Gson built
 * at start and Java-serializes what it got (session replication), so the JDK's serialization caches
 * the descriptors of both classes before any update; it is sent a forged stream before the update
 * and at every probe.
 */
public class Probe {
  static Gson gson;

  /** A stream holding one instance of {@code type}, written by hand, not by the class. */
  static byte[] forged(Class<?> type, String stringField, String value) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeShort(ObjectStreamConstants.STREAM_MAGIC);
    out.writeShort(ObjectStreamConstants.STREAM_VERSION);
    out.writeByte(ObjectStreamConstants.TC_OBJECT);
    for (Class<?> c = type;
        c != null && Serializable.class.isAssignableFrom(c);
        c = c.getSuperclass()) {
      boolean withField = c == type && stringField != null;
      out.writeByte(ObjectStreamConstants.TC_CLASSDESC);
      out.writeUTF(c.getName());
      out.writeLong(ObjectStreamClass.lookup(c).getSerialVersionUID());
      out.writeByte(ObjectStreamConstants.SC_SERIALIZABLE);
      out.writeShort(withField ? 1 : 0);
      if (withField) {
        out.writeByte('L');
        out.writeUTF(stringField);
        out.writeByte(ObjectStreamConstants.TC_STRING);
        out.writeUTF("Ljava/lang/String;");
      }
      out.writeByte(ObjectStreamConstants.TC_ENDBLOCKDATA);
    }
    out.writeByte(ObjectStreamConstants.TC_NULL); // no further superclass descriptor
    if (stringField != null) {
      out.writeByte(ObjectStreamConstants.TC_STRING);
      out.writeUTF(value);
    }
    out.flush();
    return bytes.toByteArray();
  }

  static byte[] serialized(Object o) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    }
    return bytes.toByteArray();
  }

  /** The class of what a stream yields, or the exception that refused it. */
  static String read(byte[] stream) {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(stream))) {
      return in.readObject().getClass().getSimpleName();
    } catch (IOException | ClassNotFoundException e) {
      return e.getClass().getSimpleName();
    }
  }

  static String verdict(String read) {
    return read.endsWith("Exception") ? "rejected" : "accepted";
  }

  /**
   * Whether each forged stream was accepted, then what came of it: the class built, or the
   * exception that refused it (the fixed release throws InvalidObjectException from readObject; a
   * serialization filter would throw InvalidClassException, which refuses as well).
   */
  static String probe() throws Exception {
    String number =
        read(
            forged(
                Class.forName("com.google.gson.internal.LazilyParsedNumber"),
                "value",
                "1e999999999"));
    String map = read(forged(Class.forName("com.google.gson.internal.LinkedTreeMap"), null, null));
    return "number=" + verdict(number) + " map=" + verdict(map) + " (" + number + ", " + map + ")";
  }

  public static void main(String[] args) throws Exception {
    gson = new Gson();
    JsonObject parsed = gson.fromJson("{\"n\": 12.5}", JsonObject.class);
    Map<?, ?> map = gson.fromJson("{\"k\": 1}", Map.class);
    // Both become JDK types on the way out (writeReplace): this fills the serialization caches.
    read(serialized(parsed.get("n").getAsNumber()));
    read(serialized(map));
    probe();
    System.out.println("ready");
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
    for (String line; (line = in.readLine()) != null; ) {
      System.out.println("RESULT " + probe());
    }
  }
}
