package org.mxgate.rulesfixture.bytecode.targets;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;

/** A fixture for ClassReferencesTest: one class for each way of naming a class in code. */
public final class Targets {

    public static final class InField {}

    public static final class InGeneric {}

    public static final class InParameter {}

    public static final class InCast {}

    public static final class InArray {}

    public static final class InMatrix {}

    public static final class InInstanceof {}

    public static final class InClassLiteral {}

    public static final class InCatch extends RuntimeException {}

    @Retention(RetentionPolicy.CLASS)
    public @interface InAnnotation {}

    public static final class InCall {
        public static int value() {
            return 1;
        }
    }
}
