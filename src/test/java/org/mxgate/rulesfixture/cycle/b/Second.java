package org.mxgate.rulesfixture.cycle.b;

/** A fixture for PackageRulesTest: the other half of the cycle, through a cast and no import. */
public final class Second {

    public Object back(Object first) {
        return (org.mxgate.rulesfixture.cycle.a.First) first;
    }
}
