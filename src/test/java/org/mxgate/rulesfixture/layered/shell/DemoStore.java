package org.mxgate.rulesfixture.layered.shell;

import com.icegreen.greenmail.util.GreenMail;

/** A fixture for PackageRulesTest: GreenMail outside {@code cli}, which the library rules refuse. */
public final class DemoStore {

    private GreenMail store;

    public boolean isRunning() {
        return store != null;
    }
}
