package org.mxgate.shared;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Lua scripts the instances run on Redis, each one atomic there, so two instances never
 * interleave inside a check and its increment. Times are Redis's own ({@code TIME}), one clock
 * for every instance. What the keys hold (every name below is put after {@code key_prefix}):
 * <ul>
 * <li>{@code instances}: a sorted set, each instance scored with the time its lease ends (ms);</li>
 * <li>{@code views}: a hash, live instance → what it sees (a JSON array of strings: its sessions,
 * then pool, backend and state of each backend), written with each heartbeat;</li>
 * <li>{@code slots:KEY}: a hash, instance → concurrency slots it holds; an instance whose lease
 * has ended counts for nothing and its field is removed by the next check;</li>
 * <li>{@code rate:KEY}: a hash, step number → events in that step, twelve steps a window, as
 * {@code limits.SlidingWindow} counts in process;</li>
 * <li>{@code auth:client:ADDRESS}, {@code auth:login:LOGIN}: failed logins, expiring one failure
 * window after the latest;</li>
 * <li>{@code backend:admin:POOL/NAME}: {@code drain} or {@code halt}, set through an instance's
 * admin API and removed by {@code enable}; {@code backend:pressure:POOL/NAME}: what the backend
 * answered, expiring when its back-pressure cooldown ends. Each change is also published on the
 * channel {@code backends}, so the others hear of it at once; the keys tell an instance that was
 * away or starts later.</li>
 * </ul>
 * Scripts read keys other than those passed in (a slot check reads {@code instances}), which a
 * single Redis or a Sentinel-watched primary allows, and a Redis Cluster would not.
 */
final class Scripts {

    /** A script's text and its SHA-1, by which EVALSHA names it. */
    record Script(String name, String source, String sha) {
        static Script of(String name, String source) {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
                return new Script(name, source, HexFormat.of().formatHex(digest));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static final String NOW = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            """;

    /**
     * KEYS: instances, views. ARGV: instance, lease ms, then what the instance sees
     * ({@link InstanceView}'s fields). Renews the lease, drops ended ones and their views, keeps
     * this one's view, and returns each live instance with its view: {{name, {fields}}, …}.
     */
    final Script heartbeat = Script.of("heartbeat", NOW + """
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
            redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
            local view = {}
            for i = 3, #ARGV do view[#view + 1] = ARGV[i] end
            redis.call('HSET', KEYS[2], ARGV[1], cjson.encode(view))
            redis.call('PEXPIRE', KEYS[2], ARGV[2])
            local alive = redis.call('ZRANGE', KEYS[1], 0, -1)
            local live = {}
            local out = {}
            for _, name in ipairs(alive) do
              live[name] = true
              local seen = redis.call('HGET', KEYS[2], name)
              out[#out + 1] = {name, seen and cjson.decode(seen) or {}}
            end
            for _, name in ipairs(redis.call('HKEYS', KEYS[2])) do
              if not live[name] then redis.call('HDEL', KEYS[2], name) end
            end
            return out
            """);

    /**
     * KEYS: slots:KEY, instances. ARGV: instance, max (0: none), key lifetime ms. Takes a slot for
     * the instance unless the live instances hold max already; returns {taken 1|0, held with it}.
     */
    final Script takeSlot = Script.of("take_slot", NOW + """
            local held = 0
            local fields = redis.call('HGETALL', KEYS[1])
            for i = 1, #fields, 2 do
              local ends = redis.call('ZSCORE', KEYS[2], fields[i])
              if fields[i] == ARGV[1] or (ends and tonumber(ends) > now) then
                held = held + tonumber(fields[i + 1])
              else
                redis.call('HDEL', KEYS[1], fields[i])
              end
            end
            local max = tonumber(ARGV[2])
            if max > 0 and held >= max then
              return {0, held}
            end
            redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
            redis.call('PEXPIRE', KEYS[1], ARGV[3])
            return {1, held + 1}
            """);

    /** KEYS: slots:KEY. ARGV: instance, count, key lifetime ms. Sets what the instance holds (after an outage). */
    final Script setSlots = Script.of("set_slots", """
            if tonumber(ARGV[2]) > 0 then
              redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
              redis.call('PEXPIRE', KEYS[1], ARGV[3])
            else
              redis.call('HDEL', KEYS[1], ARGV[1])
            end
            return {1}
            """);

    /** KEYS: slots:KEY. ARGV: instance. Gives one of the instance's slots back. */
    final Script releaseSlot = Script.of("release_slot", """
            local n = redis.call('HINCRBY', KEYS[1], ARGV[1], -1)
            if n <= 0 then
              redis.call('HDEL', KEYS[1], ARGV[1])
            end
            return {n}
            """);

    /**
     * KEYS: rate:KEY. ARGV: window ms, add (1: count one event, 0: only read). Returns {events in
     * the window, ms until the oldest of them leaves it}.
     */
    final Script rate = Script.of("rate", NOW + """
            local steps = 12
            local window = tonumber(ARGV[1])
            local step = math.max(1, math.floor(window / steps))
            local current = math.floor(now / step)
            if ARGV[2] == '1' then
              redis.call('HINCRBY', KEYS[1], current, 1)
              redis.call('PEXPIRE', KEYS[1], window + step)
            end
            local total = 0
            local oldest = current
            local fields = redis.call('HGETALL', KEYS[1])
            for i = 1, #fields, 2 do
              local s = tonumber(fields[i])
              local n = tonumber(fields[i + 1])
              if s <= current - steps or n <= 0 then
                redis.call('HDEL', KEYS[1], fields[i])
              else
                total = total + n
                if s < oldest then oldest = s end
              end
            end
            return {total, (oldest + steps) * step - now}
            """);

    /** KEYS: rate:KEY. Takes back the latest event still in the window. */
    final Script releaseRate = Script.of("release_rate", """
            local latest = nil
            local fields = redis.call('HGETALL', KEYS[1])
            for i = 1, #fields, 2 do
              local s = tonumber(fields[i])
              if tonumber(fields[i + 1]) > 0 and (latest == nil or s > latest) then latest = s end
            end
            if latest ~= nil and redis.call('HINCRBY', KEYS[1], latest, -1) <= 0 then
              redis.call('HDEL', KEYS[1], latest)
            end
            return {1}
            """);

    /**
     * KEYS: the client's failure count, and the login's when there is one. ARGV: window ms.
     * Counts one failure on each, each remembered for the window from now; returns the counts.
     */
    final Script authFailure = Script.of("auth_failure", """
            local counts = {}
            for i = 1, #KEYS do
              counts[i] = redis.call('INCR', KEYS[i])
              redis.call('PEXPIRE', KEYS[i], ARGV[1])
            end
            return counts
            """);

    /** KEYS: backend:admin:POOL/NAME. ARGV: channel, message, state (up removes the key). Sets and publishes. */
    final Script adminState = Script.of("admin_state", """
            if ARGV[3] == 'up' then
              redis.call('DEL', KEYS[1])
            else
              redis.call('SET', KEYS[1], ARGV[3])
            end
            redis.call('PUBLISH', ARGV[1], ARGV[2])
            return {1}
            """);

    /**
     * KEYS: backend:pressure:POOL/NAME. ARGV: channel, message, cooldown ms, what the backend
     * answered. Keeps the later of two cooldowns, and publishes.
     */
    final Script pressure = Script.of("pressure", """
            if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[3]) then
              redis.call('SET', KEYS[1], ARGV[4], 'PX', ARGV[3])
            end
            redis.call('PUBLISH', ARGV[1], ARGV[2])
            return {1}
            """);

    /**
     * KEYS: pairs of backend:admin:POOL/NAME, backend:pressure:POOL/NAME. Returns for each pair:
     * the admin state ('' for none), the ms left of its cooldown (negative for none), what it answered.
     */
    final Script backendStates = Script.of("backend_states", """
            local out = {}
            for i = 1, #KEYS, 2 do
              table.insert(out, redis.call('GET', KEYS[i]) or '')
              table.insert(out, redis.call('PTTL', KEYS[i + 1]))
              table.insert(out, redis.call('GET', KEYS[i + 1]) or '')
            end
            return out
            """);
}
