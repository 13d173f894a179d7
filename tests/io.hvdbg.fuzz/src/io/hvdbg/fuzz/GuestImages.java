/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds minimal guest images around fuzzer bytes and hands them to the loaders as files. */
final class GuestImages {
    private GuestImages() {
    }

    /**
     * An ELF64 executable with one loadable segment holding {@code code} at {@code base} (virtual
     * = physical), entry at its first byte: what both machines boot directly.
     */
    static byte[] elf64(int machine, long base, byte[] code) {
        int ehsize = 64, phsize = 56, offset = 0x1000;
        ByteBuffer b = ByteBuffer.allocate(offset + code.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
        b.position(16);
        b.putShort((short) 2).putShort((short) machine).putInt(1).putLong(base).putLong(ehsize).putLong(0);
        b.putInt(0).putShort((short) ehsize).putShort((short) phsize).putShort((short) 1)
                .putShort((short) 64).putShort((short) 0).putShort((short) 0);
        // PT_LOAD, RWX
        b.putInt(1).putInt(7).putLong(offset).putLong(base).putLong(base).putLong(code.length)
                .putLong(Math.max(code.length, 0x1000)).putLong(0x1000);
        b.position(offset);
        b.put(code);
        return b.array();
    }

    /** Writes {@code data} to a fresh temporary file (the loaders take paths, as QEMU's -kernel). */
    static Path file(String name, byte[] data) {
        try {
            Path dir = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "hvdbg-fuzz"));
            Path p = Files.createTempFile(dir, name, ".img");
            Files.write(p, data);
            p.toFile().deleteOnExit();
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
