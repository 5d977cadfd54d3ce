package org.mxgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every key a reader declares is named in docs/configuration.md, so a key added to a block
 * without its line in the reference fails here rather than surprising an admin.
 */
class DocumentedKeysTest {

    private static final List<Class<?>> READERS = List.of(ConfigLoader.class, ListenerReader.class, PoolReader.class,
            DnsblReader.class, PolicyFileReader.class, UsersFileReader.class);

    @Test
    void everyDeclaredKeyIsInTheReference() throws Exception {
        String reference = Files.readString(Path.of("docs/configuration.md"));
        List<String> missing = new ArrayList<>();
        int keys = 0;
        for (Class<?> reader : READERS) {
            for (Field field : reader.getDeclaredFields()) {
                if (field.getType() == Key.class && Modifier.isStatic(field.getModifiers())) {
                    field.setAccessible(true);
                    String name = ((Key<?>) field.get(null)).name();
                    keys++;
                    // As a table cell: `name`, `block.name` or `list[].name`.
                    if (!Pattern.compile("[`.]" + Pattern.quote(name) + "`").matcher(reference).find()) {
                        missing.add(reader.getSimpleName() + "." + field.getName() + " (" + name + ")");
                    }
                }
            }
        }
        assertTrue(keys > 60, "found only " + keys + " keys");
        assertEquals(List.of(), missing);
    }
}
