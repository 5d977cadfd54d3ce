package org.mxgate.rulesfixture.layered.shell;

import org.mxgate.rulesfixture.layered.logic.Rule;
import org.mxgate.rulesfixture.layered.values.Amount;

/** A fixture for PackageRulesTest: uses logic and values. */
public final class Runner {

    public boolean run(long cents) {
        return new Rule().isLarge(new Amount(cents));
    }
}
