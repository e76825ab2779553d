package io.jsplice.model.json;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A record component that {@link RecordCodec} leaves out of the JSON object when it is empty: null,
 * {@code false}, or an empty list, set or map. Reading an absent one gives that empty value. For a
 * field a format gained later, so that what is written without it stays what readers of the older
 * format read, byte for byte.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface JsonOmitEmpty {}
