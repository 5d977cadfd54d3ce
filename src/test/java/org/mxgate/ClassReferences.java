package org.mxgate;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The classes each compiled class refers to, read from the constant pool of its class file: every
 * class the JVM may load for it is named there, whether the source named it in an import, by a
 * fully qualified name, in a cast, an array, a signature, an annotation or a catch; and javac
 * (since JDK 9) also keeps the class of a {@code static final} constant it copied. Reading the
 * pool, rather than ArchUnit's model of the code, is what sees casts and array creation too.
 */
final class ClassReferences {

    private static final int MAGIC = 0xCAFEBABE;
    /** A class in a descriptor or generic signature: {@code Lorg/mxgate/mail/Reply;} or {@code …Reply<}. */
    private static final Pattern IN_DESCRIPTOR = Pattern.compile("L([\\p{javaJavaIdentifierPart}/]+)[;<]");

    private ClassReferences() {}

    /** Each class file under {@code dir} → the binary names ({@code a.b.C$D}) of the classes it names. */
    static Map<String, Set<String>> read(Path dir) throws IOException {
        Map<String, Set<String>> classes = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
                    read(new DataInputStream(in), classes);
                } catch (IOException | RuntimeException e) {
                    throw new IOException(file + ": cannot read this class file", e);
                }
            }
        }
        return classes;
    }

    /** JVMS 4.1 and 4.4: the header, then the constant pool, then the class's own name. */
    private static void read(DataInputStream in, Map<String, Set<String>> classes) throws IOException {
        if (in.readInt() != MAGIC) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        int[] classNames = new int[count];
        BitSet literals = new BitSet(count);
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 7 -> classNames[i] = in.readUnsignedShort();
                case 8 -> literals.set(in.readUnsignedShort());
                case 16, 19, 20 -> in.readUnsignedShort();
                case 15 -> in.skipBytes(3);
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
                case 5, 6 -> {
                    in.skipBytes(8);
                    i++; // JVMS 4.4.5: a long or double takes two entries
                }
                default -> throw new IOException("constant pool tag " + tag + " at entry " + i);
            }
        }
        in.readUnsignedShort();
        String self = binaryName(utf8[classNames[in.readUnsignedShort()]]);
        Set<String> names = new TreeSet<>();
        for (int i = 1; i < count; i++) {
            if (classNames[i] != 0) {
                String name = utf8[classNames[i]];
                if (name.startsWith("[")) {
                    addFromDescriptor(name, names);
                } else {
                    names.add(binaryName(name));
                }
            } else if (utf8[i] != null && !literals.get(i)) {
                // Field and method descriptors, generic signatures, annotation types; not string literals.
                addFromDescriptor(utf8[i], names);
            }
        }
        names.remove(self);
        classes.put(self, names);
    }

    private static void addFromDescriptor(String descriptor, Set<String> names) {
        Matcher m = IN_DESCRIPTOR.matcher(descriptor);
        while (m.find()) {
            names.add(binaryName(m.group(1)));
        }
    }

    private static String binaryName(String internalName) {
        return internalName.replace('/', '.');
    }
}
