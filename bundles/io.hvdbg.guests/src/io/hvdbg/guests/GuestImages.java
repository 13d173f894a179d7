/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.guests;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The small guest images shipped in this bundle (under {@code images/ARCH/}), built from
 * {@code sources/ARCH/} by {@code build-guests.sh}. Names are relative to {@code images/},
 * e.g. {@code riscv64/demo.elf}.
 */
public final class GuestImages {
    private GuestImages() {
    }

    /** True if the bundle holds the image. */
    public static boolean exists(String name) {
        return GuestImages.class.getResource("/images/" + name) != null;
    }

    /** Opens an image; the caller closes the stream. */
    public static InputStream open(String name) throws IOException {
        InputStream in = GuestImages.class.getResourceAsStream("/images/" + name);
        if (in == null) {
            throw new IOException("no bundled guest image " + name);
        }
        return in;
    }

    /** The bytes of an image. */
    public static byte[] read(String name) throws IOException {
        try (InputStream in = open(name)) {
            return in.readAllBytes();
        }
    }

    /**
     * Copies an image to a file (loaders and external tools such as gdb and QEMU take paths)
     * and returns its path. Files go to a per-user cache folder and are rewritten only if
     * their content differs.
     */
    public static Path extract(String name) throws IOException {
        byte[] data = read(name);
        Path dir = cacheDir();
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        if (Files.isRegularFile(file) && java.util.Arrays.equals(Files.readAllBytes(file), data)) {
            return file;
        }
        Path tmp = Files.createTempFile(file.getParent(), ".img", ".tmp");
        Files.write(tmp, data);
        return Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static Path cacheDir() {
        String base = System.getenv("XDG_CACHE_HOME");
        Path root = base != null && !base.isEmpty() ? Path.of(base) : Path.of(System.getProperty("user.home"), ".cache");
        Path dir = root.resolve("hvdbg").resolve("guests");
        try {
            Files.createDirectories(dir);
            return dir;
        } catch (IOException e) {
            try {
                return Files.createTempDirectory("hvdbg-guests");
            } catch (IOException e2) {
                throw new UncheckedIOException(e2);
            }
        }
    }
}
