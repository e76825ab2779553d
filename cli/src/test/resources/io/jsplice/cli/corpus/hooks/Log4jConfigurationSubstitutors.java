import io.jsplice.bootstrap.HookContext;
import io.jsplice.bootstrap.UpdateHook;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.util.IdentityHashMap;
import java.util.Map;
import org.apache.logging.log4j.core.config.ConfigurationFactory;
import org.apache.logging.log4j.core.lookup.StrSubstitutor;

/**
 * log4j 2.17.0 splits each substitutor in two: one that evaluates lookups recursively, for the
 * configuration (ConfigurationStrSubstitutor), and one that does not, for what is logged
 * (RuntimeStrSubstitutor). Both are classes the update adds; 2.16.0 built plain StrSubstitutors.
 * jsplice's analysis cannot prove the state 2.16.0 built equivalent; this hook answers for it:
 *
 * <ul>
 *   <li>A configuration built by 2.16.0 lacks the added {@code configurationStrSubstitutor}, which
 *       2.17.0's constructor takes as a copy of {@code subst} before the configuration sets itself
 *       up. jsplice gives old configurations that copy (the field's initializer) when the field is
 *       first read; it is the one the constructor would have taken, because every later change
 *       2.17.0 makes to one it makes to the other (the configuration, the variable resolver) and
 *       the copy constructor copies references. Nothing to do here.
 *   <li>Its {@code subst} stays a plain StrSubstitutor (an object's class cannot change); with the
 *       added {@code recursiveEvaluationAllowed} at false it evaluates as RuntimeStrSubstitutor
 *       does, which differs only in toString and in a package-private setter nothing calls. It is
 *       shared with what the configuration built, so it is not replaced.
 *   <li>A ConfigurationFactory built by 2.16.0 holds a plain substitutor, which reads the added
 *       field as false too: it would no longer look up the configuration's location recursively,
 *       where 2.17.0's constructor builds a ConfigurationStrSubstitutor. Each one on the heap gets
 *       a copy of it of that class, and the old one back before an undo.
 * </ul>
 */
public class Log4jConfigurationSubstitutors implements UpdateHook {
  private static final String CONFIGURATION_SUBSTITUTOR =
      "org.apache.logging.log4j.core.lookup.ConfigurationStrSubstitutor";

  /** The substitutor each factory held before the update, for undo. */
  private final Map<ConfigurationFactory, StrSubstitutor> replaced = new IdentityHashMap<>();

  @Override
  public void afterApply(HookContext context) throws Exception {
    Field substitutor = substitutorField();
    for (ConfigurationFactory factory : context.objectsOf(ConfigurationFactory.class)) {
      StrSubstitutor old = (StrSubstitutor) substitutor.get(factory);
      if (old != null && old.getClass() == StrSubstitutor.class) {
        substitutor.set(factory, configurationCopy(old));
        replaced.put(factory, old);
      }
    }
    context.log("gave " + replaced.size() + " configuration factories a configuration substitutor");
  }

  @Override
  public void beforeUndo(HookContext context) throws Exception {
    Field substitutor = substitutorField();
    for (Map.Entry<ConfigurationFactory, StrSubstitutor> e : replaced.entrySet()) {
      substitutor.set(e.getKey(), e.getValue());
    }
    context.log("gave " + replaced.size() + " configuration factories their substitutor back");
    replaced.clear();
  }

  /** {@code ConfigurationFactory.substitutor}: protected and final, set once per factory here. */
  private static Field substitutorField() throws NoSuchFieldException {
    Field f = ConfigurationFactory.class.getDeclaredField("substitutor");
    f.setAccessible(true);
    return f;
  }

  /** {@code new ConfigurationStrSubstitutor(s)}: a class the update adds, so not compiled against. */
  private static StrSubstitutor configurationCopy(StrSubstitutor s)
      throws ReflectiveOperationException {
    Constructor<?> copy =
        Class.forName(CONFIGURATION_SUBSTITUTOR, true, StrSubstitutor.class.getClassLoader())
            .getConstructor(StrSubstitutor.class);
    return (StrSubstitutor) copy.newInstance(s);
  }
}
