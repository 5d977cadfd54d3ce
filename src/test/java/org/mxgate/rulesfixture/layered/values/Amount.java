package org.mxgate.rulesfixture.layered.values;

/** A fixture for PackageRulesTest: a value with no dependency of its own. */
public record Amount(long cents) {}
