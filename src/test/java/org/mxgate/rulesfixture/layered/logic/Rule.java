package org.mxgate.rulesfixture.layered.logic;

/**
 * A fixture for PackageRulesTest: names {@code values} only by a fully qualified name and has no
 * import line, so a checker that read imports would miss this arrow.
 */
public final class Rule {

    public boolean isLarge(org.mxgate.rulesfixture.layered.values.Amount amount) {
        return amount.cents() > 100;
    }
}
