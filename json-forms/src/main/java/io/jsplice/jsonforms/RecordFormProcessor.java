package io.jsplice.jsonforms;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.tools.Diagnostic;

/**
 * Writes, for each record of the sources it compiles, a class that reads the record's components
 * and calls its canonical constructor with ordinary bytecode: the record's JSON form, which {@code
 * io.jsplice.model.json.RecordCodec} uses instead of reflection. On JDK 18+ a reflective call (an
 * accessor's {@code Method.invoke}, a constructor's {@code newInstance}) is built on method handles
 * (JEP 416) and spins classes on first use, per call shape; an agent attached to answer one apply
 * paid for about fifty in the target JVM, which it cannot tell to use native reflection instead.
 *
 * <p>The record is declared once, as a record: the form is derived from it at each compile, so it
 * cannot be missing or stale for a record the processor saw, and the codec checks the components
 * the form names against the record's before it uses it. Records it cannot reach from another class
 * of their package (private, or nested in a private class) and generic records get none; the codec
 * maps those reflectively.
 *
 * <p>The form of {@code p.Outer.Inner} is {@code p.Outer_Inner_JsonForm}: a final class whose
 * static initializer registers one instance with the codec ({@code RecordForm.register}), so that
 * the codec finds it by name ({@code Class.forName}, which runs that initializer) without any
 * reflective call. It claims no annotation: it looks at every type and leaves the annotations to
 * other processors.
 */
public final class RecordFormProcessor extends AbstractProcessor {
  /** What a form's class name ends with; the codec derives the same name from the record's. */
  static final String SUFFIX = "_JsonForm";

  private static final String FORM = "io.jsplice.model.json.RecordForm";

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return Set.of("*");
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    for (Element root : round.getRootElements()) {
      visit(root);
    }
    return false;
  }

  private void visit(Element element) {
    if (!(element instanceof TypeElement type)
        || element.getModifiers().contains(Modifier.PRIVATE)) {
      return;
    }
    if (type.getKind() == ElementKind.RECORD && type.getTypeParameters().isEmpty()) {
      write(type);
    }
    for (Element member : type.getEnclosedElements()) {
      visit(member);
    }
  }

  private void write(TypeElement record) {
    String pkg = packageOf(record).getQualifiedName().toString();
    String simple = flatName(record) + SUFFIX;
    String recordName = record.getQualifiedName().toString();
    List<? extends RecordComponentElement> components = record.getRecordComponents();
    List<String> names = new ArrayList<>();
    List<String> reads = new ArrayList<>();
    List<String> args = new ArrayList<>();
    for (int i = 0; i < components.size(); i++) {
      RecordComponentElement component = components.get(i);
      names.add("\"" + component.getSimpleName() + "\"");
      reads.add("r." + component.getSimpleName() + "()");
      args.add("(" + castType(component.asType()) + ") v[" + i + "]");
    }
    StringBuilder source = new StringBuilder();
    if (!pkg.isEmpty()) {
      source.append("package ").append(pkg).append(";\n\n");
    }
    source
        .append("/** The JSON form of {@link ")
        .append(recordName)
        .append("}, written by ")
        .append(RecordFormProcessor.class.getName())
        .append(" at build time. */\n")
        .append("final class ")
        .append(simple)
        .append(" extends ")
        .append(FORM)
        .append(" {\n")
        .append("  static {\n")
        .append("    register(")
        .append(recordName)
        .append(".class, new ")
        .append(simple)
        .append("());\n")
        .append("  }\n\n")
        .append("  private ")
        .append(simple)
        .append("() {\n")
        .append("    super(new String[] {")
        .append(String.join(", ", names))
        .append("});\n")
        .append("  }\n\n")
        .append("  @Override\n")
        .append("  protected Object[] components(Record record) {\n")
        .append("    ")
        .append(recordName)
        .append(" r = (")
        .append(recordName)
        .append(") record;\n")
        .append("    return new Object[] {")
        .append(String.join(", ", reads))
        .append("};\n")
        .append("  }\n\n")
        .append("  @Override\n")
        .append("  @SuppressWarnings({\"unchecked\", \"rawtypes\"})\n")
        .append("  protected Record construct(Object[] v) {\n")
        .append("    return new ")
        .append(recordName)
        .append("(")
        .append(String.join(", ", args))
        .append(");\n")
        .append("  }\n")
        .append("}\n");
    String name = pkg.isEmpty() ? simple : pkg + "." + simple;
    try (Writer out = processingEnv.getFiler().createSourceFile(name, record).openWriter()) {
      out.write(source.toString());
    } catch (IOException e) {
      processingEnv
          .getMessager()
          .printMessage(
              Diagnostic.Kind.ERROR, "cannot write the JSON form " + name + ": " + e, record);
    }
  }

  /**
   * The type to cast an {@code Object} to for a parameter of type {@code type}: its erasure (the
   * record is not generic, so no type variable), a primitive's box (unboxed by the call).
   */
  private String castType(TypeMirror type) {
    if (type.getKind().isPrimitive()) {
      return processingEnv
          .getTypeUtils()
          .boxedClass((javax.lang.model.type.PrimitiveType) type)
          .getQualifiedName()
          .toString();
    }
    TypeMirror erased = processingEnv.getTypeUtils().erasure(type);
    if (erased.getKind() == TypeKind.DECLARED) {
      return ((TypeElement) processingEnv.getTypeUtils().asElement(erased))
          .getQualifiedName()
          .toString();
    }
    return erased.toString();
  }

  /** {@code Outer_Inner} for {@code p.Outer.Inner}: the binary name's tail, '$' made '_'. */
  private static String flatName(TypeElement type) {
    Element enclosing = type.getEnclosingElement();
    return enclosing instanceof TypeElement outer
        ? flatName(outer) + "_" + type.getSimpleName()
        : type.getSimpleName().toString();
  }

  private static PackageElement packageOf(Element element) {
    while (!(element instanceof PackageElement pkg)) {
      element = element.getEnclosingElement();
    }
    return pkg;
  }
}
