package org.mxgate.rulesfixture.bytecode.targets;

/** A fixture for ClassReferencesTest: a constant that javac copies into the class that reads it. */
public final class Constant {

    public static final int VALUE = 2;
}
