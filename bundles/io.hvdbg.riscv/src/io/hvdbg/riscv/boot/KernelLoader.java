/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv.boot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import io.hvdbg.core.loader.ElfImage;
import io.hvdbg.core.loader.ImageFormatException;
import io.hvdbg.core.memory.GuestMemory;
import io.hvdbg.core.memory.LittleEndian;

/**
 * Loads what QEMU's {@code -kernel} takes for the RISC-V virt machine: an ELF64 RISC-V
 * executable (segments at their physical addresses), a Linux {@code Image} (64-byte header with
 * the "RISCV" magic; loaded 2 MiB into RAM, entered at its first byte; also gzip-compressed as
 * {@code Image.gz}), or a raw binary
 * ({@code .bin}/{@code .raw}, loaded like an Image). Every problem is an
 * {@link ImageFormatException} naming the file and what is wrong.
 */
public final class KernelLoader {
    /** Where an Image or raw kernel goes, relative to the start of RAM (Linux's text_offset for RV64). */
    public static final long IMAGE_OFFSET = 0x200000;
    private static final long IMAGE_MAGIC = 0x5643534952L; // "RISCV\0\0\0"
    private static final int IMAGE_MAGIC2 = 0x05435352; // "RSC\x05"

    /** A loaded kernel: entry point and the highest address it occupies. */
    public record Loaded(String format, long entry, long start, long end) {
    }

    private KernelLoader() {
    }

    public static byte[] read(Path file, String what) throws ImageFormatException {
        try {
            return Files.readAllBytes(file);
        } catch (IOException | OutOfMemoryError e) {
            throw new ImageFormatException("cannot read " + what + " " + file + ": " + e.getMessage());
        }
    }

    /** True if the bytes start with a RISC-V Linux Image header. */
    public static boolean isImage(byte[] data) {
        return data.length >= 64 && (LittleEndian.getI64(data, 48) == IMAGE_MAGIC
                || LittleEndian.getI32(data, 56) == IMAGE_MAGIC2);
    }

    /**
     * Loads the kernel into RAM [ramBase, ramBase + usable).
     *
     * @param usable bytes of RAM the kernel may occupy (the device tree sits above)
     */
    public static Loaded load(Path file, byte[] data, GuestMemory memory, long ramBase, long usable)
            throws ImageFormatException {
        String name = file.toString();
        if (data.length == 0) {
            throw new ImageFormatException(name + ": the kernel file is empty");
        }
        if (data.length >= 2 && (data[0] & 0xFF) == 0x1F && (data[1] & 0xFF) == 0x8B) {
            data = gunzip(name, data, usable);
        }
        if (ElfImage.isElf(data)) {
            return loadElf(name, data, memory, ramBase, usable);
        }
        if (isImage(data)) {
            return loadImage(name, data, memory, ramBase, usable);
        }
        if (data.length >= 4 && data[0] == 0x7F && data[1] == 'E') {
            throw new ImageFormatException(name + ": truncated ELF header (" + data.length + " bytes)");
        }
        String lower = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (lower.endsWith(".bin") || lower.endsWith(".raw")) {
            return place(name, "raw", data, data.length, memory, ramBase, usable);
        }
        if (data.length < 64) {
            throw new ImageFormatException(name + ": too short for a Linux Image header (" + data.length
                    + " bytes, need 64) and not an ELF file");
        }
        throw new ImageFormatException(name + ": not an ELF file and not a RISC-V Linux Image (no \"RISCV\" magic at"
                + " offset 48); name raw binaries *.bin");
    }

    /** A gzip-compressed kernel (Image.gz), inflated; its size is bounded by the RAM it must fit in. */
    private static byte[] gunzip(String name, byte[] data, long limit) throws ImageFormatException {
        try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(data))) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            byte[] buf = new byte[65536];
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
                if (out.size() > limit) {
                    throw new ImageFormatException(name + ": the gzip-compressed kernel inflates to more than the "
                            + (limit >> 20) + " MiB of RAM it must fit in (raise --memory)");
                }
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new ImageFormatException(name + ": corrupt gzip-compressed kernel: " + e.getMessage());
        }
    }

    private static Loaded loadImage(String name, byte[] data, GuestMemory memory, long ramBase, long usable)
            throws ImageFormatException {
        long imageSize = LittleEndian.getI64(data, 16);
        if (imageSize < 0 || imageSize > (1L << 40)) {
            throw new ImageFormatException(name + ": Image header has a bad image_size 0x" + Long.toHexString(imageSize));
        }
        long size = Math.max(data.length, imageSize);
        return place(name, "Image", data, size, memory, ramBase, usable);
    }

    private static Loaded place(String name, String format, byte[] data, long size, GuestMemory memory, long ramBase,
            long usable) throws ImageFormatException {
        if (size > usable - IMAGE_OFFSET) {
            throw new ImageFormatException(String.format("%s: the %s needs %d KiB at 0x%x but RAM holds only %d KiB there"
                    + " (raise --memory)", name, format, (size + 1023) / 1024, ramBase + IMAGE_OFFSET,
                    Math.max(0, usable - IMAGE_OFFSET) / 1024));
        }
        long at = ramBase + IMAGE_OFFSET;
        memory.write(at, data, 0, data.length);
        return new Loaded(format, at, at, at + size);
    }

    private static Loaded loadElf(String name, byte[] data, GuestMemory memory, long ramBase, long usable)
            throws ImageFormatException {
        ElfImage elf = ElfImage.parse(name, data);
        if (!elf.is64()) {
            throw new ImageFormatException(name + ": a 32-bit ELF file; riscv64 needs ELF64");
        }
        if (elf.machine() != ElfImage.EM_RISCV) {
            throw new ImageFormatException(name + ": ELF machine " + elf.machine() + " is not RISC-V ("
                    + ElfImage.EM_RISCV + ")");
        }
        if (elf.segments().isEmpty()) {
            throw new ImageFormatException(name + ": the ELF file has no loadable segment");
        }
        long lo = Long.MAX_VALUE;
        long hi = 0;
        long ramEnd = ramBase + usable;
        for (ElfImage.Segment s : elf.segments()) {
            long a = s.paddr();
            if (a < ramBase || a + s.memSize() > ramEnd || a + s.memSize() < a) {
                throw new ImageFormatException(String.format("%s: segment at 0x%x-0x%x lies outside RAM 0x%x-0x%x%s",
                        name, a, a + s.memSize(), ramBase, ramEnd, a >= ramBase ? " (too large for RAM: raise --memory)" : ""));
            }
            lo = Math.min(lo, a);
            hi = Math.max(hi, a + s.memSize());
        }
        for (ElfImage.Segment s : elf.segments()) {
            memory.write(s.paddr(), data, (int) s.offset(), (int) s.fileSize());
            long zeros = s.memSize() - s.fileSize();
            if (zeros > 0) {
                memory.write(s.paddr() + s.fileSize(), new byte[(int) zeros], 0, (int) zeros);
            }
        }
        long entry = elf.entry();
        if (entry < lo || entry >= hi) {
            throw new ImageFormatException(String.format("%s: entry point 0x%x is outside the loaded segments", name, entry));
        }
        return new Loaded("ELF", entry, lo, hi);
    }
}
