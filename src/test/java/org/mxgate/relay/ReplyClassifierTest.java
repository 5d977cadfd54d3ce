package org.mxgate.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mxgate.mail.Reply;
import org.mxgate.relay.ReplyClassifier.Meaning;
import org.mxgate.relay.ReplyClassifier.Stage;

/** The transaction rules as a table: which backend reply, at which stage, moves the transaction on. */
class ReplyClassifierTest {

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
        // stage,              reply,                 meaning   (empty = connection lost or timed out)
        "RESET,                250 2.0.0 Ok,          OK",
        "RESET,                421 4.3.2 Closing,     PRESSURE",
        "RESET,                ,                      NEXT_BACKEND",
        "RESET,                500 5.5.1 What,        NEXT_BACKEND",
        "MAIL,                 250 2.1.0 Ok,          OK",
        "MAIL,                 452 4.3.1 Busy,        PRESSURE",
        "MAIL,                 451 4.7.1 Greylisted,  NEXT_BACKEND",
        "MAIL,                 452 x,                 NEXT_BACKEND",
        "MAIL,                 421 4.3.2 Closing,     PRESSURE",
        "MAIL,                 ,                      NEXT_BACKEND",
        "MAIL,                 550 5.7.1 No,          VERDICT",
        // Out of step with the dialogue: counts against the backend.
        "MAIL,                 354 x,                 NEXT_BACKEND",
        "RECIPIENT,            250 2.1.5 Ok,          OK",
        "RECIPIENT,            251 x,                 OK",
        "RECIPIENT,            450 4.2.0 Busy,        VERDICT",
        "RECIPIENT,            452 4.3.1 Full,        VERDICT",
        "RECIPIENT,            550 5.1.1 Unknown,     VERDICT",
        "RECIPIENT,            421 4.3.2 Closing,     PRESSURE",
        "RECIPIENT,            ,                      NEXT_BACKEND",
        "RECIPIENT,            354 x,                 ODD",
        "REPLAYED_RECIPIENT,   250 2.1.5 Ok,          OK",
        // A recipient the client was promised, refused on replay: not here, but no health failure.
        "REPLAYED_RECIPIENT,   450 4.2.0 Busy,        NOT_HERE",
        "REPLAYED_RECIPIENT,   550 5.1.1 Unknown,     NOT_HERE",
        "REPLAYED_RECIPIENT,   421 4.3.2 Closing,     PRESSURE",
        "REPLAYED_RECIPIENT,   ,                      NEXT_BACKEND",
        "REPLAYED_RECIPIENT,   354 x,                 NEXT_BACKEND",
        "DATA,                 354 Go ahead,          OK",
        "DATA,                 554 5.6.0 No,          VERDICT",
        "DATA,                 451 4.3.0 Later,       PRESSURE",
        "DATA,                 451 x,                 NEXT_BACKEND",
        "DATA,                 ,                      NEXT_BACKEND",
        "DATA,                 250 x,                 NEXT_BACKEND",
        "END_OF_DATA,          250 2.0.0 Ok,          OK",
        "END_OF_DATA,          451 4.4.0 Later,       NEXT_BACKEND",
        "END_OF_DATA,          452 4.3.1 Full,        PRESSURE",
        "END_OF_DATA,          421 4.3.2 Closing,     PRESSURE",
        "END_OF_DATA,          ,                      NEXT_BACKEND",
        "END_OF_DATA,          554 5.6.0 No,          VERDICT",
        "END_OF_DATA,          354 x,                 ODD",
    })
    void meaningOfAReplyAtEachStage(Stage stage, String line, Meaning meaning) {
        Reply reply = line == null ? null : Reply.parse(Integer.parseInt(line.substring(0, 3)), List.of(line.substring(4)));
        assertEquals(meaning, ReplyClassifier.classify(stage, reply));
    }
}
