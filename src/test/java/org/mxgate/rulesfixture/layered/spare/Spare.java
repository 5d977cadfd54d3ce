package org.mxgate.rulesfixture.layered.spare;

/** A fixture for PackageRulesTest: a package that no other one uses. */
public final class Spare {}
