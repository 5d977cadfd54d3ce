package org.mxgate.smtp;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import org.mxgate.fuzz.FuzzTargets;
import org.mxgate.fuzz.FuzzWrites;
import org.mxgate.fuzz.ReferenceDecoding;
import org.mxgate.fuzz.SessionScript;

/**
 * Fuzzes message content from its first byte (as after a 354) through {@link SmtpLineDecoder}
 * and its {@link DataDecoder}, in any chunking, without a size limit and with one a third of the
 * input: DATA ends only at CRLF.CRLF, nothing at or after a bare CR, bare LF or NUL goes out, content out
 * equals the input up to the first refusal, and the commands after the end are read as
 * {@link ReferenceDecoding} works them out.
 */
class DataDecoderFuzzTest {

    @FuzzTest(maxDuration = FuzzTargets.TIME_BOX)
    @DictionaryEntries({"\\x0D\\x0A", "\\x0D\\x0A.\\x0D\\x0A", "\\x0A.\\x0A", "\\x0D.\\x0D", ".\\x0D\\x0A", "..", "DATA\\x0D\\x0A", "AUTH PLAIN ", "NOOP\\x0D\\x0A"})
    @DictionaryFile(resourcePath = FuzzWrites.DICTIONARY)
    void content(byte[] input) {
        List<byte[]> writes = FuzzWrites.split(input);
        long third = FuzzWrites.joined(writes).length / 3;
        for (long limit : new long[] {Long.MAX_VALUE, third}) {
            ReferenceDecoding.check(writes, new SessionScript(true, false, limit, Long.MAX_VALUE));
        }
    }
}
