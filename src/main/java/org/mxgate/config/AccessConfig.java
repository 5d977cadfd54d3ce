package org.mxgate.config;

import java.util.List;

/**
 * The {@code access:} block of a policy: four tables of rules, each kept in file order.
 *
 * @param clients keys are CIDR networks or single addresses
 * @param helo keys are host names or {@code *.domain} patterns
 * @param senders keys are {@code user@domain}, {@code @domain}, {@code domain} (and its
 *                subdomains) or {@code <>} for the null sender
 * @param recipients keys as for senders
 */
public record AccessConfig(List<Rule> clients, List<Rule> helo, List<Rule> senders, List<Rule> recipients) {

    public static final AccessConfig NONE = new AccessConfig(List.of(), List.of(), List.of(), List.of());

    public AccessConfig {
        clients = List.copyOf(clients);
        helo = List.copyOf(helo);
        senders = List.copyOf(senders);
        recipients = List.copyOf(recipients);
    }

    public enum Action { OK, REJECT, TEMPFAIL }

    /**
     * One rule: {@code key: action [reply text]}.
     *
     * @param text the reply text the admin gave, or null for the standard one
     */
    public record Rule(String key, Action action, String text) {
    }
}
