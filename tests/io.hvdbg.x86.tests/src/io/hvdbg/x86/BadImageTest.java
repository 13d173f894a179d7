/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.hvdbg.core.Architecture;
import io.hvdbg.core.VmConfig;
import io.hvdbg.core.loader.ImageFormatException;
import io.hvdbg.guests.GuestImages;

/** Images the loader cannot boot are rejected with one line that names the file and the problem. */
class BadImageTest {
    @TempDir
    Path dir;

    private String reject(byte[] data, int memoryMiB) throws Exception {
        Path f = dir.resolve("kernel.bin");
        Files.write(f, data);
        VmConfig c = VmConfig.defaults(Architecture.X86_64).withKernel(f).withMemoryMiB(memoryMiB);
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> new X86MachineFactory().create(c));
        String m = e.getMessage();
        assertTrue(m.startsWith(f.toString() + ": "), m);
        assertFalse(m.contains("\n"), m);
        return m;
    }

    @Test
    void emptyFile() throws Exception {
        assertTrue(reject(new byte[0], 16).contains("empty file"));
    }

    @Test
    void notAKernel() throws Exception {
        assertTrue(reject("just some text, not a kernel".getBytes(), 16).contains("neither a multiboot kernel nor an ELF"));
    }

    @Test
    void truncatedElf() throws Exception {
        byte[] elf = GuestImages.read("x86_64/test-sys-elf64.elf");
        String m = reject(Arrays.copyOf(elf, 40), 16);
        assertTrue(m.contains("truncated") || m.contains("ELF"), m);
    }

    @Test
    void elfWithoutMultibootMustBeX86_64() throws Exception {
        byte[] elf = GuestImages.read("x86_64/test-sys-elf64.elf");
        elf[18] = (byte) 243; // EM_RISCV
        assertTrue(reject(elf, 16).contains("must be ELF64 for x86-64"));
    }

    @Test
    void kernelLargerThanRam() throws Exception {
        byte[] elf = GuestImages.read("x86_64/test-sys-elf64.elf");
        // 2 MiB of RAM cannot hold a kernel whose BSS ends beyond 1 MiB + its size? Make the segment huge instead.
        String m = reject(withHugeSegment(elf), 16);
        assertTrue(m.contains("outside guest RAM"), m);
    }

    /** The first program header's memory size becomes 1 GiB. */
    private static byte[] withHugeSegment(byte[] elf) {
        byte[] b = elf.clone();
        long phoff = java.nio.ByteBuffer.wrap(b, 32, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        int phentsize = java.nio.ByteBuffer.wrap(b, 54, 2).order(java.nio.ByteOrder.LITTLE_ENDIAN).getShort();
        int phnum = java.nio.ByteBuffer.wrap(b, 56, 2).order(java.nio.ByteOrder.LITTLE_ENDIAN).getShort();
        for (int i = 0; i < phnum; i++) {
            int ph = (int) phoff + i * phentsize;
            int type = java.nio.ByteBuffer.wrap(b, ph, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
            if (type == 1) {
                java.nio.ByteBuffer.wrap(b, ph + 40, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(1L << 30);
                break;
            }
        }
        return b;
    }

    @Test
    void missingFile() {
        VmConfig c = VmConfig.defaults(Architecture.X86_64).withKernel(dir.resolve("nope.elf"));
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> new X86MachineFactory().create(c));
        assertTrue(e.getMessage().endsWith("nope.elf: no such file"), e.getMessage());
    }

    @Test
    void badOptionsAreOneLineErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new X86MachineFactory()
                .create(VmConfig.defaults(Architecture.X86_64).withMemoryMiB(8192)));
        assertTrue(e.getMessage().startsWith("--memory"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new X86MachineFactory()
                .create(VmConfig.defaults(Architecture.X86_64).withIsa("rv64gc")));
        assertTrue(e.getMessage().startsWith("--isa"), e.getMessage());
    }
}
