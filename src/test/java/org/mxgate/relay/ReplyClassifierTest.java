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
        // stage,              code, meaning   (0 = connection lost or timed out)
        "MAIL,                 250, OK",
        "MAIL,                 452, NEXT_BACKEND",
        "MAIL,                 421, NEXT_BACKEND",
        "MAIL,                 0,   NEXT_BACKEND",
        "MAIL,                 550, VERDICT",
        "MAIL,                 354, ODD",
        "DATA,                 250, ODD",
        "RECIPIENT,            250, OK",
        "RECIPIENT,            251, OK",
        "RECIPIENT,            450, VERDICT",
        "RECIPIENT,            550, VERDICT",
        "RECIPIENT,            421, NEXT_BACKEND",
        "RECIPIENT,            0,   NEXT_BACKEND",
        "RECIPIENT,            354, ODD",
        "REPLAYED_RECIPIENT,   250, OK",
        // A recipient the client was promised, refused on replay: not here, but no health failure.
        "REPLAYED_RECIPIENT,   450, NOT_HERE",
        "REPLAYED_RECIPIENT,   550, NOT_HERE",
        "REPLAYED_RECIPIENT,   421, NEXT_BACKEND",
        "REPLAYED_RECIPIENT,   0,   NEXT_BACKEND",
        "REPLAYED_RECIPIENT,   354, NEXT_BACKEND",
        "DATA,                 354, OK",
        "DATA,                 554, VERDICT",
        "DATA,                 451, NEXT_BACKEND",
        "DATA,                 0,   NEXT_BACKEND",
        "END_OF_DATA,          250, OK",
        "END_OF_DATA,          451, NEXT_BACKEND",
        "END_OF_DATA,          421, NEXT_BACKEND",
        "END_OF_DATA,          0,   NEXT_BACKEND",
        "END_OF_DATA,          554, VERDICT",
        "END_OF_DATA,          354, ODD",
    })
    void meaningOfAReplyAtEachStage(Stage stage, int code, Meaning meaning) {
        Reply reply = code == 0 ? null : Reply.parse(code, List.of("x"));
        assertEquals(meaning, ReplyClassifier.classify(stage, reply));
    }
}
