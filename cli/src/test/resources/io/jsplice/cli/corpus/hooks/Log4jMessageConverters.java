import io.jsplice.bootstrap.HookContext;
import io.jsplice.bootstrap.UpdateHook;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.impl.Log4jContextFactory;
import org.apache.logging.log4j.core.pattern.MessagePatternConverter;
import org.apache.logging.log4j.core.pattern.PatternFormatter;

/**
 * log4j 2.15.0 replaced the message converter (one class, which looked up ${...} in messages unless
 * told not to) by four converters that a factory picks from the layout's options. The converters a
 * running log4j holds were built by 2.14.1 from those options; 2.15.0 never builds objects of the
 * old kind, and their format() now throws. No rule jsplice could apply maps such an object to the
 * converter 2.15.0 would have built: only the factory, given the options the object kept, can. So
 * this hook walks the layouts of every logger context's appenders, and gives each formatter that
 * holds an old converter the one MessagePatternConverter.newInstance builds from its options and
 * configuration; before an undo it puts the old converters back.
 */
public class Log4jMessageConverters implements UpdateHook {
  private final Map<PatternFormatter, Object> replaced = new IdentityHashMap<>();

  @Override
  public void afterApply(HookContext context) throws Exception {
    Field converterField = PatternFormatter.class.getDeclaredField("converter");
    converterField.setAccessible(true);
    Field formats = MessagePatternConverter.class.getDeclaredField("formats");
    formats.setAccessible(true);
    Method factory =
        MessagePatternConverter.class.getMethod(
            "newInstance", Configuration.class, String[].class);
    Class<?> kinds = Class.forName("io.jsplice.bootstrap.MergedKinds");
    Method kindOf = kinds.getMethod("of", Object.class);
    for (LoggerContext logging : contexts()) {
      Configuration configuration = logging.getConfiguration();
      for (PatternFormatter formatter : formatters(configuration)) {
        Object converter = converterField.get(formatter);
        if (converter instanceof MessagePatternConverter && kindOf.invoke(null, converter) == null) {
          Object fresh = factory.invoke(null, configuration, formats.get(converter));
          converterField.set(formatter, fresh);
          replaced.put(formatter, converter);
        }
      }
    }
    context.log("gave " + replaced.size() + " pattern formatters the 2.15.0 message converter");
  }

  @Override
  public void beforeUndo(HookContext context) throws Exception {
    Field converterField = PatternFormatter.class.getDeclaredField("converter");
    converterField.setAccessible(true);
    for (Map.Entry<PatternFormatter, Object> e : replaced.entrySet()) {
      converterField.set(e.getKey(), e.getValue());
    }
    context.log("put back " + replaced.size() + " message converters");
    replaced.clear();
  }

  private static List<LoggerContext> contexts() {
    if (LogManager.getFactory() instanceof Log4jContextFactory log4j) {
      return log4j.getSelector().getLoggerContexts();
    }
    return List.of();
  }

  /** The pattern formatters reachable from the configuration's appenders' layouts. */
  private static List<PatternFormatter> formatters(Configuration configuration) throws Exception {
    List<PatternFormatter> out = new ArrayList<>();
    Map<Object, Boolean> seen = new IdentityHashMap<>();
    for (Appender appender : configuration.getAppenders().values()) {
      walk(appender.getLayout(), 0, seen, out);
    }
    return out;
  }

  /** Follows log4j-core's own objects (layouts, serializers, selectors) a few levels deep. */
  private static void walk(Object o, int depth, Map<Object, Boolean> seen, List<PatternFormatter> out)
      throws IllegalAccessException {
    if (o == null || depth > 4 || seen.put(o, Boolean.TRUE) != null) {
      return;
    }
    if (o instanceof PatternFormatter f) {
      out.add(f);
      return;
    }
    if (o instanceof Object[] array) {
      for (Object element : array) {
        walk(element, depth + 1, seen, out);
      }
      return;
    }
    if (o instanceof Map<?, ?> map) {
      for (Object value : map.values()) {
        walk(value, depth + 1, seen, out);
      }
      return;
    }
    if (!o.getClass().getName().startsWith("org.apache.logging.log4j.core.")) {
      return;
    }
    // Only log4j-core's own classes: an enum's java.lang.Enum fields are not open to this hook.
    for (Class<?> c = o.getClass();
        c != null && c.getName().startsWith("org.apache.logging.log4j.core.");
        c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) {
          continue;
        }
        f.setAccessible(true);
        walk(f.get(o), depth + 1, seen, out);
      }
    }
  }
}
