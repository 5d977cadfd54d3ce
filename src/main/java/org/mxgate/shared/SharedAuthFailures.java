package org.mxgate.shared;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.mxgate.auth.SharedFailures;
import org.mxgate.config.AuthLimitsConfig;
import org.mxgate.config.SharedStateConfig;

/**
 * Failed logins counted on Redis for every instance: one count per client address and one per
 * login (without regard to case, as the users file compares them), each remembered for
 * {@code auth.failure_window} from its latest failure, as {@code AuthFailures} does in process.
 * One read (MGET) before each login, one script after each failure. Never blocks.
 */
public final class SharedAuthFailures implements SharedFailures {

    private final SharedStore store;
    private final AuthLimitsConfig limits;

    public SharedAuthFailures(SharedStore store, AuthLimitsConfig limits) {
        this.store = store;
        this.limits = limits;
    }

    @Override
    public CompletableFuture<Counts> read(InetAddress client, String login) {
        if (!store.isConnected()) {
            store.fellBack();
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<List<io.lettuce.core.KeyValue<String, String>>> asked = store.run(
                commands -> commands.mget(keys(client, login)).toCompletableFuture());
        return store.bounded(asked, values -> new Counts(count(values, 0), values.size() > 1 ? count(values, 1) : 0))
                .thenApply(counts -> {
                    if (counts == null) {
                        store.fellBack();
                    }
                    return counts;
                });
    }

    @Override
    public void record(InetAddress client, String login) {
        store.eval(store.scripts().authFailure, keys(client, login), String.valueOf(limits.failureWindow().toMillis()));
    }

    @Override
    public boolean failsOpen() {
        return store.config().authWhenAway() == SharedStateConfig.AuthWhenAway.OPEN;
    }

    private String[] keys(InetAddress client, String login) {
        String byClient = store.key("auth:client:" + client.getHostAddress());
        return login == null ? new String[] {byClient}
                : new String[] {byClient, store.key("auth:login:" + login.toLowerCase(Locale.ROOT))};
    }

    private static long count(List<io.lettuce.core.KeyValue<String, String>> values, int index) {
        io.lettuce.core.KeyValue<String, String> value = values.get(index);
        return value.hasValue() ? Long.parseLong(value.getValue()) : 0;
    }
}
