/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.boot;

import java.nio.charset.StandardCharsets;

import io.hvdbg.core.loader.ElfImage;
import io.hvdbg.core.loader.ImageFormatException;
import io.hvdbg.core.memory.GuestMemory;
import io.hvdbg.core.memory.LittleEndian;
import io.hvdbg.x86.cpu.X86Vcpu;

/**
 * Boots x86 images the way QEMU's {@code -kernel} does: a multiboot (v1) kernel is loaded
 * (ELF program headers, or the header's a.out-kludge addresses) and entered in flat 32-bit
 * protected mode with EAX = 0x2BADB002 and EBX = the multiboot information block (memory map,
 * command line); an ELF64 without a multiboot header is entered directly in 64-bit long mode
 * with identity-mapped page tables the hypervisor builds, as KVM selftests do. Any other file
 * is a raw firmware image if its reset vector is a jump (see {@link #isRawFirmware}): it is
 * mapped as ROM so that it ends at 4 GiB, its last 64 KiB are also copied to 0xF0000-0xFFFFF
 * (the real-mode BIOS segment), and the boot vCPU starts in real mode at the reset vector
 * F000:FFF0 (linear 0xFFFFFFF0), as QEMU's {@code -bios} does.
 */
public final class X86Loader {
    public static final int MULTIBOOT_MAGIC = 0x1BADB002;
    public static final int MULTIBOOT_BOOTLOADER_MAGIC = 0x2BADB002;
    /** Where the loader puts its structures (below the EBDA, above the real-mode IVT/BDA). */
    static final long GDT_ADDR = 0x800;
    static final long INFO_ADDR = 0x9000;
    static final long CMDLINE_ADDR = 0x9400;
    static final long MMAP_ADDR = 0x9800;
    static final long LOADER_NAME_ADDR = 0x9C00;
    static final long BOOT_STACK = 0x7C00;
    /** Identity page tables for direct long-mode entry: PML4, PDPT and four page directories. */
    static final long PAGE_TABLES = 0x10000;
    static final long LOW_RESERVED_END = 0x20000;

    private X86Loader() {
    }

    /** Loads an image into memory and sets up the boot vCPU; the message of an error names the file. */
    public static void load(String name, byte[] data, String cmdline, GuestMemory memory, long ramSize, X86Vcpu boot)
            throws ImageFormatException {
        if (data.length == 0) {
            throw new ImageFormatException(name + ": empty file");
        }
        int header = findMultibootHeader(data);
        if (header >= 0) {
            loadMultiboot(name, data, header, cmdline, memory, ramSize, boot);
            return;
        }
        if (!ElfImage.isElf(data)) {
            if (isRawFirmware(data)) {
                loadRawFirmware(name, data, memory, boot);
                return;
            }
            throw new ImageFormatException(name + ": neither a multiboot kernel nor an ELF file, nor a raw firmware"
                    + " image (its last 16 bytes, the reset vector, must start with a JMP)");
        }
        ElfImage elf = ElfImage.parse(name, data);
        if (!elf.is64() || elf.machine() != ElfImage.EM_X86_64) {
            throw new ImageFormatException(name + ": an ELF without a multiboot header must be ELF64 for x86-64"
                    + " (machine " + elf.machine() + ", " + (elf.is64() ? "64" : "32") + "-bit)");
        }
        loadSegments(name, elf, memory, ramSize);
        writeGdt(memory, true);
        buildIdentityPageTables(memory);
        writeInfo(name, cmdline, memory, ramSize);
        boot.resetToLongMode(PAGE_TABLES);
        boot.gdtBase = GDT_ADDR;
        boot.gdtLimit = 0x1F;
        boot.idtBase = 0;
        boot.idtLimit = 0;
        boot.rip = elf.entry();
        boot.regs[X86Vcpu.RSP] = Math.min(ramSize, 0x1_0000_0000L) - 16;
        boot.regs[X86Vcpu.RAX] = MULTIBOOT_BOOTLOADER_MAGIC;
        boot.regs[X86Vcpu.RBX] = INFO_ADDR;
        boot.regs[X86Vcpu.RDI] = INFO_ADDR;
    }

    /** Largest raw image: it must end at 4 GiB without reaching the LAPIC at 0xFEE00000. */
    public static final int MAX_RAW_IMAGE = 16 << 20;
    /** The real-mode copy of a raw image's end: 0xF0000-0xFFFFF (the ACPI tables stay at 0xE0000). */
    static final int RAW_LOW_COPY = 0x10000;

    /**
     * A raw firmware image is recognised by its reset vector, the last 16 bytes: after optional
     * NOP, CLI or CLD bytes they must start with a JMP (EA far, E9 near or EB short), as every
     * firmware's does. This keeps arbitrary files from running as code.
     */
    static boolean isRawFirmware(byte[] data) {
        if (data.length < 16) {
            return false;
        }
        for (int i = data.length - 16; i < data.length; i++) {
            int b = data[i] & 0xFF;
            if (b == 0xEA || b == 0xE9 || b == 0xEB) {
                return true;
            }
            if (b != 0x90 && b != 0xFA && b != 0xFC) {
                return false;
            }
        }
        return false;
    }

    private static void loadRawFirmware(String name, byte[] data, GuestMemory memory, X86Vcpu boot)
            throws ImageFormatException {
        if (data.length > MAX_RAW_IMAGE) {
            throw new ImageFormatException(String.format("%s: raw firmware image of %d bytes is larger than %d MiB",
                    name, data.length, MAX_RAW_IMAGE >> 20));
        }
        long romSize = (data.length + 0xFFFFL) & ~0xFFFFL;
        long romBase = 0x1_0000_0000L - romSize;
        memory.addRom("bios", romBase, romSize);
        memory.write(0x1_0000_0000L - data.length, data, 0, data.length);
        int low = Math.min(data.length, RAW_LOW_COPY);
        memory.write(0x100000 - low, data, data.length - low, low);
        boot.resetToRealMode();
    }

    static int findMultibootHeader(byte[] data) {
        int limit = Math.min(data.length - 12, 8192 - 12);
        for (int off = 0; off <= limit; off += 4) {
            int magic = LittleEndian.getI32(data, off);
            if (magic == MULTIBOOT_MAGIC) {
                int flags = LittleEndian.getI32(data, off + 4);
                int checksum = LittleEndian.getI32(data, off + 8);
                if (magic + flags + checksum == 0) {
                    return off;
                }
            }
        }
        return -1;
    }

    private static void loadMultiboot(String name, byte[] data, int header, String cmdline, GuestMemory memory,
            long ramSize, X86Vcpu boot) throws ImageFormatException {
        int flags = LittleEndian.getI32(data, header + 4);
        if ((flags & 0xFFFC) != 0 && (flags & 0x10000) == 0) {
            // bits 2..15 other than video mode request features the loader must honour
            if ((flags & 0xFFF8) != 0) {
                throw new ImageFormatException(name + ": multiboot header requests unsupported features (flags 0x"
                        + Integer.toHexString(flags) + ")");
            }
        }
        long entry;
        if ((flags & 0x10000) != 0) {
            if (data.length < header + 32) {
                throw new ImageFormatException(name + ": truncated multiboot header");
            }
            long headerAddr = LittleEndian.getU32(data, header + 12);
            long loadAddr = LittleEndian.getU32(data, header + 16);
            long loadEnd = LittleEndian.getU32(data, header + 20);
            long bssEnd = LittleEndian.getU32(data, header + 24);
            entry = LittleEndian.getU32(data, header + 28);
            long fileOffset = header - (headerAddr - loadAddr);
            long length = loadEnd == 0 ? data.length - fileOffset : loadEnd - loadAddr;
            if (fileOffset < 0 || fileOffset + length > data.length || length < 0) {
                throw new ImageFormatException(name + ": multiboot load addresses do not match the file");
            }
            checkRange(name, loadAddr, Math.max(length, bssEnd - loadAddr), ramSize);
            memory.write(loadAddr, data, (int) fileOffset, (int) length);
            if (bssEnd > loadAddr + length) {
                memory.write(loadAddr + length, new byte[(int) (bssEnd - loadAddr - length)], 0,
                        (int) (bssEnd - loadAddr - length));
            }
        } else {
            ElfImage elf = ElfImage.parse(name, data);
            if (elf.machine() != ElfImage.EM_386 && elf.machine() != ElfImage.EM_X86_64) {
                throw new ImageFormatException(name + ": multiboot ELF for machine " + elf.machine() + ", not x86");
            }
            loadSegments(name, elf, memory, ramSize);
            entry = elf.entry();
            if (entry >>> 32 != 0) {
                throw new ImageFormatException(name + ": multiboot entry point 0x" + Long.toHexString(entry)
                        + " is above 4 GiB");
            }
        }
        writeGdt(memory, false);
        writeInfo(name, cmdline, memory, ramSize);
        boot.resetToProtectedMode();
        boot.gdtBase = GDT_ADDR;
        boot.gdtLimit = 0x1F;
        boot.rip = entry;
        boot.regs[X86Vcpu.RAX] = MULTIBOOT_BOOTLOADER_MAGIC;
        boot.regs[X86Vcpu.RBX] = INFO_ADDR;
        boot.regs[X86Vcpu.RSP] = BOOT_STACK;
    }

    private static void checkRange(String name, long addr, long len, long ramSize) throws ImageFormatException {
        if (len > 0 && addr < LOW_RESERVED_END && addr + len > GDT_ADDR) {
            throw new ImageFormatException(String.format("%s: a segment at 0x%x overlaps the boot structures at"
                    + " 0x%x-0x%x", name, addr, GDT_ADDR, LOW_RESERVED_END));
        }
        if (addr < 0 || len < 0 || addr + len > ramSize) {
            throw new ImageFormatException(String.format("%s: a segment at 0x%x (0x%x bytes) lies outside guest RAM"
                    + " (%d MiB)", name, addr, len, ramSize >> 20));
        }
    }

    private static void loadSegments(String name, ElfImage elf, GuestMemory memory, long ramSize)
            throws ImageFormatException {
        boolean any = false;
        for (ElfImage.Segment s : elf.segments()) {
            if (s.memSize() == 0) {
                continue;
            }
            any = true;
            long addr = s.paddr();
            checkRange(name, addr, s.memSize(), ramSize);
            if (s.fileSize() > 0) {
                memory.write(addr, elf.data(), (int) s.offset(), (int) s.fileSize());
            }
            long bss = s.memSize() - s.fileSize();
            if (bss > 0) {
                memory.write(addr + s.fileSize(), new byte[(int) bss], 0, (int) bss);
            }
        }
        if (!any) {
            throw new ImageFormatException(name + ": ELF has no loadable segments");
        }
    }

    /** GDT: null, null, 0x10 flat code (32-bit or 64-bit), 0x18 flat data; 0x08 is 64-bit code too. */
    private static void writeGdt(GuestMemory memory, boolean longMode) {
        long code64 = 0x00AF9B000000FFFFL;
        long code32 = 0x00CF9B000000FFFFL;
        long data = 0x00CF93000000FFFFL;
        memory.store(GDT_ADDR, 8, 0);
        memory.store(GDT_ADDR + 8, 8, code64);
        memory.store(GDT_ADDR + 16, 8, longMode ? data : code32);
        memory.store(GDT_ADDR + 24, 8, data);
    }

    private static void buildIdentityPageTables(GuestMemory memory) {
        long pml4 = PAGE_TABLES;
        long pdpt = PAGE_TABLES + 0x1000;
        memory.write(pml4, new byte[6 * 0x1000], 0, 6 * 0x1000);
        memory.store(pml4, 8, pdpt | 3);
        for (int g = 0; g < 4; g++) {
            long pd = PAGE_TABLES + 0x2000 + g * 0x1000L;
            memory.store(pdpt + g * 8L, 8, pd | 3);
            for (int i = 0; i < 512; i++) {
                long addr = ((long) g << 30) | ((long) i << 21);
                memory.store(pd + i * 8L, 8, addr | 0x83);
            }
        }
    }

    /** Multiboot information: memory sizes, memory map, command line ("kernel append"), loader name. */
    private static void writeInfo(String name, String append, GuestMemory memory, long ramSize) {
        String cmd = append == null || append.isEmpty() ? name : name + " " + append;
        byte[] c = (cmd + "\0").getBytes(StandardCharsets.UTF_8);
        int cl = Math.min(c.length, 0x3FF);
        memory.write(CMDLINE_ADDR, c, 0, cl);
        memory.store(CMDLINE_ADDR + cl - 1, 1, 0);
        byte[] loader = "hvdbg\0".getBytes(StandardCharsets.US_ASCII);
        memory.write(LOADER_NAME_ADDR, loader, 0, loader.length);
        long below4g = Math.min(ramSize, 0xC000_0000L);
        long[][] map = {{0, 0x9FC00, 1}, {0x9FC00, 0x400, 2}, {0xE0000, 0x20000, 2}, {0x100000, below4g - 0x100000, 1},
            {0xFEC00000L, 0x1000, 2}, {0xFEE00000L, 0x1000, 2}};
        long p = MMAP_ADDR;
        for (long[] e : map) {
            memory.store(p, 4, 20);
            memory.store(p + 4, 8, e[0]);
            memory.store(p + 12, 8, e[1]);
            memory.store(p + 20, 4, e[2]);
            p += 24;
        }
        byte[] info = new byte[120];
        int flags = 1 | 4 | 8 | 64 | 512; // MEM, CMDLINE, MODS (none), MMAP, LOADER_NAME
        LittleEndian.putI32(info, 0, flags);
        LittleEndian.putI32(info, 4, 639);
        LittleEndian.putI32(info, 8, (int) ((below4g - 0x100000) >> 10));
        LittleEndian.putI32(info, 16, (int) CMDLINE_ADDR);
        LittleEndian.putI32(info, 20, 0);
        LittleEndian.putI32(info, 24, 0);
        LittleEndian.putI32(info, 44, (int) (p - MMAP_ADDR));
        LittleEndian.putI32(info, 48, (int) MMAP_ADDR);
        LittleEndian.putI32(info, 64, (int) LOADER_NAME_ADDR);
        memory.write(INFO_ADDR, info, 0, info.length);
    }
}
