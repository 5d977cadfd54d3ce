package org.mxgate.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Message-ID the protocol log's delivered line names, found in the header section only, in any chunking. */
class MessageIdScannerTest {

    private static final String RECEIVED = "Received: from client.test (client.test [203.0.113.7])\r\n"
            + "\tby mx.example.test with ESMTP id 3BF7QWGU9; Fri, 27 Nov 2026 19:00:00 +0000\r\n";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "plain                 | Message-ID: <a1@client.test>\\r\\nSubject: hi\\r\\n\\r\\nbody\\r\\n           | <a1@client.test>",
        "any case              | message-id:<a2@client.test>\\r\\n\\r\\n                                         | <a2@client.test>",
        "folded                | Message-Id:\\r\\n <a3@client.test>\\r\\n\\r\\n                                  | <a3@client.test>",
        "last header           | Subject: x\\r\\nMESSAGE-ID: <a4@client.test>\\r\\n                             | <a4@client.test>",
        "first of two          | Message-ID: <a5@x>\\r\\nMessage-ID: <other@x>\\r\\n\\r\\n                        | <a5@x>",
        "bare LF lines         | Subject: x\\nMessage-ID: <a6@x>\\n\\n                                           | <a6@x>",
        "in the body only      | Subject: x\\r\\n\\r\\nMessage-ID: <body@x>\\r\\n                                | ",
        "folded line of another| Subject: x\\r\\n Message-ID: <no@x>\\r\\n\\r\\n                                | ",
        "a longer name         | Message-IDs: <no@x>\\r\\n\\r\\n                                               | ",
        "none                  | Subject: x\\r\\n\\r\\nbody\\r\\n                                                | ",
    })
    void findsTheMessageIdOfTheHeaderSectionInAnyChunking(String name, String content, String expected) {
        byte[] bytes = (RECEIVED + content.replace("\\r", "\r").replace("\\n", "\n")).getBytes(StandardCharsets.UTF_8);
        for (int chunk : new int[] {bytes.length, 1, 2, 3, 7}) {
            MessageIdScanner scanner = new MessageIdScanner();
            for (int i = 0; i < bytes.length; i += chunk) {
                ByteBuffer piece = ByteBuffer.wrap(bytes, i, Math.min(chunk, bytes.length - i));
                int position = piece.position();
                scanner.scan(piece);
                assertEquals(position, piece.position(), "the scan leaves the buffer to the body");
            }
            assertEquals(expected, scanner.messageId(), name + " in chunks of " + chunk);
        }
    }

    @Test
    void aClientCannotMakeItKeepMoreThanALine() {
        MessageIdScanner scanner = new MessageIdScanner();
        scanner.scan(ByteBuffer.wrap(("Message-ID: <" + "x".repeat(100_000) + ">\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
        String kept = scanner.messageId();
        assertTrue(kept.length() <= MessageIdScanner.MAX_VALUE_BYTES && kept.length() > 900 && kept.startsWith("<xxx"), kept);
    }

    @Test
    void aHeaderSectionPastTheLimitIsNotScannedFurther() {
        MessageIdScanner scanner = new MessageIdScanner();
        String filler = ("X-Filler: " + "y".repeat(1000) + "\r\n").repeat(MessageIdScanner.MAX_HEADER_BYTES / 1000);
        scanner.scan(ByteBuffer.wrap((filler + "Message-ID: <late@x>\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
        assertNull(scanner.messageId());
    }
}
