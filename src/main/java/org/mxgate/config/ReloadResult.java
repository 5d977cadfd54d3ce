package org.mxgate.config;

import java.util.List;

/**
 * What one reload did. Refused: the errors, each {@code file:line: reason}, and nothing changed.
 * Applied: no errors, and notes on what changed (a server added, a pool removed) and on what
 * the file changed that only a restart applies ("listeners changed: needs a restart").
 */
public record ReloadResult(List<ConfigError> errors, List<String> notes) {

    public ReloadResult {
        errors = List.copyOf(errors);
        notes = List.copyOf(notes);
    }

    static ReloadResult refused(List<ConfigError> errors) {
        return new ReloadResult(errors, List.of());
    }

    public boolean isApplied() {
        return errors.isEmpty();
    }
}
