package org.mxgate.rulesfixture.bytecode;

/**
 * A fixture for ClassReferencesTest: names each class of {@code Targets} in one way, always by its
 * fully qualified name and never in an import line.
 */
public final class Uses {

    private org.mxgate.rulesfixture.bytecode.targets.Targets.InField field;
    private java.util.List<org.mxgate.rulesfixture.bytecode.targets.Targets.InGeneric> generic;

    public static void parameter(org.mxgate.rulesfixture.bytecode.targets.Targets.InParameter parameter) {}

    public static Object cast(Object o) {
        return (org.mxgate.rulesfixture.bytecode.targets.Targets.InCast) o;
    }

    public static Object array() {
        return new org.mxgate.rulesfixture.bytecode.targets.Targets.InArray[0];
    }

    public static Object matrix() {
        return new org.mxgate.rulesfixture.bytecode.targets.Targets.InMatrix[1][1];
    }

    public static boolean test(Object o) {
        return o instanceof org.mxgate.rulesfixture.bytecode.targets.Targets.InInstanceof;
    }

    public static Object literal() {
        return org.mxgate.rulesfixture.bytecode.targets.Targets.InClassLiteral.class;
    }

    public static Object caught(Runnable task) {
        try {
            task.run();
            return null;
        } catch (org.mxgate.rulesfixture.bytecode.targets.Targets.InCatch e) {
            return e.getClass();
        }
    }

    @org.mxgate.rulesfixture.bytecode.targets.Targets.InAnnotation
    public static void annotated() {}

    public static int call() {
        return org.mxgate.rulesfixture.bytecode.targets.Targets.InCall.value();
    }

    /** javac copies the constant here, and still names Constant in the constant pool. */
    public static int constant() {
        return org.mxgate.rulesfixture.bytecode.targets.Constant.VALUE;
    }

    /** A string that reads like a descriptor is text, not a reference. */
    public static String text() {
        return "Lorg/mxgate/rulesfixture/bytecode/targets/InText;";
    }
}
