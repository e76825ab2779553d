package io.jsplice.model.json;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A record's JSON form as ordinary code: it reads the record's components and calls its canonical
 * constructor without reflection. Written at build time for each record of a module that runs the
 * {@code jsplice-json-forms} processor ({@code p.Outer_Inner_JsonForm} for {@code p.Outer.Inner});
 * {@link RecordCodec} uses it instead of the reflective accessors and constructor, which on JDK 18+
 * spin method-handle classes on first use (JEP 416), in a JVM an agent is a guest in. A record
 * without one (private, generic, or of a module that does not run the processor) is mapped
 * reflectively, as before: the wire form is the same either way.
 *
 * <p>A form registers itself from its static initializer, which {@link #of} runs by loading the
 * form's class by name: no reflective call finds it. Thread-safe.
 */
public abstract class RecordForm {
  private static final Map<Class<?>, RecordForm> FORMS = new ConcurrentHashMap<>();

  /** What a form's class name ends with, after the record's flattened name. */
  static final String SUFFIX = "_JsonForm";

  private final String[] names;

  /**
   * @param names the record's component names, in order, as the form was written for
   */
  protected RecordForm(String[] names) {
    this.names = names.clone();
  }

  /**
   * Registers {@code form} as {@code type}'s, from the form's static initializer. Only the form
   * written for {@code type} (named after it, defined by its class loader) is taken; any other is
   * ignored, without an exception that would fail the form's initialization: the codec then maps
   * {@code type} reflectively, to the same JSON.
   */
  protected static void register(Class<? extends Record> type, RecordForm form) {
    Class<?> formClass = form.getClass();
    if (formClass.getName().equals(formName(type))
        && formClass.getClassLoader() == type.getClassLoader()) {
      FORMS.putIfAbsent(type, form);
    }
  }

  /**
   * {@code type}'s form, or null when it has none; its class is loaded and initialized through
   * {@code type}'s loader.
   *
   * @throws IllegalStateException if the form was written for other components than {@code type}'s
   *     (a stale build)
   */
  static RecordForm of(Class<?> type, String[] componentNames) {
    RecordForm form = FORMS.get(type);
    if (form == null) {
      try {
        Class.forName(formName(type), true, type.getClassLoader());
      } catch (ClassNotFoundException | LinkageError e) {
        // None, or one that cannot load here (a loader that splits a module's classes): then
        // reflection, whose JSON is the same.
        return null;
      }
      form = FORMS.get(type);
      if (form == null) {
        return null;
      }
    }
    if (!Arrays.equals(form.names, componentNames)) {
      throw new IllegalStateException(
          "the JSON form of "
              + type.getName()
              + " was written for the components "
              + Arrays.toString(form.names)
              + ", not "
              + Arrays.toString(componentNames)
              + ": rebuild its module");
    }
    return form;
  }

  /**
   * Whether {@code type} has a form written for its components: the check that a module whose build
   * runs the processor left out none of its records.
   *
   * @throws IllegalStateException if its form was written for other components (a stale build)
   */
  public static boolean exists(Class<? extends Record> type) {
    java.lang.reflect.RecordComponent[] components = type.getRecordComponents();
    String[] names = new String[components.length];
    for (int i = 0; i < names.length; i++) {
      names[i] = components[i].getName();
    }
    return of(type, names) != null;
  }

  /** {@code p.Outer_Inner_JsonForm} for {@code p.Outer$Inner}. */
  static String formName(Class<?> type) {
    String name = type.getName();
    int dot = name.lastIndexOf('.');
    return name.substring(0, dot + 1) + name.substring(dot + 1).replace('$', '_') + SUFFIX;
  }

  /** {@code record}'s components, in declaration order, primitives boxed. */
  protected abstract Object[] components(Record record);

  /**
   * A new record of this form's type from {@code values}, one per component in declaration order,
   * through its canonical constructor; whatever that constructor throws propagates.
   */
  protected abstract Record construct(Object[] values);
}
