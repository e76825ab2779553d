import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.ParseContext;
import java.io.BufferedReader;
import java.io.InputStreamReader;

/**
 * CVE-2023-51074: a bracket property path with no closing bracket ({@code $['a',}) makes the path
 * compiler restart from the beginning of the path, recursing until the stack overflows (denial of
 * service). The fixed compiler reports the path invalid. The service holds a ParseContext and a
 * parsed document from start (paths given to read(String) go through json-path's path cache) and
 * compiles paths its users send.
 */
public class Probe {
  static final String CRAFTED = "$['a',";

  static ParseContext parser;
  static DocumentContext held;

  interface Action {
    Object run() throws Exception;
  }

  static String outcome(Action action) {
    try {
      return "accepted:" + action.run();
    } catch (Throwable t) {
      return t.getClass().getSimpleName();
    }
  }

  static String probe() {
    return "read="
        + outcome(() -> held.read(CRAFTED))
        + " compile="
        + outcome(() -> JsonPath.compile(CRAFTED).getPath());
  }

  public static void main(String[] args) throws Exception {
    parser = JsonPath.using(Configuration.defaultConfiguration());
    held = parser.parse("{\"a\": 1, \"b\": [1, 2, 3]}");
    held.read("$.b[1]");
    held.read("$['a']");
    probe();
    System.out.println("ready");
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
    for (String line; (line = in.readLine()) != null; ) {
      System.out.println("RESULT " + probe());
    }
  }
}
