package org.mxgate.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * What a file looks like from outside: size, modification time and, where the filesystem has one,
 * its identity (device and inode), which changes when a new file is renamed over the old one.
 * Equal stamps mean "nothing to reload"; reading the file is the reload's job, never this one's.
 */
public record FileStamp(long size, FileTime modified, Object fileKey) {

    static final FileStamp MISSING = new FileStamp(-1, FileTime.fromMillis(0), null);

    static FileStamp of(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new FileStamp(attributes.size(), attributes.lastModifiedTime(), attributes.fileKey());
        } catch (IOException e) {
            // Missing for a moment while it is being replaced, or not there yet (users.yml); the reload says why.
            return MISSING;
        }
    }
}
