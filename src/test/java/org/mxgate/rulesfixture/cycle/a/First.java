package org.mxgate.rulesfixture.cycle.a;

import org.mxgate.rulesfixture.cycle.b.Second;

/** A fixture for PackageRulesTest: one half of a cycle between two packages. */
public final class First {

    public Second next() {
        return new Second();
    }
}
