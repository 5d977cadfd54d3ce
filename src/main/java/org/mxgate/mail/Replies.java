package org.mxgate.mail;

/**
 * The catalogue of replies the gateway itself gives. Texts follow what Postfix says, because
 * admins grep for them; tests and docs/security.md cite them by constant name.
 */
public final class Replies {

    private Replies() {
    }

    public static final Reply OK = Reply.of(250, "2.0.0", "Ok");
    public static final Reply SENDER_OK = Reply.of(250, "2.1.0", "Ok");
    public static final Reply RECIPIENT_OK = Reply.of(250, "2.1.5", "Ok");
    public static final Reply START_DATA = Reply.of(354, null, "End data with <CR><LF>.<CR><LF>");
    public static final Reply BYE = Reply.of(221, "2.0.0", "Bye");
    public static final Reply CANNOT_VRFY =
            Reply.of(252, "2.0.0", "Cannot VRFY user, but will accept message and attempt delivery");
    public static final Reply HELP = Reply.of(214, "2.0.0",
            "Commands: HELO EHLO MAIL RCPT DATA RSET NOOP QUIT VRFY HELP; see RFC 5321");

    // RFC 5321 4.2.4: a command we do not know.
    public static final Reply UNKNOWN_COMMAND = Reply.of(500, "5.5.1", "Error: command not recognized");
    // RFC 5321 4.5.3.1.4: command lines are at most 512 octets with CRLF.
    public static final Reply LINE_TOO_LONG = Reply.of(500, "5.5.6", "Error: line too long");
    public static final Reply NOT_IMPLEMENTED = Reply.of(502, "5.5.1", "Error: command not implemented");
    public static final Reply NEED_HELO = Reply.of(503, "5.5.1", "Error: send HELO/EHLO first");
    public static final Reply NESTED_MAIL = Reply.of(503, "5.5.1", "Error: nested MAIL command");
    public static final Reply NEED_MAIL = Reply.of(503, "5.5.1", "Error: need MAIL command");
    public static final Reply NEED_RCPT = Reply.of(503, "5.5.1", "Error: need RCPT command");
    public static final Reply NO_VALID_RECIPIENTS = Reply.of(554, "5.5.1", "Error: no valid recipients");
    public static final Reply SYNTAX = Reply.of(501, "5.5.4", "Syntax error in parameters or arguments");
    public static final Reply HELO_SYNTAX = Reply.of(501, "5.5.4", "Syntax: EHLO hostname");
    public static final Reply MAIL_SYNTAX = Reply.of(501, "5.5.4", "Syntax: MAIL FROM:<address>");
    public static final Reply RCPT_SYNTAX = Reply.of(501, "5.5.4", "Syntax: RCPT TO:<address>");
    public static final Reply BAD_SENDER = Reply.of(501, "5.1.7", "Bad sender address syntax");
    public static final Reply BAD_RECIPIENT = Reply.of(501, "5.1.3", "Bad recipient address syntax");
    public static final Reply UNKNOWN_PARAMETER = Reply.of(555, "5.5.4", "Unsupported option");
    // RFC 6531 3.5: a non-ASCII address without the SMTPUTF8 parameter.
    public static final Reply NEEDS_SMTPUTF8 = Reply.of(553, "5.6.7", "Error: address needs SMTPUTF8");
    // RFC 3629 and RFC 6531 3.3: 8-bit bytes in a command that are not UTF-8 (CommandLineIT).
    public static final Reply BAD_UTF8 = Reply.of(501, "5.5.2", "Error: bad UTF-8 syntax");
    // RFC 5321 4.1.1.1 and RFC 6531 3.7.1: the HELO/EHLO name is ASCII (an A-label), never 8-bit.
    public static final Reply HELO_NOT_ASCII = Reply.of(501, "5.5.2", "Helo command rejected: Invalid name");
    // RFC 1870: the declared or the actual size is over our SIZE.
    public static final Reply MESSAGE_TOO_BIG = Reply.of(552, "5.3.4", "Error: message file too big");
    // RFC 5321 4.5.3.1.8: too many recipients is a 452, so the client sends the rest later.
    public static final Reply TOO_MANY_RECIPIENTS = Reply.of(452, "4.5.3", "Error: too many recipients");
    // Never an open relay: RelayPolicyIT.
    // RFC 5321 3.3: a recipient for another backend pool waits for the next transaction.
    public static final Reply OTHER_ROUTE =
            Reply.of(452, "4.5.3", "Error: recipient goes to another destination; send it in a separate transaction");
    // Access rules of a policy (AccessRulesTest): the admin may replace the text, never the codes.
    public static final Reply ACCESS_DENIED = Reply.of(554, "5.7.1", "Access denied");
    public static final Reply ACCESS_TEMPFAIL = Reply.of(450, "4.7.1", "Try again later");
    public static final Reply RELAY_DENIED = Reply.of(554, "5.7.1", "Relay access denied");
    // SMTP smuggling: a lone CR or LF in DATA is refused (DataDecoderTest, SmugglingIT).
    public static final Reply BARE_LINE_ENDING =
            Reply.of(550, "5.6.11", "Error: bare <CR> or <LF> in message content; use <CR><LF>");
    // A next hop that strips NUL would read another message than the one checked (DataDecoderTest).
    public static final Reply NUL_IN_CONTENT = Reply.of(550, "5.6.0", "Error: NUL character in message content");
    // RFC 5321 2.3.8: CR only before LF; NUL nowhere in a command.
    public static final Reply BAD_CHARACTER = Reply.of(501, "5.5.2", "Error: NUL or bare <CR> in command");
    // 250 means a backend has it: when none could take the message, the client tries again later.
    public static final Reply RELAY_FAILED =
            Reply.of(451, "4.4.1", "Error: no backend could take the message, try again later");
    // Admission control: the pool's share for this listener is in use; the client retries later.
    // Over our own memory or spool budget (SpoolBudget): what Exchange says under back pressure.
    public static final Reply OVERLOADED = Reply.of(452, "4.3.1", "Insufficient system resources");
    public static final Reply POOL_BUSY = Reply.of(451, "4.3.2", "Error: mail servers busy, try again later");
    public static final Reply BACKEND_ODD_REPLY = Reply.of(451, "4.4.0", "Error: unexpected backend reply, try again later");
    public static final Reply LOCAL_ERROR = Reply.of(451, "4.3.0", "Error: local error, try again later");
    // RFC 6531 3.2 and 3.5: no silent downgrade; no backend offers SMTPUTF8 (BackendExtensionsIT).
    public static final Reply NO_SMTPUTF8_BACKEND =
            Reply.of(553, "5.6.7", "Error: no mail server here accepts SMTPUTF8 (internationalized) mail");
    // RFC 6152: 8-bit data never goes to a server without 8BITMIME (BackendExtensionsIT).
    public static final Reply NO_8BITMIME_BACKEND =
            Reply.of(554, "5.6.3", "Error: conversion required but not supported: no mail server here accepts 8-bit data");

    // Pregreet test (PregreetIT): a client that talks before the banner, as postscreen words it;
    // RFC 5321 3.1: 554 in place of the 220. Remembered clients get postscreen's refusal of a
    // known bad client at their next connections, with the same 554.
    public static final Reply PREGREET = Reply.of(554, "5.5.1", "Protocol error");
    public static final Reply EARLY_TALKER = Reply.of(554, "5.3.2", "Service currently unavailable");

    // RFC 3207 4: the 220 after which the client starts the TLS handshake.
    public static final Reply READY_FOR_TLS = Reply.of(220, "2.0.0", "Ready to start TLS");
    public static final Reply TLS_ALREADY_ACTIVE = Reply.of(503, "5.5.1", "Error: TLS already active");
    // RFC 3207 4: a policy that requires TLS refuses MAIL before it (SmtpSessionTlsAuthTest, PolicyAuthTest,
    // explain/submission-plaintext.txt); AUTH before TLS gets the same reply (TlsAuthIT).
    public static final Reply TLS_REQUIRED = Reply.of(530, "5.7.0", "Must issue a STARTTLS command first");
    public static final Reply IN_TRANSACTION = Reply.of(503, "5.5.1", "Error: MAIL transaction in progress");
    // RFC 4954 4 and 6: AUTH (TlsAuthIT, AuthBruteForceIT).
    public static final Reply AUTH_NOT_ENABLED = Reply.of(503, "5.5.1", "Error: authentication not enabled");
    public static final Reply ALREADY_AUTHENTICATED = Reply.of(503, "5.5.1", "Error: already authenticated");
    public static final Reply UNKNOWN_MECHANISM = Reply.of(504, "5.5.4", "Unrecognized authentication type");
    public static final Reply AUTH_SUCCEEDED = Reply.of(235, "2.7.0", "Authentication successful");
    public static final Reply AUTH_FAILED = Reply.of(535, "5.7.8", "Authentication credentials invalid");
    public static final Reply AUTH_ABORTED = Reply.of(501, "5.7.0", "Authentication aborted");
    public static final Reply AUTH_CANNOT_DECODE = Reply.of(501, "5.5.2", "Cannot decode response");
    // Brute force: refused without looking at the password until the failure window has passed.
    public static final Reply AUTH_BLOCKED = Reply.of(454, "4.7.0", "Too many authentication failures, try again later");
    public static final Reply AUTH_UNAVAILABLE = Reply.of(454, "4.7.0", "Temporary authentication failure, try again later");

    /** sender_login: a logged-in user may only send as the addresses users.yml gives it. */
    public static Reply senderNotOwned(MailAddress sender, String login) {
        return Reply.of(553, "5.7.1", "<" + sender + ">: Sender address rejected: not owned by user " + login);
    }

    public static Reply greeting(String hostname) {
        return Reply.of(220, null, hostname + " ESMTP");
    }

    public static Reply closing(String hostname) {
        return Reply.of(221, "2.0.0", hostname + " Bye");
    }

    // RFC 5321 4.5.3.2: after a timeout the server says 421 and closes.
    public static Reply idleTimeout(String hostname) {
        return Reply.of(421, "4.4.2", hostname + " Error: timeout exceeded");
    }

    /** Message content slower than the policy's min_data_rate (ClientTimeouts). */
    public static Reply dataTooSlow(String hostname) {
        return Reply.of(421, "4.4.2", hostname + " Error: timeout exceeded: data arrives too slowly");
    }

    /** A connection older than the policy's max_session_time. */
    public static Reply sessionTooLong(String hostname) {
        return Reply.of(421, "4.4.2", hostname + " Error: timeout exceeded: session too long");
    }

    public static Reply tooManyErrors(String hostname) {
        return Reply.of(421, "4.7.0", hostname + " Error: too many errors");
    }

    public static Reply shuttingDown(String hostname) {
        return Reply.of(421, "4.3.2", hostname + " Service shutting down, closing transmission channel");
    }

    // DNS block lists (DnsblIT): the zone, and its TXT text when it has one, tell the sender why.
    public static Reply dnsblBlocked(String clientIp, String zone, String text) {
        return Reply.of(554, "5.7.1", "Service unavailable; client [" + clientIp + "] blocked using " + zone
                + (text == null ? "" : "; " + text));
    }

    public static final Reply DNSBL_TEMPFAIL = Reply.of(451, "4.7.1", "Service unavailable; DNS list lookup failed, try again later");

    // Client limits (ConnectionLimitsIT, RateLimitsIT, JunkCommandsIT): Postfix's anvil wording, and
    // a rate refusal says when a retry fits again. RFC 5321 3.1: a refusal at the greeting is 421
    // and a close; RFC 5321 4.5.3.1.10: a limit on RCPT commands is a 452.
    public static Reply tooManyConnectionsFrom(String hostname, String client) {
        return Reply.of(421, "4.7.0", hostname + " Error: too many connections from " + client + ", try again later");
    }

    public static Reply connectionRateFrom(String hostname, String client, long retrySeconds) {
        return Reply.of(421, "4.7.0", hostname + " Error: too many connections from " + client + ", try again in "
                + retrySeconds + " s");
    }

    // RFC 3463 3.3.2 (X.3.2, system not accepting network messages): our own capacity, not the client's doing.
    public static Reply tooManyConnections(String hostname) {
        return Reply.of(421, "4.3.2", hostname + " Error: too many connections, try again later");
    }

    public static Reply messageRate(String from, long retrySeconds) {
        return Reply.of(450, "4.7.1", "Error: too much mail from " + from + ", try again in " + retrySeconds + " s");
    }

    public static Reply recipientRate(String from, long retrySeconds) {
        return Reply.of(452, "4.7.1", "Error: too many recipients from " + from + ", try again in " + retrySeconds + " s");
    }

    // Postfix's smtpd_junk_command_limit, ended with 421 as max_errors is.
    public static Reply tooManyJunkCommands(String hostname) {
        return Reply.of(421, "4.7.0", hostname + " Error: too many commands without mail");
    }

    public static Reply relayDenied(MailAddress recipient) {
        return RELAY_DENIED.withText("<" + recipient + ">: Relay access denied");
    }

    public static Reply queued(String ourId, String backendName, String backendQueueId) {
        String backend = backendQueueId == null ? backendName : backendName + " " + backendQueueId;
        return Reply.of(250, "2.0.0", "Ok: queued as " + ourId + " (backend " + backend + ")");
    }
}
