package org.mxgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** ClassReferences on a fixture that names a class in each way Java code can, none of them an import. */
class ClassReferencesTest {

    private static final String FIXTURE = "org.mxgate.rulesfixture.bytecode";
    private static final String TARGETS = FIXTURE + ".targets.Targets";
    private static final Path FIXTURE_CLASSES = Path.of("target/test-classes/org/mxgate/rulesfixture/bytecode");

    @Test
    void everyWayOfNamingAClassIsSeenEvenACopiedConstant() throws IOException {
        Map<String, Set<String>> classes = ClassReferences.read(FIXTURE_CLASSES);

        Set<String> fromFixture = new TreeSet<>(classes.get(FIXTURE + ".Uses"));
        fromFixture.removeIf(name -> !name.startsWith(FIXTURE));

        Set<String> expected = new TreeSet<>(Set.of(TARGETS));
        for (String nested : new String[] {"InField", "InGeneric", "InParameter", "InCast", "InArray", "InMatrix",
                "InInstanceof", "InClassLiteral", "InCatch", "InAnnotation", "InCall"}) {
            expected.add(TARGETS + "$" + nested);
        }
        // javac copies Constant.VALUE into Uses, and since JDK 9 keeps Constant in the constant pool.
        expected.add(FIXTURE + ".targets.Constant");
        assertEquals(expected, fromFixture);
    }

    @Test
    void aClassIsKeyedByItsBinaryNameAndNamesNotItself() throws IOException {
        Map<String, Set<String>> classes = ClassReferences.read(FIXTURE_CLASSES);

        assertTrue(classes.containsKey(TARGETS + "$InCall"), classes.keySet().toString());
        assertTrue(classes.get(FIXTURE + ".Uses").contains("java.lang.Object"));
        assertFalse(classes.get(FIXTURE + ".Uses").contains(FIXTURE + ".Uses"));
    }
}
